"""The write API: sources, claims and assertions created (or a claim edited) with a token.

Every request carries ``Authorization: Bearer <token>`` (staff issue tokens
in the admin). Input is a JSON object, checked by the very forms the admin
uses to enter the same things (a quote must occur in its source; a claim is
edited on top of the version the client read), then written by the same
services, so history records the token's user as the author. Every refusal
is a JSON answer naming the field; none writes anything.

These views are CSRF-exempt because they accept no other credential: a
request without a token is refused (401) before anything is read, so a
browser's cookies can never make one of these writes.
"""

import json
import uuid

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt

from factcheck import services
from factcheck.admin.assertions import AssertionAdminForm
from factcheck.admin.claims import ClaimAdminForm
from factcheck.admin.sources import SourceAdminForm
from factcheck.field_names import ASSERTION_AS_QUOTED
from factcheck.models import Claim, Source, Speaker, Topic
from factcheck.selectors.claims import assertions_with_source_summaries
from factcheck.shapes import claim_json, claim_state_json, conflict_json, error_json, source_detail_json
from factcheck.views import api
from factcheck.voices import load_roots

MAX_BODY = 5 * 2**20  # a source's full text fits; the admin's form takes no more


class _Refused(Exception):
    def __init__(self, status, message, fields=None):
        super().__init__(message)
        self.response = JsonResponse(error_json(message, status, fields), status=status)
        if status == 401:
            self.response["WWW-Authenticate"] = 'Bearer realm="factcheck"'


def _user(request, perm, doing):
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        raise _Refused(401, "Send an API token: Authorization: Bearer <token> (staff issue tokens in the admin).")
    token = services.api_token_authenticate(secret=auth[7:].strip())
    if token is None:
        raise _Refused(401, "This API token is unknown or has been revoked.")
    if not token.user.has_perm(perm):
        raise _Refused(403, f"{doing} needs the permission “{perm}”, which this token's user does not have.")
    return token.user


def _body(request):
    if request.content_type != "application/json":
        raise _Refused(415, "Send the body as JSON (Content-Type: application/json).")
    if len(request.body) > MAX_BODY:
        raise _Refused(413, f"The body is larger than {MAX_BODY // 2**20} MB.")
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _Refused(400, f"The body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise _Refused(400, "The body must be a JSON object of fields.")
    return data


def _fields(data, names):
    """The form's data from the JSON object: strings as given, numbers as text, null as blank."""
    out = {}
    for name in names:
        value = data.get(name)
        if isinstance(value, (dict, list)):
            raise _Refused(400, f"Not saved — {name}: give a single value.", {name: ["Give a single value."]})
        out[name] = "" if value is None else str(value)
    return out


def _invalid(form, rename=None):
    rename = rename or {}
    fields = {}
    for name, errors in form.errors.items():
        fields.setdefault(rename.get(name, name), []).extend(str(m) for m in errors)
    described = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
    return JsonResponse(error_json(f"Not saved — {described}", 400, fields), status=400)


def _claim_answer(request, pk, status=200):
    claim = (
        Claim.objects.select_related("topic", "resolution")
        .prefetch_related(assertions_with_source_summaries(), "translations")
        .get(pk=pk)
    )
    roots = load_roots({a.source_id for a in claim.assertions.all()})
    return JsonResponse(claim_json(claim, request, roots=roots), status=status)


def _json_api(view):
    """Refusals become their JSON answers; the whole request is one transaction, as the admin's change view is.

    The admin's forms lock the row whose version they check (``select_for_update``), which
    needs a transaction; a refusal raised inside it rolls back whatever was begun.
    """

    def wrapped(request, *args, **kwargs):
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except _Refused as refused:
            return refused.response

    return wrapped


SOURCE_FIELDS = ["key", "title", "publisher", "author", "url", "published", "as_of", "kind", "language", "text"]


@_json_api
def _source_create(request):
    user = _user(request, "factcheck.add_source", "Creating sources")
    body = _body(request)
    data = _fields(body, SOURCE_FIELDS)
    for name in SOURCE_FIELDS:
        field = Source._meta.get_field(name)
        if name not in body and field.has_default():
            data[name] = field.get_default()  # as the admin's blank form starts
    if not data["key"] and data["title"].strip():
        # As the admin prepopulates it from the title; a key is what import and export match on.
        data["key"] = f"{slugify(data['title'])[:60].strip('-') or 'source'}-{uuid.uuid4().hex[:8]}"
    form = SourceAdminForm(data=data)
    # The admin's form covers every field; those the API does not take are left to their defaults.
    for name in list(form.fields):
        if name not in SOURCE_FIELDS:
            del form.fields[name]
    if not form.is_valid():
        return _invalid(form)
    source = services.source_create(source=form.instance, user=user)
    return JsonResponse(source_detail_json(source, request, derivations=[], assertions=[]), status=201)


@_json_api
def _claim_create(request):
    user = _user(request, "factcheck.add_claim", "Creating claims")
    body = _body(request)
    data = _fields(body, ["topic", "text", "key", "kind"])
    topic = Topic.objects.filter(slug=data["topic"]).only("id").first() if data["topic"] else None
    if data["topic"] and topic is None:
        raise _Refused(
            400, f"Not saved — topic: there is no topic “{data['topic'][:60]}”.", {"topic": ["No such topic."]}
        )
    form = ClaimAdminForm(data={**data, "topic": topic.pk if topic else "", "kind": data["kind"] or "event"})
    del form.fields["assigned_to"]
    if not form.is_valid():
        return _invalid(form)
    claim = services.claim_create(claim=form.instance, user=user)
    return _claim_answer(request, claim.pk, status=201)


@_json_api
def _claim_edit(request, pk):
    user = _user(request, "factcheck.change_claim", "Editing claims")
    claim = Claim.objects.select_related("topic").filter(pk=pk).first()
    if claim is None:
        raise _Refused(404, f"There is no claim with id {pk}.")
    body = _body(request)
    if not isinstance(body.get("version"), int):
        raise _Refused(400, "Not saved — version: send the version of the claim you read.", {"version": ["Required."]})
    data = {
        "topic": claim.topic_id,
        "text": body.get("text", claim.text),
        "key": claim.key,
        "kind": body.get("kind", claim.kind),
        "base_version": body["version"],
    }
    form = ClaimAdminForm(data=data, instance=claim)
    del form.fields["assigned_to"]
    if not form.is_valid():
        if form.has_error(NON_FIELD_ERRORS, code="stale"):
            return _conflict(body["version"], claim.pk)
        return _invalid(form, rename={"base_version": "version"})
    try:
        services.claim_update(claim=form.instance, user=user, version=body["version"])
    except services.StaleEdit:
        return _conflict(body["version"], claim.pk)
    return _claim_answer(request, claim.pk)


def _conflict(version, pk):
    current = Claim.objects.select_related("assigned_to").filter(pk=pk).first()
    error = services.StaleEdit(current, version, "claim")
    return JsonResponse(conflict_json(error, claim_state_json(current) if current else None), status=409)


ASSERTION_FIELDS = [
    *ASSERTION_AS_QUOTED,
    "as_of",
    "period_end",
    "language",
    "translation",
    "translation_language",
    "translator",
]


@_json_api
def _assertion_create(request, pk):
    user = _user(request, "factcheck.add_assertion", "Adding sources to claims")
    claim = Claim.objects.filter(pk=pk).only("id").first()
    if claim is None:
        raise _Refused(404, f"There is no claim with id {pk}.")
    body = _body(request)
    claim_version = body.get("claim_version")
    if claim_version is not None and not isinstance(claim_version, int):
        raise _Refused(400, "Not saved — claim_version: a whole number.", {"claim_version": ["A whole number."]})
    data = _fields(body, ASSERTION_FIELDS)
    if data["source"] and not Source.objects.filter(pk=data["source"] if data["source"].isdigit() else 0).exists():
        raise _Refused(
            400,
            f"Not saved — source: there is no source with id {data['source'][:20]}.",
            {"source": ["No such source."]},
        )
    speaker = None
    if data["speaker"]:
        speaker = Speaker.objects.filter(slug=data["speaker"]).only("id").first()
        if speaker is None:
            raise _Refused(400, "Not saved — speaker: no speaker has this slug.", {"speaker": ["No such speaker."]})
    form = AssertionAdminForm(data={**data, "claim": claim.pk, "speaker": speaker.pk if speaker else ""})
    if not form.is_valid():
        return _invalid(form)
    try:
        services.assertion_create_located(assertion=form.instance, user=user, claim_version=claim_version)
    except services.StaleEdit:
        return _conflict(claim_version, claim.pk)
    except ValidationError as exc:
        raise _Refused(
            400, f"Not saved — {' '.join(exc.messages)}", exc.message_dict if hasattr(exc, "error_dict") else None
        ) from None
    return _claim_answer(request, claim.pk, status=201)


# Each URL reads with GET (the read API, cached) and writes with POST (a token).


@csrf_exempt
def claims(request):
    return _claim_create(request) if request.method == "POST" else api.claims(request)


@csrf_exempt
def claim(request, pk):
    return _claim_edit(request, pk) if request.method == "POST" else api.claim(request, pk)


@csrf_exempt
def sources(request):
    return _source_create(request) if request.method == "POST" else api.sources(request)


@csrf_exempt
def claim_assertions(request, pk):
    if request.method != "POST":
        return JsonResponse(
            error_json("Only POST: add an assertion to the claim.", 405), status=405, headers={"Allow": "POST"}
        )
    return _assertion_create(request, pk)

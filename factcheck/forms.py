from django import forms
from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404

from factcheck.models import Source, Status, Topic

MAX_QUERY_LENGTH = 500
MAX_PAGE = 1_000_000


class ClaimFilterForm(forms.Form):
    """The filters of ``/claims/`` and ``/api/claims/``.

    Malformed values are a 400; well-formed references to things that do not
    exist (an unknown topic slug or source id) are a 404.
    """

    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    topic = forms.SlugField(max_length=100, required=False)
    source = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    q = forms.CharField(max_length=MAX_QUERY_LENGTH, required=False, strip=True, label="Words in the claim")

    def filter(self, claims):
        """Apply the cleaned filters; returns ``(claims, topic, source)``."""
        data = self.cleaned_data
        topic = source = None
        if data["topic"]:
            topic = Topic.objects.filter(slug=data["topic"]).first()
            if topic is None:
                raise Http404(f"There is no topic “{data['topic']}”.")
            claims = claims.filter(topic=topic)
        if data["source"]:
            source = Source.objects.filter(pk=data["source"]).only("id", "title").first()
            if source is None:
                raise Http404(f"There is no source with id {data['source']}.")
            claims = claims.citing(source)
        if data["status"]:
            claims = claims.filter(status=data["status"])
        if data["q"]:
            claims = claims.filter(text__icontains=data["q"])
        return claims, topic, source


class SearchForm(forms.Form):
    q = forms.CharField(max_length=MAX_QUERY_LENGTH, required=False, strip=True, label="Search")


def describe_errors(form):
    """One line naming each bad parameter and why."""
    return "; ".join(
        f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in form.errors.items()
    )


def cleaned_or_400(form):
    if not form.is_valid():
        raise BadRequest(f"Bad parameter — {describe_errors(form)}")
    return form


def page_number(request):
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        raise BadRequest(f"Bad parameter — page: {raw[:40]!r} is not a whole number.") from None
    if not 1 <= number <= MAX_PAGE:
        raise BadRequest(f"Bad parameter — page: must be between 1 and {MAX_PAGE}.")
    return number


def paginate(request, queryset, per_page, count=None):
    """The requested page of ``queryset``; a page past the end is a 404 saying how many there are."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    number = page_number(request)
    try:
        return paginator.page(number)
    except EmptyPage:
        raise Http404(f"Page {number} does not exist; there are {paginator.num_pages} pages.") from None

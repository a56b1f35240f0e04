"""Languages of quotes, translations beside them, and claims worded in other languages.

The verified original is never touched here: a quote's text and offsets stay
the source's own words. A translation is an editor's, named with its
translator, and shown beneath the original.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from factcheck.language_codes import detect_language, language_name, validate_language_code
from factcheck.models import Assertion, Claim, ClaimTranslation
from factcheck.search.stemming import dominant_script
from factcheck.services.base import check_version, clean_text, delete_as, save_as

MAX_TRANSLATION_LENGTH = 20_000
MAX_CLAIM_TRANSLATION_LENGTH = 2_000
# Shorter quotes are too short for the detector to tell one language from another reliably.
DETECT_MIN_LETTERS = 40


def _code_error(field: str, value: str) -> ValidationError | None:
    try:
        validate_language_code(value)
    except ValidationError as exc:
        return ValidationError({field: exc.messages})
    return None


def check_languages(assertion: Assertion) -> None:
    """``ValidationError`` naming each bad language code or a translation without its language or translator.

    A blank ``language`` is filled from the quote itself when the detector is
    sure it differs from the source's (an English article quoting Russian);
    otherwise it stays blank: the source's language.
    """
    errors: dict[str, list[str]] = {}
    for field in ("language", "translation_language"):
        value = getattr(assertion, field)
        if value:
            problem = _code_error(field, value)
            if problem is not None:
                errors.update(problem.message_dict)
    assertion.translation = (assertion.translation or "").strip()
    assertion.translator = (assertion.translator or "").strip()
    if len(assertion.translation) > MAX_TRANSLATION_LENGTH:
        errors["translation"] = [
            f"At most {MAX_TRANSLATION_LENGTH:,} characters; this has {len(assertion.translation):,}."
        ]
    if assertion.translation:
        if not assertion.translation_language:
            errors.setdefault(
                "translation_language", ["Give the translation's language (an ISO 639-1 code such as “en”)."]
            )
        if not assertion.translator:
            errors["translator"] = ["Name who translated it: a person or an agency."]
    elif assertion.translation_language or assertion.translator:
        errors["translation"] = ["A translator or translation language without a translation: write the translation."]
    if errors:
        raise ValidationError(errors)
    if not assertion.language and assertion.source_id:
        assertion.language = _detected_other_language(assertion)


def _detected_other_language(assertion: Assertion) -> str:
    """The quote's language when it is plainly not its source's; "" when in doubt.

    Plainly: written in another script than the source (a Russian quote in
    an English article) and long enough for the detector to be sure. Between
    languages of one script a short quote is too easily mistaken: an editor
    sets those.
    """
    quote, source = assertion.quote, assertion.source
    if sum(ch.isalpha() for ch in quote) < DETECT_MIN_LETTERS:
        return ""
    if dominant_script(quote) == dominant_script(source.text):
        return ""
    detected = detect_language(quote)
    return detected if detected and detected != source.language else ""


def assertion_set_translation(
    *,
    assertion: Assertion,
    user: AbstractBaseUser,
    version: int,
    translation: str,
    translation_language: str,
    translator: str,
) -> Assertion:
    """Set (or, all blank, remove) the translation shown beneath ``assertion``'s quote, on top of ``version``.

    ``translator`` is a name as it should read after “Translation by”; blank,
    the editor's own. Raises ``ValidationError`` keyed by field, ``StaleEdit``.
    """
    translation = (translation or "").strip()
    if translation and not (translator or "").strip():
        translator = user.get_full_name() or user.get_username()  # type: ignore[attr-defined]
    with transaction.atomic():
        current = Assertion.objects.select_for_update().select_related("source").filter(pk=assertion.pk).first()
        current = check_version(current, version, "assertion")
        before = (current.translation, current.translation_language, current.translator)
        current.translation = translation
        current.translation_language = (translation_language or "").strip() if translation else ""
        current.translator = (translator or "").strip() if translation else ""
        check_languages(current)
        if (current.translation, current.translation_language, current.translator) != before:
            current.version = version + 1
            save_as(current, user)
    return current


def claim_translation_save(*, claim: Claim, user: AbstractBaseUser, language: str, text: str) -> ClaimTranslation:
    """The claim's wording in ``language``: added, or replacing the one there is."""
    problem = _code_error("language", language)
    if problem is not None:
        raise problem
    text = clean_text(text, "text", MAX_CLAIM_TRANSLATION_LENGTH)
    with transaction.atomic():
        found = ClaimTranslation.objects.select_for_update().filter(claim=claim, language=language).first()
        translation = found or ClaimTranslation(claim=claim, language=language)
        if found is None or found.text != text:
            translation.text = text
            save_as(translation, user, reason=f"{language_name(language)} wording")
    return translation


def claim_translation_delete(*, translation: ClaimTranslation, user: AbstractBaseUser) -> None:
    with transaction.atomic():
        delete_as(translation, user)

from factcheck.models import Assertion, ClaimTranslation, Source
from factcheck.models.languages import LanguageFact


def test_it_reads_the_direction_and_name_of_the_language_a_field_holds():
    wording = ClaimTranslation(language="ar", text="…")
    assert (wording.direction, wording.language_name) == ("rtl", "Arabic")
    assert Source(language="fr").direction == "ltr"


def test_it_follows_a_property_as_well_as_a_field():
    source = Source(language="ar")
    quoted = Assertion(source=source, language="", translation_language="fr")
    assert quoted.quote_direction == "rtl"  # the source's language: the quote has none of its own
    assert (quoted.translation_direction, quoted.translation_language_name) == ("ltr", "French")
    quoted.language = "en"
    assert quoted.quote_direction == "ltr"


def test_it_is_itself_on_the_class():
    assert isinstance(Assertion.quote_direction, LanguageFact)

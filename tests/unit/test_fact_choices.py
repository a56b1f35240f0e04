import pytest

from factcheck.models import VERDICT_RATINGS, Stance, Status, Verdict
from factcheck.models.choices import FactChoices


class Size(FactChoices):
    inches: int
    fits: str

    SMALL = "small", 10, "a pocket", "Small"
    LARGE = "large", 20, "a bag", "Large"


def test_it_keeps_value_and_label_as_plain_text_choices():
    assert Size.choices == [("small", "Small"), ("large", "Large")]
    assert Size.values == ["small", "large"]
    assert type(Size.LARGE.value) is str
    assert Size.LARGE == "large" and str(Size.LARGE) == "large"


def test_it_looks_members_up_by_value_and_keeps_their_facts():
    assert Size("large") is Size.LARGE
    assert (Size.SMALL.inches, Size.SMALL.fits) == (10, "a pocket")
    assert Size.LARGE.label == "Large"


def test_it_refuses_a_member_missing_a_fact():
    with pytest.raises(ValueError):

        class Broken(FactChoices):
            inches: int
            fits: str

            SMALL = "small", 10, "Small"


def test_it_gives_every_status_and_stance_its_facts():
    assert all(status.icon and status.phrase for status in Status)
    assert all(stance.icon for stance in Stance)
    assert Status("conflict").phrase == "in conflict"


def test_it_rates_only_the_verdicts_on_the_scale():
    assert {verdict for verdict in Verdict if verdict.rating is None} == {Verdict.UNPROVEN, Verdict.OUTDATED}
    assert VERDICT_RATINGS == {"true": 5, "mostly-true": 4, "mixed": 3, "mostly-false": 2, "false": 1}

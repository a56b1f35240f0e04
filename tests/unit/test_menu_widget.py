"""The kept menus render exactly what Django's own Select renders, per value and language."""

from django import forms
from django.utils import translation

from factcheck.forms import ANY_LANGUAGE, SearchForm
from factcheck.menu_widget import FixedMenu


def test_it_renders_what_a_plain_select_renders_for_each_value():
    for value in ("", "ru", "fr", "not-a-code", None):
        kept = FixedMenu("test-languages", choices=ANY_LANGUAGE).render("language", value, {"id": "id_language"})
        plain = forms.Select(choices=ANY_LANGUAGE).render("language", value, {"id": "id_language"})
        assert kept == plain
    kept = FixedMenu("test-languages", choices=ANY_LANGUAGE)
    assert 'value="ru" selected' in kept.render("language", "ru")
    assert 'value="ru" selected' not in kept.render("language", "fr")


def test_it_keeps_a_rendering_per_interface_language():
    with translation.override("fr"):
        french = str(SearchForm({"status": "conflict"})["status"])
    with translation.override("en"):
        english = str(SearchForm({"status": "conflict"})["status"])
    assert french != english
    assert 'value="conflict" selected' in french and 'value="conflict" selected' in english


def test_it_gives_each_form_its_own_menu_over_the_same_fixed_choices():
    first, second = SearchForm({"language": "ru"}), SearchForm({"language": "Russian"})
    assert first.fields["language"].widget is not second.fields["language"].widget
    first.fields["language"].widget.attrs["class"] = "narrow"
    assert "class" not in second.fields["language"].widget.attrs
    assert "class" not in SearchForm.base_fields["language"].widget.attrs
    assert first.fields["language"].choices == second.fields["language"].choices == list(ANY_LANGUAGE)
    assert first.is_valid() and first.cleaned_data["language"] == "ru"
    assert not second.is_valid() and "“ru”" in second.errors["language"][0]
    assert 'value="ru" selected' in str(first["language"])

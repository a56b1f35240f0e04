"""Compare's source picker: in the navigation, keeps the reader's choice after an error, shows no ids."""

import re

from tests.conftest import make_source


def test_it_keeps_the_chosen_source_ticked_and_first_after_an_error(client, db):
    sources = [make_source(title=title) for title in ("Alpha", "Beta", "Gamma")]
    gamma = sources[2]
    response = client.get("/compare/", {"s": gamma.pk})
    body = response.content.decode()
    assert response.status_code == 400
    assert "you chose only “Gamma”." in body
    boxes = re.findall(r'<input type="checkbox" name="s" value="(\d+)"( checked)?> (\w+)', body)
    assert boxes[0] == (str(gamma.pk), " checked", "Gamma")
    assert [title for _, checked, title in boxes if not checked] == ["Alpha", "Beta"]
    assert "(id " not in body and f"id {gamma.pk}" not in body


def test_it_offers_a_filter_for_the_sources_and_a_place_in_the_navigation(client, db):
    make_source(title="Alpha")
    body = client.get("/").content.decode()
    assert '<a href="/compare/">Compare</a>' in body
    body = client.get("/compare/").content.decode()
    assert 'data-filter-list="source-choices"' in body and 'id="source-choices"' in body

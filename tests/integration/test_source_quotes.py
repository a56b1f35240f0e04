"""The source page reads its quotes as rows: the same HTML as from model instances, and the same cache evictions."""

import pytest
from django.utils import translation

from factcheck.links import url_maker
from factcheck.models import Speaker
from factcheck.passage_index import passage_items
from factcheck.selectors.source_quotes import source_quotes
from factcheck.views.browse import highlighted_text
from tests.conftest import make_quoted_source


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_it_builds_the_same_text_and_index_as_from_model_instances(language):
    source, _ = make_quoted_source()
    instances = list(source.assertions.select_related("claim", "speaker").order_by("start", "id"))
    claim_url = url_maker("claim-detail")
    for a in instances:
        a.claim_url = claim_url(a.claim_id)
    with translation.override(language):
        rows = source_quotes(source.pk)
        assert [q.pk for q in rows] == [a.pk for a in instances]
        assert highlighted_text(source.text, rows) == highlighted_text(source.text, instances)
        assert passage_items(rows) == passage_items(instances)
    assert "&lt;press office&gt;" in passage_items(rows)


@pytest.mark.django_db(transaction=True)
def test_it_evicts_the_source_page_when_a_quoted_speaker_is_renamed(client):
    source, speaker = make_quoted_source()
    url = f"/sources/{source.pk}/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    Speaker.objects.filter(pk=speaker.pk).update(name="The presidential press service")

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "The presidential press service" in response.content.decode()

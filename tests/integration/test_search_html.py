"""Search results built in Python are what the template loops render, character for character."""

import pytest
from django.contrib.auth import get_user_model
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from factcheck.models import Annotation
from factcheck.search_html import QueryString, facets_html, sections_html
from tests.conftest import make_awkward_cast, make_claim, make_conflict_claim, make_source, make_topic

pytestmark = pytest.mark.django_db

URL = reverse("search")
LANGUAGES = ["en", "fr", "ar"]
CONTEXT = ("form", "q", "results", "topic", "kind", "kind_labels", "count_cap", "pages", "facets", "speakers")


@pytest.fixture
def found(db):
    """Every kind of hit, markup to escape in each field, two topics to narrow to, more hits than a section shows."""
    topic, alpha, arabic, _ = make_awkward_cast()
    other = make_topic(title='Bases <"Tartus"> & co', slug="bases-tartus")
    long_text = "Russia & <Syria> agreed on Tartus " + "and on every other base along the coast " * 4 + "for good."
    conflict = make_conflict_claim(alpha, make_source(title="Beta"), topic=other, text=long_text)
    make_claim(topic, "Tartus is <quiet>.", [(arabic, "qualifies", "روسيا تحتفظ بقاعدتها البحرية في طرطوس.")])
    for n in range(5):  # longer than the others: they rank below them
        make_claim(topic, f"Tartus claim {n} & co, " + "with words about other things " * 12 + "at length.")
    author = get_user_model().objects.create(username="ed&<itor>")
    Annotation.objects.create(claim=conflict, author=author, body="Check **Tartus** <again> & again.")
    return topic


def _both(client, params, language, change=None):
    """The partial as the template's loops render it, and as the view sends it, for the same request."""
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE=language, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    context = {key: response.context[key] for key in CONTEXT}
    request = response.wsgi_request
    with translation.override(language):
        if change:  # a state the corpus can't easily reach: both renderings get it
            change(context["results"])
            query_string = QueryString(request.GET)
            built = {
                "sections_html": sections_html(context["results"], kind=context["kind"], query_string=query_string),
                "facets_html": facets_html(context["facets"], query_string),
            }
            sent = render_to_string("factcheck/_search_results.html", {**context, **built}, request=request)
        else:
            sent = response.content.decode()
        loops = {"sections_html": "", "facets_html": ""}
        old = render_to_string("factcheck/_search_results.html", {**context, **loops}, request=request)
    return old, sent


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_renders_the_overview_as_the_template_loops_did(client, found, language):
    old, sent = _both(client, {"q": "Tartus", "status": "", "page": "3", "x": "a&b c"}, language)
    # Every kind, escaping in every field, the long claim clipped, the links to more, the facets.
    for part in (
        "search-hit-claims",
        "search-hit-quotes",
        "search-hit-notes",
        "search-hit-sources",
        "Tartus is &lt;quiet&gt;.",
        "&lt;&quot;Tartus&quot;&gt; &amp; co",
        "The &quot;Times&quot; &lt;of&gt; Tartus &amp; co",
        "ed&amp;&lt;itor&gt;",
        "Russia &amp; &lt;Syria&gt; agreed",
        "…</a>",
        'class="more"',
        'class="facets"',
        "status-conflict",
        "stance-qualifies",
        "x=a%26b+c",
    ):
        assert part in old, part
    assert sent == old


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("params", "part"),
    [
        ({"q": "Tartus", "kind": "claims"}, "search-hit-claims"),  # a kind's own page: no links to more
        ({"q": "Tartus", "kind": "claims", "page": "2"}, 'class="silent"'),  # past its last hit
        ({"q": "Tartus", "topic": "bases-tartus"}, 'class="active-filters"'),  # narrowed to a topic: no facets
        ({"q": "Kremlin"}, 'class="silent"'),  # some kinds match nothing
        ({"q": "quiet Moscow"}, "<mark>موسكو</mark>"),  # no hit holds both words: each holds one
    ],
)
def test_it_renders_narrowed_and_empty_sections_as_the_template_loop_did(client, found, language, params, part):
    old, sent = _both(client, params, language)
    assert part in old
    assert ('class="more"' in old) == (params == {"q": "Kremlin"})
    assert sent == old


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_renders_capped_and_paraphrased_sections_as_the_template_loop_did(client, found, language):
    def change(results):
        results.kinds["claims"].capped = True
        results.kinds["claims"].total = 1234
        results.paraphrased = True

    old, sent = _both(client, {"q": "Tartus"}, language, change)
    assert 'class="hint"' in old and "1" in old
    assert sent == old


def test_it_leaves_nothing_to_search_for_to_the_template(client, db):
    body = client.get(URL, {"q": "?!"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Nothing to search for" in body and "search-section" not in body


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=Tartus",
        "page=2&q=a%26b+c&kind=quotes&kind=notes",
        "q=%D8%B7%D8%B1%D8%B7%D9%88%D8%B3&topic=x&page=",
        "page=3",
    ],
)
@pytest.mark.parametrize(
    "changes", [{"page": None, "kind": "claims"}, {"page": None, "topic": "bases"}, {"page": None}]
)
def test_its_query_strings_are_the_querystring_tags(rf, query, changes):
    request = rf.get(f"/search/?{query}")
    arguments = " ".join(f"{k}={'None' if v is None else repr(v)}" for k, v in changes.items())
    template = "{% querystring " + arguments + " %}"
    expected = engines["django"].from_string(template).render({}, request)
    assert QueryString(request.GET)(**changes) == expected

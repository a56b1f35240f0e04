"""The review queue: tabs of work for editors (conflicts, drafts to approve, new evidence…), with counts and sorts."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from factcheck.forms import ReviewFilterForm, cleaned_or_400
from factcheck.models import Claim
from factcheck.pagination import paginate
from factcheck.selectors.claims import review_filter_choices
from factcheck.selectors.queue import (
    QUEUE_SORTS,
    QUEUE_TABS,
    WAITING_MEANS,
    assigned_filter,
    sorted_tab,
    tab_claims,
    tab_counts,
)
from factcheck.views.common import editor_required


@require_safe
@editor_required("factcheck.change_claim", gettext_lazy("The review queue"))
def review_queue(request):
    form = cleaned_or_400(ReviewFilterForm(request.GET))
    data = form.cleaned_data
    filtered, topic, source = form.filter(Claim.objects.all())
    filtered = assigned_filter(filtered, user=request.user, assigned=data["assigned"])
    tab, sort = data["tab"], data["sort"]
    claims = sorted_tab(tab_claims(tab, user=request.user, claims=filtered), sort)
    page = paginate(request, claims.select_related("topic", "assigned_to"), settings.FACTCHECK_PAGE_SIZE)
    counts = tab_counts(request.user, claims=filtered)
    context = {
        "form": form,
        "page": page,
        "topic": topic,
        "source": source,
        "here": request.get_full_path(),
        "can_assign": True,
        "tab": tab,
        "sort": sort,
        "tabs": [(key, label, counts[key]) for key, label in QUEUE_TABS],
        "sorts": QUEUE_SORTS,
        "waiting_means": WAITING_MEANS[tab],
    }
    if request.htmx:
        return render(request, "factcheck/_review_results.html", context)
    context["topic_choices"], context["source_choices"] = review_filter_choices()
    return render(request, "factcheck/review_queue.html", context)

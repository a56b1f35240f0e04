"""The review queue: unresolved conflicts, oldest first, for editors to pick up."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from factcheck.forms import ReviewFilterForm, cleaned_or_400
from factcheck.models import Claim
from factcheck.pagination import paginate
from factcheck.selectors.claims import queued_claims, review_filter_choices
from factcheck.views.common import editor_required


@require_safe
@editor_required("factcheck.change_claim", "The review queue")
def review_queue(request):
    form = cleaned_or_400(ReviewFilterForm(request.GET))
    claims, topic, source = form.filter(Claim.objects.select_related("topic", "assigned_to"))
    claims = queued_claims(claims, user=request.user, assigned=form.cleaned_data["assigned"])
    page = paginate(request, claims, settings.FACTCHECK_PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "topic": topic,
        "source": source,
        "here": request.get_full_path(),
        "can_assign": True,
    }
    if request.htmx:
        return render(request, "factcheck/_review_results.html", context)
    # The filter menus offer only topics and sources that have a conflict to review.
    context["topic_choices"], context["source_choices"] = review_filter_choices()
    return render(request, "factcheck/review_queue.html", context)

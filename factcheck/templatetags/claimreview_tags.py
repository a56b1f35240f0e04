"""``{% claimreview_script claim %}``: the claim's ClaimReview JSON-LD, or nothing."""

from django import template

from factcheck.claimreview import claim_review, closed_resolution, json_ld_script

register = template.Library()


@register.simple_tag(takes_context=True)
def claimreview_script(context, claim):
    if closed_resolution(claim) is None:
        return ""
    # The claim page already holds the assertions with their sources; reuse
    # them rather than query again, but only if they are this claim's.
    assertions = context.get("assertions")
    if not isinstance(assertions, (list, tuple)) or any(a.claim_id != claim.pk for a in assertions):
        assertions = list(claim.assertions.select_related("source").defer("source__text").order_by("start", "id"))
    request = context.get("request")
    data = claim_review(claim, assertions, request.build_absolute_uri)
    return json_ld_script(data)

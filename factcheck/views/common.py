from django.http import Http404


def get_or_404(queryset, what, **lookup):
    """The one object matching ``lookup``, or a 404 that names what was missing."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        described = ", ".join(f"{name.replace('pk', 'id')} {value}" for name, value in lookup.items())
        raise Http404(f"There is no {what} with {described}.")
    return obj

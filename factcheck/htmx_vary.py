"""``Vary: HX-Request`` on every response, as django-htmx's docs recommend.

One URL answers a browser with a page and htmx with a fragment of it, so an
HTTP cache in between — a CDN, a shared proxy, the browser's own back/forward
cache — must key on the header or it will serve the fragment as the page.
Every response gets it rather than only those of views that branch on
``request.htmx``: a new view that branches cannot forget it, and a cache that
keeps htmx answers apart needlessly costs nothing (browsers send the header
only from htmx). No view reads HX-Target, so responses do not vary on it;
one that does must add it with ``patch_vary_headers``.
"""

from django.utils.cache import patch_vary_headers


def vary_on_htmx_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response

    return middleware

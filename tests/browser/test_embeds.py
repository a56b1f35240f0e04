"""An embed framed by another site renders there; a normal page refuses to be framed."""

import functools
import http.server
import threading

import pytest
from playwright.sync_api import expect


@pytest.fixture
def other_origin(tmp_path):
    """A second site on another host and port: a plain static file server, as a newsroom's page would be."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *args: None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_it_renders_the_embed_on_another_origin_and_refuses_to_frame_a_normal_page(chromium, site, urls, other_origin):
    folder, origin = other_origin
    claim_path = urls["bases-claim"]
    claim_id = claim_path.strip("/").split("/")[-1]
    assert not site.url.startswith(origin)  # another origin: other host and port
    (folder / "index.html").write_text(
        "<!doctype html><title>A newsroom</title><h1>Our story</h1>"
        f'<iframe id="embed" title="embed" src="{site.url}/embed/claims/{claim_id}/" width="600" height="400"></iframe>'
        f'<iframe id="page" title="page" src="{site.url}{claim_path}" width="600" height="400"></iframe>',
        encoding="utf-8",
    )
    # Not the watched ``page`` fixture: the refused frame logs a console error on purpose.
    context = chromium.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(f"{origin}/index.html")
        embed = page.frame_locator("#embed")
        expect(embed.locator("h1.embed-claim")).to_contain_text("bases")
        expect(embed.locator(".embed-status")).to_be_visible()
        expect(embed.locator(".embed-sources li").first).to_be_visible()
        # Dark mode followed inside the frame (embed.css's dark background).
        background = embed.locator("body").evaluate("b => getComputedStyle(b).backgroundColor")
        assert background == "rgb(28, 31, 35)"
        # The claim page itself: Chromium refuses it (X-Frame-Options: DENY, frame-ancestors 'none')
        # and shows its own error page in the frame instead.
        page.wait_for_load_state("load")
        framed = page.frame_locator("#page")
        expect(framed.locator("body")).to_be_attached()
        assert framed.locator(".claim-title").count() == 0
        urls_now = [f.url for f in page.frames]
        assert f"{site.url}{claim_path}" not in urls_now and "chrome-error://chromewebdata/" in urls_now, urls_now
    finally:
        context.close()

"""with_room: a request's frames on a stack chunk of their own (factcheck/frame_room.py)."""

import resource

import pytest

from factcheck.frame_room import roomy, with_room


def _down(depth, then):
    return then() if depth == 0 else _down(depth - 1, then)


def _up_and_down(times=1000, depth=40):
    """Rendering's pattern: down by tens of frames and back, again and again."""
    for _ in range(times):
        _down(depth, lambda: None)


def _faults(call):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    call()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_it_returns_what_the_call_returns_and_raises_what_it_raises():
    assert with_room(lambda: 42) == 42
    with pytest.raises(ZeroDivisionError):
        with_room(lambda: 1 / 0)


def test_a_roomy_wsgi_app_answers_as_the_app_does():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["PATH_INFO"].encode()]

    seen = []
    assert roomy(app)({"PATH_INFO": "/x/"}, lambda *args: seen.append(args)) == [b"/x/"]
    assert seen == [("200 OK", [("Content-Type", "text/plain")])]


def test_it_stops_the_frame_stack_churning_at_any_depth():
    # Without it, some base depth puts the oscillation across a chunk's edge: every
    # crossing maps a fresh chunk and faults its page in again.
    worst = max(_faults(lambda depth=depth: _down(depth, _up_and_down)) for depth in range(0, 120, 4))
    assert worst >= 900
    # Under with_room the same oscillation stays inside one chunk at every depth.
    roomy_worst = max(
        _faults(lambda depth=depth: _down(depth, lambda: with_room(_up_and_down))) for depth in range(0, 120, 4)
    )
    assert roomy_worst < 100

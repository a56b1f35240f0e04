"""Room on CPython's frame stack for a whole request, so deep rendering does not churn memory.

CPython (3.11 and later) keeps each thread's Python frames in chunks of a
private stack, 16 KB each, and frees a chunk with ``munmap`` as soon as the
frame at its base returns. Template rendering goes up and down by tens of
frames thousands of times a request; where its depth happens to straddle a
chunk's edge, every crossing maps and unmaps a chunk and faults its page in
again. Which pages straddle an edge depends on how deep the server calls the
app: under gunicorn the topic page made 2,200 such pairs a request (strace)
and cost 31 ms of CPU instead of 15 (docs/performance.md, "Room on the frame
stack").

``with_room(call)`` runs ``call()`` under a frame with 17,000 local slots
(~136 KB) that no code uses: it does not fit the current chunk, so CPython
gives it a chunk of its own, 256 KB, and every frame of the request fits in
the ~120 KB left after it. One map and unmap a request, and ~40 page faults
for the slots CPython clears, instead of thousands. Other Pythons (no such
stack) just make one more call.
"""

_SLOTS = 17_000

# Assigned in a branch that never runs, the names are locals all the same: the slots are
# what makes the frame large. Built from source because no one writes 17,000 names by hand.
_SOURCE = f"""
def with_room(call, unused=False):
    if unused:
        {" = ".join(f"_{i}" for i in range(_SLOTS))} = None
    return call()
"""
_namespace: dict = {}
exec(compile(_SOURCE, __name__, "exec"), _namespace)  # noqa: S102 - fixed source, built above
with_room = _namespace["with_room"]
with_room.__doc__ = "``call()``, its frames on a stack chunk of their own (see the module)."


def roomy(application):
    """A WSGI ``application`` whose every request runs ``with_room``."""

    def handle(environ, start_response):
        return with_room(lambda: application(environ, start_response))

    return handle

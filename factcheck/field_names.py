"""Field names that more than one format or page lists, declared once so that they stay in step.

A source's details are what lists of sources show and what intake saves
from its form; an assertion as quoted is how the CSV corpus format and the
write API name one (each adds its own fields for the period; the API its
language and translation too).
"""

# What a source is, who published it, when and in which language; its key and text aside.
SOURCE_DETAILS = ("title", "publisher", "author", "url", "published", "as_of", "as_of_precision", "kind", "language")

# An assertion as a client gives it: the quote, in which source, where, who said it and when.
ASSERTION_AS_QUOTED = ("source", "stance", "quote", "occurrence", "speaker", "stated_on")

"""Reads for pages and the API: whatever a view needs that is more than a one-line queryset.

Each function runs a fixed number of queries, named in its docstring, however
large the corpus. Selectors read; they never write (that is services.py) and
never answer a request (that is views/): a missing object is the view's 404.
"""

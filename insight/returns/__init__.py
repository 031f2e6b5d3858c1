"""Statutory returns: each return's schema, its rows from the records, and its validation.

`schema.py` is the small generic API every return registers with; `ssd.py` and `annex_a.py` are
the returns; `selectors.py` says whose cases each person may return; `views.py` the pages.
"""

"""The error a document raises when it cannot be printed.

Kept apart from cases/documents/pdf.py so that services can catch it without loading WeasyPrint and
pyHanko, which are heavy and needed only when a document is actually printed.
"""


class DocumentRenderError(Exception):
    """A document could not be rendered exactly as its template describes."""

"""Which HTTP methods a view is for.

A page that only shows answers a POST with 405, and a form answers a PUT the same way. The
allowed methods are kept on the view (`view.http_methods`), so the authorization matrix reads
them from the resolved URL instead of from a list kept by hand beside it.
"""

from django.views.decorators.http import require_http_methods


def accepts(*methods: str):
    """Accept only these methods; anything else answers 405 before access is checked."""
    allowed = frozenset(method.upper() for method in methods)

    def decorator(view):
        checked = require_http_methods(sorted(allowed))(view)
        checked.http_methods = allowed
        return checked

    return decorator


def http_methods(view) -> frozenset[str]:
    """The methods a view declared with `accepts`, or none if it declared nothing."""
    return getattr(view, "http_methods", frozenset())

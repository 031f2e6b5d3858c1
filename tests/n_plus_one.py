"""N+1 detection for every request the suite makes to the product's own pages.

The Django admin's inline formsets fetch rows one by one by design; they are configuration
screens, not pages practitioners load, so they are left out.
"""

from zeal import zeal_context


class NPlusOneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            return self.get_response(request)
        with zeal_context():
            return self.get_response(request)

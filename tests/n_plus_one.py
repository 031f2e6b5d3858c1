"""N+1 detection for every request the suite makes to the product's own pages.

The Django admin's inline formsets fetch rows one by one by design; they are configuration
screens, not pages practitioners load, so they are left out. So is the pathway editor's
preview: it replays a sample family through the real services one day after another (the
replayer's loop, `flowchart/replay.py`), which repeats each day's reads by design; it is not a
list. Its own test counts what it costs (tests/adminconfig/test_pathway_editor.py).
"""

from django.urls import Resolver404, resolve
from zeal import zeal_context

# Pages that run the scenario replayer while answering.
REPLAYING = frozenset({"flowchart:pathway_publish"})


def _replays(path: str) -> bool:
    try:
        return resolve(path).view_name in REPLAYING
    except Resolver404:
        return False


class NPlusOneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") or _replays(request.path_info):
            return self.get_response(request)
        with zeal_context():
            return self.get_response(request)

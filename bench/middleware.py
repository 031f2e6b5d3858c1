"""The bench server's one addition: how much CPU each request took in the worker, as a header.

Wall-clock latency on a shared machine grows with everyone else's load; the CPU a request burns
in its worker hardly does. bench/status.lua collects the header, so each page gets both figures.
On SQLite the queries run inside the worker and are counted; on PostgreSQL they run in the
database server and are not.
"""

import time


class CpuTimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A sync worker serves one request at a time on one thread: the thread's CPU clock is the
        # request's.
        started = time.thread_time()
        response = self.get_response(request)
        response["X-Bench-Cpu-Us"] = str(round((time.thread_time() - started) * 1_000_000))
        return response

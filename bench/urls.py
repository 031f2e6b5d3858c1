"""The product's URLs plus the benchmark's two floor views (config.settings.bench only).

The floors say what any page costs before it does its own work: `floor/plain` is Django and the
middleware with no user; `floor/signed-in` adds the session, the user, the MFA check and a small
template with the context processors, which every signed-in page pays too.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

from config import urls as config_urls


def floor_plain(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def floor_signed_in(request):
    return render(request, "bench/floor.html")


urlpatterns = [
    path("bench/floor/plain", floor_plain, name="bench_floor_plain"),
    path("bench/floor/signed-in", floor_signed_in, name="bench_floor_signed_in"),
    path("", include("config.urls")),
]

# The product's error pages, which Django reads from the root urlconf.
handler403 = config_urls.handler403
handler404 = config_urls.handler404
handler500 = config_urls.handler500

"""The floor for page benchmarks: the least a Django view can do, behind the same middleware.

Mounted at /bench/floor only when BENCH_FLOOR_VIEW is on (bench/pages.py sets it for its server).
"""

from django.http import HttpResponse

BODY = b"<!doctype html><title>floor</title><p>ok</p>"


def floor(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")

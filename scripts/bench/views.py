"""The benchmark's bare view and its SQL-timing middleware (scripts.bench.settings only)."""

from __future__ import annotations

import time

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from content.models import Topic


@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    """A small template and one COUNT query: what a page costs before it does any work."""
    return render(request, "bench/bare.html", {"topics": Topic.objects.count()})


def sql_timing(get_response):
    """Count and time every query of the request (connection.execute_wrapper) and report them
    in X-Bench-Queries and X-Bench-SQL-ms; the harness reads them from a few requests a page."""

    def middleware(request: HttpRequest) -> HttpResponse:
        spent = [0, 0.0]

        def timed(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += 1
                spent[1] += time.perf_counter() - start

        with connection.execute_wrapper(timed):
            response = get_response(request)
        response["X-Bench-Queries"] = str(spent[0])
        response["X-Bench-SQL-ms"] = f"{spent[1] * 1000:.2f}"
        return response

    return middleware

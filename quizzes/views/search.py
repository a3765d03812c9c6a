"""Search: the page parses the query, asks `content.search` and renders (issue 12)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from content.search import Results
from content.search import search as search_content
from quizzes.forms import SearchForm
from studyapp.types import HtmxHttpRequest


@require_GET
@login_required
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Notes, facts, cards and questions matching every term; counts per type; paged."""
    form = SearchForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        results = search_content(data["q"], kind=data["type"], page=data["page"] or 1)
    else:
        results = Results(q=request.GET.get("q", "")[:200])
    template = "quizzes/study/search.html"
    htmx = request.htmx
    if htmx and not htmx.history_restore_request and htmx.target == "search-results":
        template += "#results"
    context = {"form": form, "results": results}
    response = render(request, template, context, status=200 if form.is_valid() else 400)
    patch_vary_headers(response, ["HX-Request"])
    return response

"""Search: the page parses the query, asks `content.search` and renders (issue 12)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from content.search import Results
from content.search import search as search_content
from quizzes.forms import SearchForm
from studyapp.freshness import cached_render, content_cached
from studyapp.types import HtmxHttpRequest


@require_GET
@login_required
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Notes, facts, cards and questions matching every term; counts per type; paged."""
    form = SearchForm(request.GET)
    valid = form.is_valid()

    def build():  # only when the page is not kept; results are the same for every learner
        if not valid:
            return {"form": form, "results": Results(q=request.GET.get("q", "")[:200])}
        data = form.cleaned_data
        args = (data["q"], data["type"], data["page"] or 1)
        results = content_cached(
            request.user,
            "search",
            lambda: search_content(args[0], kind=args[1], page=args[2]),
            parts=args,
        )
        return {"form": form, "results": results}

    template = "quizzes/study/search.html"
    htmx = request.htmx
    if htmx and not htmx.history_restore_request and htmx.target == "search-results":
        template += "#results"
    status = 200 if valid else 400
    response = cached_render(request, template, "search", build, now=timezone.now(), status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response

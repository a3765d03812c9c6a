"""The two response rules every quizzes view shares.

- `page_or_partial()`: one URL serves a full page or, to htmx, the inline partial the page
  owns (django-template-partials' `template#partial`). It always sends
  `Vary: HX-Request, HX-History-Restore-Request` (a cache, or the browser's Back button, must
  keep both bodies apart) and serves the full page on an htmx history-restore request (htmx
  asks for the whole page when its history cache misses: a fragment would replace the page).
- `answer_refusals`: the one place that turns a `WriteRefused` from a service into a 4xx
  response: JSON for JSON endpoints, plain text for htmx/fetch callers, otherwise the page
  the view names (re-rendered with the message) or the generic refused page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from quizzes.services import WriteRefused
from studyapp.freshness import EVERY_MINUTE, cached_render
from studyapp.types import HtmxHttpRequest

VARY = ["HX-Request", "HX-History-Restore-Request"]


def wants_partial(request: HtmxHttpRequest) -> bool:
    """True for an htmx request that swaps a fragment (not boosted, not a history restore)."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def page_or_partial(
    request: HtmxHttpRequest,
    template: str,
    partial: str,
    context: dict | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """`template` rendered whole, or only its inline partial `partial` for an htmx swap."""
    return vary_on_htmx(
        render(request, _partial_name(request, template, partial), context, status=status)
    )


def kept_page_or_partial(
    request: HtmxHttpRequest,
    template: str,
    partial: str,
    name: str,
    build: Callable[[], dict | tuple[dict, int]],
    *,
    now,
    parts=(),
    status: int = 200,
    changes_at=EVERY_MINUTE,
) -> HttpResponse:
    """`page_or_partial()` through the page cache (`studyapp.freshness.cached_render`):
    `build()` makes the context (or context and status) only when the page is not kept."""
    name_ = _partial_name(request, template, partial)
    kept = cached_render(
        request, name_, name, build, now=now, parts=parts, status=status, changes_at=changes_at
    )
    return vary_on_htmx(kept)


def _partial_name(request: HtmxHttpRequest, template: str, partial: str) -> str:
    """`template#partial` for an htmx swap, else `template`."""
    return f"{template}#{partial}" if wants_partial(request) else template


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Mark a response whose body depends on the htmx request headers (`page_or_partial` does
    it; a view whose page and fragment come from different templates calls it itself)."""
    patch_vary_headers(response, VARY)
    return response


RefusalPage = Callable[..., HttpResponse | None]


def refusal_response(request: HtmxHttpRequest, refused: WriteRefused, *, json: bool = False):
    """The default answer to a refused write: JSON, plain text (htmx), or the refused page."""
    if json:
        return JsonResponse({"error": refused.message, "code": refused.code}, status=refused.status)
    if request.htmx:
        return HttpResponse(
            refused.message, status=refused.status, content_type="text/plain; charset=utf-8"
        )
    context = {"message": refused.message, "status": refused.status}
    return render(request, "quizzes/refused.html", context, status=refused.status)


def answer_refusals(*, json: bool = False, page: RefusalPage | None = None):
    """Decorator: a `WriteRefused` escaping the view becomes a 4xx response.

    `page(request, refused, *args, **kwargs)` may render the view's own page with the message
    (a form with its error, the review session with a notice); when it is not given or returns
    None, `refusal_response()` answers.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except WriteRefused as refused:
                response = page(request, refused, *args, **kwargs) if page else None
                return response or refusal_response(request, refused, json=json)

        return wrapper

    return decorate

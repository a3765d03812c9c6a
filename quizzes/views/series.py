"""The test series: /tests/ (the papers) and /tests/<slug>/ (instructions, start, standing).

Taking a paper and its result use the Prelims attempt pages (exam mode, result with rank and
percentile): a paper attempt is a timed mock with a `paper`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from content.models import Paper
from quizzes.selectors import series as selectors
from quizzes.services import prelims as prelims_service
from quizzes.services import series as service
from quizzes.services.prelims import AttemptError
from studyapp.freshness import cached_render
from studyapp.types import HtmxHttpRequest


def _published(slug: str) -> Paper:
    return get_object_or_404(Paper.objects.published(), slug=slug)


@require_GET
@login_required
def series(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    prelims_service.attempts_expire(learner=request.user, now=now)
    build = lambda: {"rows": selectors.series_list(request.user, now=now)}  # noqa: E731
    ranks = selectors.takers_version()
    return cached_render(
        request,
        "quizzes/series/list.html",
        "series",
        build,
        now=now,
        parts=(ranks,),
        changes_at=selectors.series_changes_at,
    )


def _paper_page(request: HtmxHttpRequest, paper: Paper, *, error: str = "", status: int = 200):
    now = timezone.now()
    build = lambda: {  # noqa: E731
        "page": selectors.paper_page(request.user, paper, now=now),
        "error": error,
    }
    ranks = selectors.takers_version(paper.pk)
    template = "quizzes/series/paper.html"
    return cached_render(request, template, "paper", build, now=now, parts=(ranks,), status=status)


@require_GET
@login_required
def paper(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    paper = _published(slug)
    prelims_service.attempts_expire(learner=request.user, now=timezone.now())
    return _paper_page(request, paper)


@require_POST
@login_required
def paper_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    paper = _published(slug)
    if request.POST.get("agree") != "1":
        return _paper_page(
            request, paper, error="Tick “I have read the instructions” to start.", status=400
        )
    try:
        attempt = service.paper_attempt_start(learner=request.user, paper=paper)
    except AttemptError as error:
        return _paper_page(request, paper, error=error.message, status=error.status)
    if not attempt.ranked:
        messages.info(request, "This attempt is practice: it is scored but not ranked.")
    url = reverse("quizzes:attempt", args=[attempt.pk])
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)

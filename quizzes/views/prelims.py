"""Prelims: start practice or a mock, take it, see the result and review every question.

Attempts and results render only from the snapshots stored on each item when the attempt
started, so a later edit to a question never changes what a learner saw or scored. Writes go
through quizzes.services.prelims; every view 404s on another learner's attempt.
"""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url
from django_ratelimit.decorators import ratelimit

from content.models import Question, Topic, visible_q
from quizzes.forms import PrelimsAnswerForm, PrelimsStartForm
from quizzes.models import Attempt
from quizzes.selectors.prelims import (
    attempt_page,
    attempt_result,
    attempt_url,
    first_open_question,
    prelims_home,
)
from quizzes.selectors.series import takers_version
from quizzes.services import WriteRefused
from quizzes.services import prelims as service
from quizzes.services.prelims import PrelimsAction
from quizzes.views.responses import answer_refusals, page_or_partial
from studyapp.freshness import cached_render
from studyapp.types import HtmxHttpRequest


def _own_attempt(request: HtmxHttpRequest, pk: int) -> Attempt:
    return get_object_or_404(Attempt, pk=pk, learner=request.user)


def _redirect(request: HtmxHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def _answer_refused(request: HtmxHttpRequest, refused: WriteRefused, pk: int):
    """A refused answer post: plain text for htmx/fetch callers (the default), else the refused
    page with a way back to the test or to its result."""
    if request.htmx:
        if isinstance(refused, service.AttemptClosed):
            # The page is about to go to the result (prelims.js): say there why.
            messages.warning(request, refused.message)
        return None
    attempt = Attempt.objects.filter(pk=pk, learner=request.user).first()
    context = {"attempt": attempt, "message": refused.message, "status": refused.status}
    return render(request, "quizzes/refused.html", context, status=refused.status)


def _expire(request: HtmxHttpRequest, now: dt.datetime) -> None:
    if service.attempts_expire(learner=request.user, now=now):
        messages.info(
            request,
            "Time ran out on your mock test: it was submitted automatically with the answers "
            "you had saved.",
        )


# ---- /prelims/ ----------------------------------------------------------------------------


def _start_form(mode: str, data=None, *, preselect: str = "") -> PrelimsStartForm:
    """The practice or the mock start form (ids prefixed so both fit on one page)."""
    initial = {"mode": mode, "topics": [preselect] if preselect else []}
    if mode == Attempt.Mode.MOCK:
        initial["size"] = "25"
    return PrelimsStartForm(
        data,
        initial=initial,
        topics=Topic.objects.visible(),
        auto_id="mock_%s" if mode == Attempt.Mode.MOCK else "practice_%s",
    )


def _home_context(request: HtmxHttpRequest, *, practice_form=None, mock_form=None) -> dict:
    page = prelims_home(request.user, now=timezone.now(), topic_slug=request.GET.get("topic"))
    preselect = page["preselected"]
    practice_form = practice_form or _start_form(Attempt.Mode.PRACTICE, preselect=preselect)
    mock_form = mock_form or _start_form(Attempt.Mode.MOCK, preselect=preselect)
    per_topic = {t.pk: t.question_count for t in page["topics"]}
    for form in (practice_form, mock_form):
        form.fields["topics"].label_from_instance = lambda t: (
            f"{t.title} ({per_topic.get(t.pk, 0)})"
        )
        form.fields["kinds"].choices = [(k, f"{label} ({n})") for k, label, n in page["kinds"]]
    return page | {"practice_form": practice_form, "mock_form": mock_form}


@require_GET
@login_required
def home(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    _expire(request, now)
    build = lambda: _home_context(request)  # noqa: E731
    return cached_render(request, "quizzes/prelims/home.html", "prelims", build, now=now)


def _start_refused(request: HtmxHttpRequest, refused: WriteRefused):
    """The home page again, the refused form showing why (400)."""
    mode = request.POST.get("mode")
    form = _start_form(_mode_of(mode), request.POST)
    if form.is_valid() or refused.message:
        form.add_error(None, refused.message)
    forms = {"mock_form" if mode == Attempt.Mode.MOCK else "practice_form": form}
    return render(request, "quizzes/prelims/home.html", _home_context(request, **forms), status=400)


def _mode_of(value: str | None) -> str:
    return Attempt.Mode.MOCK if value == Attempt.Mode.MOCK else Attempt.Mode.PRACTICE


@require_POST
@login_required
@ratelimit(key="user", rate="10/m", method="POST", block=True)
@answer_refusals(page=_start_refused)
def start(request: HtmxHttpRequest) -> HttpResponse:
    form = _start_form(_mode_of(request.POST.get("mode")), request.POST)
    if not form.is_valid():
        raise WriteRefused("", code="invalid_form")
    data = form.cleaned_data
    attempt = service.attempt_start(
        learner=request.user,
        mode=data["mode"],
        count=data["count"],
        topics=[t.slug for t in data["topics"]],
        kinds=data["kinds"],
        pool=data["pool"],
        # A mock's clock is set by its length: when the chosen topics or formats hold fewer
        # questions, the learner decides before it starts (the whole bank's size is on the form).
        exact=data["mode"] == Attempt.Mode.MOCK and bool(data["topics"] or data["kinds"]),
    )
    if attempt.question_count < data["count"]:
        messages.info(
            request,
            f"You asked for {data['count']} questions but only {attempt.question_count} match "
            f"your choice, so this {attempt.get_mode_display().lower()} has "
            f"{attempt.question_count}.",
        )
    return _redirect(request, attempt_url(attempt))


# ---- taking an attempt --------------------------------------------------------------------


def _closed_redirect(request: HtmxHttpRequest, attempt: Attempt, now) -> HttpResponse | None:
    """Send a submitted (or just timed-out) attempt to its result page."""
    if attempt.submitted_at is None and service.is_overdue(attempt, now):
        service.attempt_submit(attempt_id=attempt.pk, learner=request.user, now=now, auto=True)
        messages.info(
            request,
            "Time is up: your test was submitted automatically with the answers you had saved.",
        )
        attempt.submitted_at = now
    if attempt.submitted_at is not None:
        return _redirect(request, reverse("quizzes:attempt-result", args=[attempt.pk]))
    return None


@require_GET
@login_required
def attempt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    attempt = _own_attempt(request, pk)
    closed = _closed_redirect(request, attempt, now)
    if closed:
        return closed
    try:
        q = int(request.GET["question"])
    except (KeyError, ValueError):
        q = first_open_question(attempt)
    q = min(max(1, q), attempt.question_count or 1)
    service.attempt_visit(attempt=attempt, order=q)
    context = attempt_page(request.user, attempt, q, now)
    return page_or_partial(request, "quizzes/prelims/attempt.html", "exam", context)


def _next_question(action: str, order: int, goto: int | None, n: int) -> int:
    if action == PrelimsAction.GOTO and goto:
        return min(max(1, goto), n)
    if action in (PrelimsAction.SAVE, PrelimsAction.MARK):
        return min(order + 1, n)
    return order


@require_POST
@login_required
@answer_refusals(page=_answer_refused)
def answer(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    form = PrelimsAnswerForm(request.POST)
    if not form.is_valid():
        _own_attempt(request, pk)  # another learner's test: not found, whatever was posted
        raise WriteRefused(form.first_error(), code="invalid_form")
    data = form.cleaned_data
    action = data["action"]
    seconds = 0
    if data.get("shown_at") and action != PrelimsAction.PICK:
        # Time on the question since it was rendered; capped so a stale tab adds little.
        seconds = min(max(0, math.floor(now.timestamp() - data["shown_at"])), 30 * 60)
    try:
        # The service locks the learner's own attempt (one query for ownership and the lock).
        attempt = service.attempt_answer(
            attempt_id=pk,
            learner=request.user,
            order=data["order"],
            action=action,
            chosen=data.get("choice"),
            seconds=seconds,
            now=now,
        ).attempt
    except Attempt.DoesNotExist:
        raise Http404("No such test of yours.") from None
    q = _next_question(action, data["order"], data.get("goto"), attempt.question_count)
    if not request.htmx:
        return redirect(attempt_url(attempt, q))
    if q != data["order"]:
        service.attempt_visit(attempt=attempt, order=q)
    context = attempt_page(request.user, attempt, q, now)
    partial = "palette" if action == PrelimsAction.PICK else "exam"
    response = page_or_partial(request, "quizzes/prelims/attempt.html", partial, context)
    return response if partial == "palette" else push_url(response, attempt_url(attempt, q))


@require_POST
@login_required
def submit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    attempt = _own_attempt(request, pk)
    # The countdown posts timeout=1 when it reaches zero: that is an automatic submission
    # (trusted only once the deadline has really come, give or take the device's clock).
    timed_out = (
        request.POST.get("timeout") == "1"
        and attempt.deadline is not None
        and now >= attempt.deadline - dt.timedelta(seconds=5)
    )
    if not timed_out and attempt.submitted_at is None and request.POST.get("confirm") != "1":
        # Blanks left: ask first (prelims.js asks in a dialog and posts confirm=1 itself).
        blank = attempt.items.unanswered_orders()
        if blank:
            context = {"attempt": attempt, "blank": blank, "practice": attempt.mode == "practice"}
            return render(request, "quizzes/prelims/confirm_submit.html", context)
    attempt, done = service.attempt_submit(
        attempt_id=attempt.pk, learner=request.user, now=now, auto=timed_out
    )
    if done and attempt.auto_submitted:
        messages.info(
            request,
            "Time is up: your test was submitted automatically with the answers you had saved.",
        )
    return _redirect(request, reverse("quizzes:attempt-result", args=[attempt.pk]))


# ---- result and review --------------------------------------------------------------------


@require_GET
@login_required
def result(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    attempt = _own_attempt(request, pk)
    if attempt.submitted_at is None:
        if not service.is_overdue(attempt, now):
            messages.info(request, "Submit the test to see its result.")
            return redirect(attempt_url(attempt))
        attempt, _ = service.attempt_submit(
            attempt_id=attempt.pk, learner=request.user, now=now, auto=True
        )
        messages.info(
            request,
            "Time is up: your test was submitted automatically with the answers you had saved.",
        )
    show = request.GET.get("show", "all")
    if show not in ("all", "right", "wrong", "blank"):
        show = "all"
    ranks = takers_version(attempt.paper_id) if attempt.paper_id else None
    build = lambda: attempt_result(request.user, attempt, show=show)  # noqa: E731
    template = "quizzes/prelims/result.html"
    # A submitted attempt's result never changes with time (only ranks do: `ranks`).
    return cached_render(
        request, template, "result", build, now=now, parts=(ranks,), changes_at=None
    )


# ---- bookmarks ----------------------------------------------------------------------------


@require_POST
@login_required
def bookmark(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.filter(
            visible_q(Question) | Q(bookmarks__learner=request.user)
        ).distinct(),
        pk=pk,
    )
    marked = service.bookmark_toggle(learner=request.user, question_id=question.pk)
    next_url = request.POST.get("next", "")
    # A path of ours only ("/…"): redirect() would read a bare word as a URL name.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("quizzes:prelims")
    if request.htmx:
        context = {"question_id": question.pk, "bookmarked": marked, "next": next_url}
        return render(request, "quizzes/prelims/_bookmark.html", context)
    messages.success(request, "Bookmarked." if marked else "Bookmark removed.")
    return redirect(next_url)

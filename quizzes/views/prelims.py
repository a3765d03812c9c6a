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
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url

from content.formats import LETTERS
from content.models import Question, QuestionKind, Status, Topic
from quizzes import scoring
from quizzes.forms import AnswerForm, PrelimsStartForm
from quizzes.models import Attempt, AttemptItem, Bookmark
from quizzes.services import prelims as service
from quizzes.services.prelims import Action, AttemptError
from studyapp.types import HtmxHttpRequest

# How each format is named in sentences ("your wrong answers in statement questions ...").
FORMAT_NOUNS = {
    QuestionKind.SINGLE: "single-answer",
    QuestionKind.STATEMENTS: "statement",
    QuestionKind.PAIRS: "match-the-pairs",
    QuestionKind.ASSERTION_REASON: "Statement-I/Statement-II",
}
KIND_LABELS = dict(QuestionKind.choices)

PALETTE_STATES = {
    "mock": [
        ("not-visited", "Not visited"),
        ("not-answered", "Not answered"),
        ("answered", "Answered"),
        ("marked", "Marked for review"),
        ("answered-marked", "Answered & marked for review"),
    ],
    "practice": [
        ("not-visited", "Not visited"),
        ("not-answered", "Not answered"),
        ("right", "Right"),
        ("wrong", "Wrong"),
    ],
}


# ---- presentation (no queries) --------------------------------------------------------------


def present_question(
    snapshot: dict, *, chosen: int | None = None, reveal: bool = False, key: int | None = None
) -> dict:
    """What a template needs to show one stored question in the UPSC layout.

    Without `reveal` nothing that gives the answer away (truths, key, explanations) is put in
    the result at all, so a mock page cannot leak it.
    """
    kind = snapshot.get("kind", "")
    n_statements = len(snapshot.get("statements", []))
    statements = []
    for i, s in enumerate(snapshot.get("statements", []), start=1):
        if kind == QuestionKind.ASSERTION_REASON and n_statements == 2:
            label = "Statement-I:" if i == 1 else "Statement-II:"
        else:
            label = f"{i}."
        row = {"label": label, "text": s["text"]}
        if reveal:
            row.update(true=s["true"], explanation=s.get("explanation", ""))
        statements.append(row)
    pairs = []
    for i, p in enumerate(snapshot.get("pairs", []), start=1):
        row = {"number": i, "left": p["left"], "right": p["right"]}
        if reveal:
            row.update(correct=p["correct"], explanation=p.get("explanation", ""))
        pairs.append(row)
    explanations = snapshot.get("option_explanations") or []
    options = []
    for i, text in enumerate(snapshot.get("options", [])):
        row = {"index": i, "letter": LETTERS[i], "text": text, "chosen": i == chosen}
        if reveal:
            row.update(
                is_key=i == key, explanation=explanations[i] if i < len(explanations) else ""
            )
        options.append(row)
    columns = snapshot.get("columns") or ["", ""]
    view = {
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, kind),
        "stem": snapshot.get("stem", ""),
        "prompt": snapshot.get("prompt", ""),
        "statements": statements,
        "pairs": pairs,
        "columns": [columns[0] or "List I", columns[1] or "List II"],
        "options": options,
        "topic": snapshot.get("topic", ""),
        "topic_title": snapshot.get("topic_title", ""),
        "reveal": reveal,
    }
    if reveal:
        truths = [s["true"] for s in snapshot.get("statements", [])]
        if kind == QuestionKind.ASSERTION_REASON and truths == [True, True]:
            view["link"] = (
                "Statement-II explains Statement-I."
                if snapshot.get("explains")
                else "Statement-II is correct but does not explain Statement-I."
            )
        view.update(
            key_letter=LETTERS[key] if key is not None else "",
            chosen_letter=LETTERS[chosen] if chosen is not None else "",
            explanation=snapshot.get("explanation", ""),
            sources=snapshot.get("sources", []),
            topic_url=reverse("quizzes:topic-detail", args=[snapshot["topic"]])
            if snapshot.get("topic")
            else "",
        )
    return view


def palette_state(item: AttemptItem, mode: str) -> str:
    """The palette colour of one item, as in the UPSC computer-based test."""
    answered = item.chosen is not None
    if mode == Attempt.Mode.PRACTICE:
        if answered:
            return "right" if item.is_correct else "wrong"
        return "not-answered" if item.visited else "not-visited"
    if answered and item.marked_for_review:
        return "answered-marked"
    if item.marked_for_review:
        return "marked"
    if answered:
        return "answered"
    return "not-answered" if item.visited else "not-visited"


def clock(seconds: float | int | None) -> str:
    """'1:05:09' or '4:07' for a number of seconds."""
    if seconds is None:
        return "—"
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def marks(thirds: int | None) -> str:
    """Marks for display: two decimals, a true minus sign (−0.67), never "−0.00"."""
    return scoring.format_marks(thirds).replace("-", "\u2212")


def _percent_display(value) -> str:
    return "—" if value is None else f"{value}%"


# ---- helpers ------------------------------------------------------------------------------


def _own_attempt(request: HtmxHttpRequest, pk: int) -> Attempt:
    return get_object_or_404(Attempt, pk=pk, learner=request.user)


def _attempt_url(attempt: Attempt, q: int | None = None) -> str:
    url = reverse("quizzes:attempt", args=[attempt.pk])
    return f"{url}?question={q}" if q else url


def _redirect(request: HtmxHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def _refuse(request: HtmxHttpRequest, attempt: Attempt | None, message: str, status: int):
    """A refused post: 4xx with one clear sentence (plain text for htmx/fetch callers)."""
    if request.htmx:
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    context = {"attempt": attempt, "message": message, "status": status}
    return render(request, "quizzes/prelims/refused.html", context, status=status)


def _expire(request: HtmxHttpRequest, now: dt.datetime) -> None:
    if service.attempts_expire(learner=request.user, now=now):
        messages.info(
            request,
            "Time ran out on your mock test: it was submitted automatically with the answers "
            "you had saved.",
        )


# ---- /prelims/ ----------------------------------------------------------------------------


def _home_context(request: HtmxHttpRequest, *, practice_form=None, mock_form=None) -> dict:
    learner = request.user
    now = timezone.now()
    topics = list(Topic.objects.for_list())
    preselect = [t.slug for t in topics if t.slug == request.GET.get("topic")]
    practice_form = practice_form or PrelimsStartForm(
        initial={"mode": Attempt.Mode.PRACTICE, "topics": preselect},
        topics=Topic.objects.published(),
        auto_id="practice_%s",
    )
    mock_form = mock_form or PrelimsStartForm(
        initial={"mode": Attempt.Mode.MOCK, "topics": preselect, "size": "25"},
        topics=Topic.objects.published(),
        auto_id="mock_%s",
    )
    bank = dict(
        Question.objects.published()
        .filter(topic__status=Status.PUBLISHED)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    bank_total = sum(bank.values())
    per_topic = {t.pk: t.question_count for t in topics}
    for form in (practice_form, mock_form):
        form.fields["topics"].label_from_instance = lambda t: (
            f"{t.title} ({per_topic.get(t.pk, 0)})"
        )
        form.fields["kinds"].choices = [
            (k, f"{label} ({bank.get(k, 0)})") for k, label in QuestionKind.choices
        ]
    open_attempts = []
    for a in (
        Attempt.objects.filter(learner=learner)
        .open()
        .annotate(answered=Count("items", filter=Q(items__chosen__isnull=False)))
        .order_by("-started_at")[:10]
    ):
        left = (a.deadline - now).total_seconds() if a.deadline else None
        open_attempts.append({"attempt": a, "left": clock(left) if left is not None else ""})
    past = []
    for a in (
        Attempt.objects.filter(learner=learner, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .only(
            "pk",
            "mode",
            "title",
            "submitted_at",
            "auto_submitted",
            "score_thirds",
            "question_count",
            "correct_count",
            "wrong_count",
            "blank_count",
        )[:20]
    ):
        past.append(
            {
                "attempt": a,
                "score": marks(a.score_thirds),
                "max": a.question_count * scoring.MARKS_PER_QUESTION,
                "percent": _percent_display(
                    scoring.percent(a.score_thirds or 0, scoring.max_thirds(a.question_count))
                ),
            }
        )
    mistakes = service.mistakes_count(learner)
    bookmarks = Bookmark.objects.filter(learner=learner, question__status=Status.PUBLISHED).count()
    return {
        "topics": topics,
        "practice_form": practice_form,
        "mock_form": mock_form,
        "kinds": [(k, label, bank.get(k, 0)) for k, label in QuestionKind.choices],
        "bank_total": bank_total,
        "full_paper_possible": bank_total >= scoring.FULL_PAPER_QUESTIONS,
        "open_attempts": open_attempts,
        "past": past,
        "mistakes": mistakes,
        "bookmarks": bookmarks,
        "preselected": preselect[0] if preselect else "",
    }


@require_GET
@login_required
def home(request: HtmxHttpRequest) -> HttpResponse:
    _expire(request, timezone.now())
    return render(request, "quizzes/prelims/home.html", _home_context(request))


@require_POST
@login_required
def start(request: HtmxHttpRequest) -> HttpResponse:
    mode = request.POST.get("mode")
    form = PrelimsStartForm(
        request.POST,
        topics=Topic.objects.published(),
        auto_id="mock_%s" if mode == Attempt.Mode.MOCK else "practice_%s",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            attempt = service.attempt_start(
                learner=request.user,
                mode=data["mode"],
                count=data["count"],
                topics=[t.slug for t in data["topics"]],
                kinds=data["kinds"],
                pool=data["pool"],
            )
        except AttemptError as error:
            form.add_error(None, error.message)
        else:
            if attempt.question_count < data["count"]:
                messages.info(
                    request,
                    f"Only {attempt.question_count} questions matched your choice, so this "
                    f"{attempt.get_mode_display().lower()} has {attempt.question_count}.",
                )
            return _redirect(request, _attempt_url(attempt))
    forms = {"mock_form" if mode == Attempt.Mode.MOCK else "practice_form": form}
    context = _home_context(request, **forms)
    return render(request, "quizzes/prelims/home.html", context, status=400)


# ---- taking an attempt --------------------------------------------------------------------


def _first_open_question(items: list[AttemptItem]) -> int:
    for item in items:
        if item.chosen is None:
            return item.order
    return 1


def _taking_context(request: HtmxHttpRequest, attempt: Attempt, q: int, now) -> dict:
    """Palette (no snapshots), the current item (one snapshot) and the clock."""
    items = list(attempt.items.for_palette())
    n = len(items)
    q = min(max(1, q), n) if n else 1
    item = attempt.items.get(order=q)
    practice = attempt.mode == Attempt.Mode.PRACTICE
    reveal = practice and item.chosen is not None
    counts: dict[str, int] = dict.fromkeys(dict(PALETTE_STATES[attempt.mode]), 0)
    palette = []
    state_labels = dict(PALETTE_STATES[attempt.mode])
    for it in items:
        if it.order == q:
            it.visited = True
        state = palette_state(it, attempt.mode)
        counts[state] += 1
        palette.append(
            {
                "order": it.order,
                "state": state,
                "label": state_labels[state],
                "current": it.order == q,
            }
        )
    legend = [(s, label, counts[s]) for s, label in PALETTE_STATES[attempt.mode]]
    left = (attempt.deadline - now).total_seconds() if attempt.deadline else None
    answered = sum(1 for it in items if it.chosen is not None)
    return {
        "attempt": attempt,
        "practice": practice,
        "item": item,
        "q": q,
        "n": n,
        "question": present_question(
            item.snapshot, chosen=item.chosen, reveal=reveal, key=item.key if reveal else None
        ),
        "right": reveal and item.chosen == item.key,
        "palette": palette,
        "legend": legend,
        "answered": answered,
        "unanswered": n - answered,
        "marked": sum(1 for it in items if it.marked_for_review),
        "prev": q - 1 if q > 1 else None,
        "next": q + 1 if q < n else None,
        "shown_at": f"{now.timestamp():.3f}",
        "seconds_left": max(0, int(left)) if left is not None else None,
        "clock_left": clock(left) if left is not None else "",
        "deadline_ms": int(attempt.deadline.timestamp() * 1000) if attempt.deadline else "",
        "now_ms": int(now.timestamp() * 1000),
        "bookmarked": Bookmark.objects.filter(
            learner=request.user, question_id=item.question_id
        ).exists(),
        "bookmark_next": _attempt_url(attempt, q),
    }


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
        q = _first_open_question(list(attempt.items.for_palette()))
    q = min(max(1, q), attempt.question_count or 1)
    service.attempt_visit(attempt=attempt, order=q)
    context = _taking_context(request, attempt, q, now)
    template = "quizzes/prelims/attempt.html"
    return render(request, f"{template}#exam" if request.htmx else template, context)


def _next_question(action: str, order: int, goto: int | None, n: int) -> int:
    if action == Action.GOTO and goto:
        return min(max(1, goto), n)
    if action in (Action.SAVE, Action.MARK):
        return min(order + 1, n)
    return order


@require_POST
@login_required
def answer(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    attempt = _own_attempt(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _refuse(request, attempt, form.first_error(), 400)
    data = form.cleaned_data
    action = data["action"]
    seconds = 0
    if data.get("shown_at") and action != Action.PICK:
        # Time on the question since it was rendered; capped so a stale tab adds little.
        seconds = min(max(0, math.floor(now.timestamp() - data["shown_at"])), 30 * 60)
    try:
        service.attempt_answer(
            attempt_id=attempt.pk,
            learner=request.user,
            order=data["order"],
            action=action,
            chosen=data.get("choice"),
            seconds=seconds,
            now=now,
        )
    except AttemptError as error:
        if request.htmx and isinstance(error, service.AttemptClosed):
            # The page is about to go to the result (prelims.js): say there why.
            messages.warning(request, error.message)
        return _refuse(request, attempt, error.message, error.status)
    q = _next_question(action, data["order"], data.get("goto"), attempt.question_count)
    if not request.htmx:
        return redirect(_attempt_url(attempt, q))
    template = "quizzes/prelims/attempt.html"
    if q != data["order"]:
        service.attempt_visit(attempt=attempt, order=q)
    context = _taking_context(request, attempt, q, now)
    if action == Action.PICK:
        return render(request, f"{template}#palette", context)
    return push_url(render(request, f"{template}#exam", context), _attempt_url(attempt, q))


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


def _group_rows(rows, *, label_of) -> list[dict]:
    out = []
    for row in rows:
        t = scoring.Tally(row["correct"], row["wrong"], row["blank"])
        out.append(
            {
                "key": row["label"],
                "label": label_of(row),
                "correct": t.correct,
                "wrong": t.wrong,
                "blank": t.blank,
                "questions": t.questions,
                "score": marks(t.score_thirds),
                "max": t.questions * scoring.MARKS_PER_QUESTION,
                "lost": marks(t.lost_thirds),
                "accuracy": _percent_display(
                    scoring.percent(t.correct, t.attempted) if t.attempted else None
                ),
                "bar": max(
                    0, scoring.percent(t.score_thirds, scoring.max_thirds(t.questions)) or 0
                ),
                "tally": t,
            }
        )
    return out


@require_GET
@login_required
def result(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    now = timezone.now()
    attempt = _own_attempt(request, pk)
    if attempt.submitted_at is None:
        if not service.is_overdue(attempt, now):
            messages.info(request, "Submit the test to see its result.")
            return redirect(_attempt_url(attempt))
        attempt, _ = service.attempt_submit(
            attempt_id=attempt.pk, learner=request.user, now=now, auto=True
        )
        messages.info(
            request,
            "Time is up: your test was submitted automatically with the answers you had saved.",
        )
    tally = scoring.Tally(attempt.correct_count, attempt.wrong_count, attempt.blank_count)
    kind_order = list(KIND_LABELS)
    by_format = sorted(
        _group_rows(
            attempt.items.breakdown("kind"),
            label_of=lambda r: KIND_LABELS.get(r["label"], r["label"]),
        ),
        key=lambda r: kind_order.index(r["key"]) if r["key"] in kind_order else len(kind_order),
    )
    by_topic = sorted(
        _group_rows(attempt.items.breakdown("topic"), label_of=lambda r: r["title"] or r["label"]),
        key=lambda r: r["label"],
    )
    earlier = []
    if attempt.mode == Attempt.Mode.MOCK:
        earlier = list(
            Attempt.objects.filter(learner=request.user, submitted_at__lt=attempt.submitted_at)
            .submitted_mocks()
            .only("pk", "title", "submitted_at", "score_thirds", "question_count")[:5]
        )
    earlier_rows = [
        {
            "attempt": a,
            "score": marks(a.score_thirds),
            "max": a.question_count * scoring.MARKS_PER_QUESTION,
            "percent": scoring.percent(a.score_thirds or 0, scoring.max_thirds(a.question_count)),
        }
        for a in earlier
    ]
    previous = earlier[0] if earlier else None
    advice = scoring.guidance(
        overall=tally,
        formats=[
            scoring.Group(
                FORMAT_NOUNS.get(r["key"], r["label"]), r["correct"], r["wrong"], r["blank"]
            )
            for r in by_format
        ],
        topics=[scoring.Group(r["label"], r["correct"], r["wrong"], r["blank"]) for r in by_topic],
        previous_thirds=previous.score_thirds if previous else None,
        previous_questions=previous.question_count if previous else None,
    )
    items = list(attempt.items.all())
    bookmarked = set(
        Bookmark.objects.filter(
            learner=request.user, question_id__in=[i.question_id for i in items]
        ).values_list("question_id", flat=True)
    )
    review = [
        {
            "item": item,
            "question": present_question(
                item.snapshot, chosen=item.chosen, reveal=True, key=item.key
            ),
            "verdict": "blank"
            if item.chosen is None
            else ("right" if item.chosen == item.key else "wrong"),
            "marks": marks(scoring.item_thirds(item.chosen, item.key)),
            "seconds": clock(item.seconds_spent) if item.seconds_spent else "",
            "bookmarked": item.question_id in bookmarked,
        }
        for item in items
    ]
    show = request.GET.get("show", "all")
    if show not in ("all", "right", "wrong", "blank"):
        show = "all"
    if show != "all":
        review = [row for row in review if row["verdict"] == show]
    used = (attempt.submitted_at - attempt.started_at).total_seconds()
    percent = scoring.percent(attempt.score_thirds or 0, scoring.max_thirds(attempt.question_count))
    context = {
        "attempt": attempt,
        "tally": tally,
        "score": marks(attempt.score_thirds),
        "max_marks": attempt.question_count * scoring.MARKS_PER_QUESTION,
        "score_percent": _percent_display(percent),
        "lost": marks(tally.lost_thirds),
        "gross": marks(tally.correct * scoring.RIGHT_THIRDS),
        "accuracy": _percent_display(
            scoring.percent(tally.correct, tally.attempted) if tally.attempted else None
        ),
        "time_used": clock(used),
        "time_allowed": clock((attempt.deadline - attempt.started_at).total_seconds())
        if attempt.deadline
        else "",
        "per_question": clock(used / attempt.question_count) if attempt.question_count else "—",
        "by_format": by_format,
        "by_topic": by_topic,
        "earlier": earlier_rows,
        "previous": earlier_rows[0] if previous else None,
        "this_percent": percent,
        "advice": advice,
        "review": review,
        "show": show,
        "mistake_count": tally.wrong,
    }
    return render(request, "quizzes/prelims/result.html", context)


# ---- bookmarks ----------------------------------------------------------------------------


@require_POST
@login_required
def bookmark(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.filter(
            Q(status=Status.PUBLISHED) | Q(bookmarks__learner=request.user)
        ).distinct(),
        pk=pk,
    )
    marked = service.bookmark_toggle(learner=request.user, question_id=question.pk)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("quizzes:prelims")
    if request.htmx:
        context = {"question_id": question.pk, "bookmarked": marked, "next": next_url}
        return render(request, "quizzes/prelims/_bookmark.html", context)
    messages.success(request, "Bookmarked." if marked else "Bookmark removed.")
    return redirect(next_url)

"""The Prelims pages: `/prelims/` (start practice or a mock, past attempts), the attempt page
(`/prelims/attempts/<id>/`) and the result with its review (`.../result/`).

Attempts and results render only from the snapshots stored on each item when the attempt
started, so a later edit to a question never changes what a learner saw or scored. Indexes
relied on: Attempt.learner (then submitted_at / started_at), AttemptItem (attempt, order)
unique constraint, Bookmark (learner, question) unique constraint.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from content.formats import LETTERS
from content.models import Question, QuestionKind, Topic, visible_q
from quizzes import scoring
from quizzes.models import Attempt, AttemptItem, Bookmark
from quizzes.selectors import series as series_selectors
from quizzes.services import prelims as service

# How each format is named in sentences ("your wrong answers in statement questions ...").
FORMAT_NOUNS = {
    QuestionKind.SINGLE: "single-answer",
    QuestionKind.STATEMENTS: "statement",
    QuestionKind.PAIRS: "match-the-pairs",
    QuestionKind.ASSERTION_REASON: "Statement-I/Statement-II",
}
KIND_LABELS = dict(QuestionKind.choices)

PALETTE_STATES = {
    Attempt.Mode.MOCK: [
        ("not-visited", "Not visited"),
        ("not-answered", "Not answered"),
        ("answered", "Answered"),
        ("marked", "Marked for review"),
        ("answered-marked", "Answered & marked for review"),
    ],
    Attempt.Mode.PRACTICE: [
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


def attempt_url(attempt: Attempt, q: int | None = None) -> str:
    """The attempt page's URL, at question `q` when given."""
    url = reverse("quizzes:attempt", args=[attempt.pk])
    return f"{url}?question={q}" if q else url


def first_open_question(attempt: Attempt) -> int:
    """The order of the attempt's first unanswered question (1 when all are answered)."""
    return _first_open_question(list(attempt.items.for_palette()))


def _first_open_question(items: list[AttemptItem]) -> int:
    for item in items:
        if item.chosen is None:
            return item.order
    return 1


def attempt_page(learner, attempt: Attempt, q: int, now) -> dict:
    """The attempt page (`/prelims/attempts/<id>/`) at question `q`: the palette (no
    snapshots), the current item (one snapshot) and the clock."""
    items = list(attempt.items.for_palette())
    n = len(items)
    q = min(max(1, q), n) if n else 1
    bookmarked = Bookmark.objects.filter(learner=learner, question=OuterRef("question_id"))
    item = attempt.items.annotate(bookmarked=Exists(bookmarked)).get(order=q)
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
        "bookmarked": item.bookmarked,
        "bookmark_next": attempt_url(attempt, q),
    }


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


def _past_attempts(learner) -> list[dict]:
    """The learner's last 20 submitted attempts with score and percent."""
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
    return past


def _open_attempts(learner, now) -> list[dict]:
    """The learner's last 10 attempts still running, with answers so far and time left."""
    rows = []
    for a in (
        Attempt.objects.filter(learner=learner)
        .open()
        .annotate(answered=Count("items", filter=Q(items__chosen__isnull=False)))
        .order_by("-started_at")[:10]
    ):
        left = (a.deadline - now).total_seconds() if a.deadline else None
        rows.append({"attempt": a, "left": clock(left) if left is not None else ""})
    return rows


def prelims_home(learner, *, now, topic_slug: str | None) -> dict:
    """The Prelims home page (`/prelims/`) without its two start forms: topics with question
    counts, the bank by format, open and past attempts, mistakes and bookmarks to practise."""
    topics = list(Topic.objects.for_list())
    preselect = [t.slug for t in topics if t.slug == topic_slug]
    bank = dict(Question.objects.visible().order_by().values_list("kind").annotate(n=Count("pk")))
    bank_total = sum(bank.values())
    return {
        "topics": topics,
        "bank": bank,
        "kinds": [(k, label, bank.get(k, 0)) for k, label in QuestionKind.choices],
        "bank_total": bank_total,
        "full_paper_possible": bank_total >= scoring.FULL_PAPER_QUESTIONS,
        "open_attempts": _open_attempts(learner, now),
        "past": _past_attempts(learner),
        "mistakes": service.mistakes_count(learner),
        "bookmarks": Bookmark.objects.filter(
            visible_q(Question, "question"), learner=learner
        ).count(),
        "preselected": preselect[0] if preselect else "",
    }


def _by_format_and_topic(attempt: Attempt) -> tuple[list[dict], list[dict]]:
    """The attempt's breakdown rows by question format (in format order) and by topic."""
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
    return by_format, by_topic


def _earlier_mocks(learner, attempt: Attempt) -> list[Attempt]:
    """Up to five of the learner's mocks of the same kind submitted before this one, newest
    first. Like with like: the same paper family ("" for custom mocks) and the same length."""
    if attempt.mode != Attempt.Mode.MOCK:
        return []
    return list(
        Attempt.objects.filter(
            learner=learner,
            submitted_at__lt=attempt.submitted_at,
            family=attempt.family,
            question_count=attempt.question_count,
        )
        .submitted_mocks()
        .only("pk", "title", "submitted_at", "score_thirds", "question_count")[:5]
    )


def _review_rows(learner, attempt: Attempt, show: str) -> list[dict]:
    """Every question of the attempt with the answer revealed, filtered by verdict `show`."""
    items = list(attempt.items.all())
    shares = series_selectors.question_shares(attempt)  # test-series papers only
    bookmarked = set(
        Bookmark.objects.filter(
            learner=learner, question_id__in=[i.question_id for i in items]
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
            "shares": shares.get(item.question_id),
        }
        for item in items
    ]
    if show != "all":
        review = [row for row in review if row["verdict"] == show]
    return review


def attempt_result(learner, attempt: Attempt, *, show: str) -> dict:
    """The result page (`/prelims/attempts/<id>/result/`) of a submitted attempt: score with
    UPSC marking, breakdowns by format and topic, earlier mocks, guidance and the review of
    every question (`show`: all, right, wrong or blank)."""
    tally = scoring.Tally(attempt.correct_count, attempt.wrong_count, attempt.blank_count)
    by_format, by_topic = _by_format_and_topic(attempt)
    earlier = _earlier_mocks(learner, attempt)
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
    used = (attempt.submitted_at - attempt.started_at).total_seconds()
    percent = scoring.percent(attempt.score_thirds or 0, scoring.max_thirds(attempt.question_count))
    return {
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
        "review": _review_rows(learner, attempt, show),
        "show": show,
        "mistake_count": tally.wrong,
        "standing": series_selectors.result_standing(attempt, learner=learner),
    }

"""The data export (`/progress/export/`): every row of the learner's own history.

One query per table, each reading only this learner's rows through its indexed learner
column (ReviewLog, Attempt, MainsAnswer, NoteProgress, CardState, Bookmark, the learner's
own Flashcards; AttemptItem through its attempt). Times are ISO 8601 in UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections import defaultdict

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from content.formats import LETTERS
from quizzes import progress, scoring
from quizzes.models import (
    Attempt,
    AttemptItem,
    Bookmark,
    CardState,
    MainsAnswer,
    NoteProgress,
    ReviewLog,
)
from quizzes.selectors import own_cards
from quizzes.selectors.card_study import CARD_MARK_COLUMNS, card_mark_rows

RATING_LABELS = dict(ReviewLog.Rating.choices)


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return str(value)


def _letter(index: int | None) -> str:
    return LETTERS[index] if index is not None and 0 <= index < len(LETTERS) else ""


def _review_rows(learner) -> list[dict]:
    """The learner's card ratings, oldest first."""
    reviews = [
        {
            "id": r["pk"],
            "reviewed_at": _iso(r["reviewed_at"]),
            "card": r["card__slug"],
            "topic": r["card__topic__slug"],
            "rating": r["rating"],
            "rating_label": RATING_LABELS.get(r["rating"], ""),
            "duration_ms": r["duration_ms"] if r["duration_ms"] is not None else "",
            "state_before": json.dumps(r["state_before"]) if r["state_before"] else "",
            "state_after": json.dumps(r["state_after"]),
        }
        for r in ReviewLog.objects.filter(learner=learner)
        .order_by("reviewed_at", "pk")
        .values(
            "pk",
            "reviewed_at",
            "card__slug",
            "card__topic__slug",
            "rating",
            "duration_ms",
            "state_before",
            "state_after",
        )
        .iterator(chunk_size=2000)
    ]
    return reviews


def _attempt_rows(learner) -> list[dict]:
    """The learner's Prelims attempts with their marks, oldest first."""
    attempts = [
        {
            "id": a["pk"],
            "mode": a["mode"],
            "title": a["title"],
            "started_at": _iso(a["started_at"]),
            "deadline": _iso(a["deadline"]),
            "submitted_at": _iso(a["submitted_at"]),
            "auto_submitted": a["auto_submitted"],
            "questions": a["question_count"],
            "correct": a["correct_count"],
            "wrong": a["wrong_count"],
            "blank": a["blank_count"],
            "score": scoring.format_marks(a["score_thirds"])
            if a["score_thirds"] is not None
            else "",
            "max_marks": a["question_count"] * scoring.MARKS_PER_QUESTION,
            "marks_lost_to_negative_marking": scoring.format_marks(
                progress.marks_lost_thirds(a["wrong_count"])
            ),
        }
        for a in Attempt.objects.filter(learner=learner)
        .order_by("started_at", "pk")
        .values(
            "pk",
            "mode",
            "title",
            "started_at",
            "deadline",
            "submitted_at",
            "auto_submitted",
            "question_count",
            "correct_count",
            "wrong_count",
            "blank_count",
            "score_thirds",
        )
        .iterator(chunk_size=2000)
    ]
    return attempts


def _attempt_item_rows(learner) -> list[dict]:
    """Every question of the learner's attempts, as shown and answered."""
    items = [
        {
            "attempt_id": i["attempt_id"],
            "order": i["order"],
            "question": i["question__slug"],
            "topic": (i["snapshot"] or {}).get("topic", ""),
            "format": (i["snapshot"] or {}).get("kind", ""),
            "chosen": _letter(i["chosen"]),
            "key": _letter(i["key"]),
            "is_correct": "" if i["is_correct"] is None else i["is_correct"],
            "marked_for_review": i["marked_for_review"],
            "seconds_spent": i["seconds_spent"],
            "answered_at": _iso(i["answered_at"]),
        }
        for i in AttemptItem.objects.filter(attempt__learner=learner)
        .order_by("attempt_id", "order")
        .values(
            "attempt_id",
            "order",
            "question__slug",
            "snapshot",
            "chosen",
            "key",
            "is_correct",
            "marked_for_review",
            "seconds_spent",
            "answered_at",
        )
        .iterator(chunk_size=2000)
    ]
    return items


def _mains_rows(learner) -> list[dict]:
    """The learner's Mains answers with the key points they ticked (two queries)."""
    covered = defaultdict(list)
    for answer_id, text in MainsAnswer.covered_points.through.objects.filter(
        mainsanswer__learner=learner
    ).values_list("mainsanswer_id", "keypoint__text"):
        covered[answer_id].append(text)
    mains = [
        {
            "id": m["pk"],
            "question": m["question__slug"],
            "topic": m["question__topic__slug"],
            "marks": m["question__marks"],
            "word_limit": m["question__word_limit"],
            "status": "submitted" if m["submitted_at"] else "draft",
            "started_at": _iso(m["started_at"]),
            "submitted_at": _iso(m["submitted_at"]),
            "words": m["words"],
            "seconds": m["seconds"],
            "self_score": "" if m["self_score"] is None else str(m["self_score"]),
            "key_points_ticked": " | ".join(covered.get(m["pk"], [])),
            "mentor_score": "" if m["mentor_score"] is None else str(m["mentor_score"]),
            "mentor_feedback": m["mentor_feedback"],
            "feedback_at": _iso(m["feedback_at"]),
            "text": m["text"],
        }
        for m in MainsAnswer.objects.filter(learner=learner)
        .order_by("started_at", "pk")
        .values(
            "pk",
            "question__slug",
            "question__topic__slug",
            "question__marks",
            "question__word_limit",
            "started_at",
            "submitted_at",
            "words",
            "seconds",
            "self_score",
            "mentor_score",
            "mentor_feedback",
            "feedback_at",
            "text",
        )
    ]
    return mains


def _note_rows(learner) -> list[dict]:
    """The notes the learner marked studied."""
    notes = [
        {"topic": n["topic__slug"], "title": n["topic__title"], "studied_at": _iso(n["studied_at"])}
        for n in NoteProgress.objects.filter(learner=learner)
        .order_by("studied_at")
        .values("topic__slug", "topic__title", "studied_at")
    ]
    return notes


def _card_state_rows(learner) -> list[dict]:
    """The learner's FSRS card states."""
    cards = [
        {
            "card": c["card__slug"],
            "topic": c["card__topic__slug"],
            "state": CardState.State(c["state"]).label,
            "due": _iso(c["due"]),
            "stability": c["stability"] if c["stability"] is not None else "",
            "difficulty": c["difficulty"] if c["difficulty"] is not None else "",
            "reps": c["reps"],
            "lapses": c["lapses"],
            "introduced_at": _iso(c["introduced_at"]),
        }
        for c in CardState.objects.filter(learner=learner)
        .order_by("introduced_at", "pk")
        .values(
            "card__slug",
            "card__topic__slug",
            "state",
            "due",
            "stability",
            "difficulty",
            "reps",
            "lapses",
            "introduced_at",
        )
    ]
    return cards


def _bookmark_rows(learner) -> list[dict]:
    """The learner's bookmarked questions."""
    bookmarks = [
        {"question": b["question__slug"], "created_at": _iso(b["created_at"])}
        for b in Bookmark.objects.filter(learner=learner)
        .order_by("created_at")
        .values("question__slug", "created_at")
    ]
    return bookmarks


def export_tables(learner) -> dict[str, list[dict]]:
    """Every row of the learner's own history, one list of flat dicts per kind.

    One query per table (plus one for the key points ticked in Mains answers), each reading
    only this learner's rows. Times are ISO 8601 in UTC.
    """
    return {
        "reviews": _review_rows(learner),
        "attempts": _attempt_rows(learner),
        "attempt_items": _attempt_item_rows(learner),
        "mains_answers": _mains_rows(learner),
        "notes_studied": _note_rows(learner),
        "card_states": _card_state_rows(learner),
        "bookmarks": _bookmark_rows(learner),
        "own_cards": own_cards.own_card_rows(learner),
        "card_marks": card_mark_rows(learner),
    }


EXPORT_COLUMNS = {
    "reviews": [
        "id",
        "reviewed_at",
        "card",
        "topic",
        "rating",
        "rating_label",
        "duration_ms",
        "state_before",
        "state_after",
    ],
    "attempts": [
        "id",
        "mode",
        "title",
        "started_at",
        "deadline",
        "submitted_at",
        "auto_submitted",
        "questions",
        "correct",
        "wrong",
        "blank",
        "score",
        "max_marks",
        "marks_lost_to_negative_marking",
    ],
    "attempt_items": [
        "attempt_id",
        "order",
        "question",
        "topic",
        "format",
        "chosen",
        "key",
        "is_correct",
        "marked_for_review",
        "seconds_spent",
        "answered_at",
    ],
    "mains_answers": [
        "id",
        "question",
        "topic",
        "marks",
        "word_limit",
        "status",
        "started_at",
        "submitted_at",
        "words",
        "seconds",
        "self_score",
        "key_points_ticked",
        "mentor_score",
        "mentor_feedback",
        "feedback_at",
        "text",
    ],
    "notes_studied": ["topic", "title", "studied_at"],
    "card_states": [
        "card",
        "topic",
        "state",
        "due",
        "stability",
        "difficulty",
        "reps",
        "lapses",
        "introduced_at",
    ],
    "bookmarks": ["question", "created_at"],
    "own_cards": own_cards.EXPORT_COLUMNS,
    "card_marks": CARD_MARK_COLUMNS,
}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _formula_like(value) -> bool:
    """A text cell a spreadsheet would run as a formula (a plain negative number is data)."""
    return (
        isinstance(value, str)
        and value[:1] in FORMULA_STARTS
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        # Text starting with = + - @ (or tab/CR) would run as a formula in a spreadsheet: mark
        # it as text with a leading apostrophe (OWASP's advice for CSV injection). Every text
        # cell, not only free text: titles and slugs come from authors and imports too.
        writer.writerow({k: f"'{v}" if _formula_like(v) else v for k, v in row.items()})
    return out.getvalue()


def export_name(learner, profile, *, now: dt.datetime) -> str:
    """The download's file name (without extension): user name and the learner's local date."""
    stamp = timezone.localtime(now, profile.tzinfo).strftime("%Y-%m-%d")
    return f"studyapp-{learner.username}-{stamp}"


def export_json(learner, profile, *, now: dt.datetime) -> str:
    """The learner's account, profile and every history table as one JSON document."""
    document = {
        "exported_at": _iso(now),
        "user": {
            "username": learner.username,
            "email": learner.email,
            "date_joined": _iso(learner.date_joined),
        },
        "profile": {
            "exam_date": _iso(profile.exam_date),
            "daily_new_cards": profile.daily_new_cards,
            "timezone": profile.timezone,
            "desired_retention": profile.desired_retention,
        },
        **export_tables(learner),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def export_zip(learner, *, name: str) -> bytes:
    """One CSV per history table (columns as `EXPORT_COLUMNS`), zipped under `name/`."""
    tables = export_tables(learner)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, columns in EXPORT_COLUMNS.items():
            # utf-8-sig: spreadsheets open the file with the right encoding.
            archive.writestr(
                f"{name}/{kind}.csv", _csv_text(columns, tables[kind]).encode("utf-8-sig")
            )
    return buffer.getvalue()

"""Storing checked answer pages (quizzes.uploads checks them) and deleting a learner's files.

Pages are attached inside the answer's save/submit transaction, after every check passed; the
files are written to the `answers` storage under a random name. If the transaction then fails,
the files written are removed again (transaction.on_commit cannot say "rolled back", so the
writer cleans up on the exception). Account deletion removes every file of the learner
(studyapp.views.delete_account).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db.models import Count, Sum

from quizzes.models import AnswerPage, MainsAnswer
from quizzes.models.uploads import answers_storage
from studyapp.freshness import learner_changed

log = logging.getLogger(__name__)

MAX_PAGES = 4
EXTENSIONS = {"jpeg": "jpg", "png": "png", "pdf": "pdf"}


def pages_used(answer: MainsAnswer | None) -> tuple[int, int]:
    """(pages, bytes) the answer already has (0, 0 for none)."""
    if answer is None or answer.pk is None:
        return 0, 0
    row = AnswerPage.objects.filter(answer=answer).aggregate(
        pages=Sum("page_count"), size=Sum("size"), n=Count("pk")
    )
    return row["pages"] or 0, row["size"] or 0


def pages_attach(*, answer: MainsAnswer, pages: Sequence, now: dt.datetime) -> list[AnswerPage]:
    """Store `pages` (checked CleanPage objects) as the answer's next pages.

    Raises ValueError if they would take the answer over MAX_PAGES (the caller checked already;
    this guards a race between two tabs, under the answer's row lock)."""
    if not pages:
        return []
    used, _ = pages_used(answer)
    if used + sum(p.page_count for p in pages) > MAX_PAGES:
        raise ValueError(f"an answer can have at most {MAX_PAGES} pages")
    last = AnswerPage.objects.filter(answer=answer).order_by("-order").values("order").first()
    order = last["order"] if last else 0
    stored: list[AnswerPage] = []
    try:
        for page in pages:
            order += 1
            upload = AnswerPage(
                answer=answer,
                learner_id=answer.learner_id,
                order=order,
                kind=page.kind,
                size=len(page.content),
                page_count=page.page_count,
                uploaded_at=now,
            )
            upload.file.save(f"page.{EXTENSIONS[page.kind]}", ContentFile(page.content), save=False)
            stored.append(upload)
        AnswerPage.objects.bulk_create(stored)
        learner_changed(answer.learner_id)
    except BaseException:
        for upload in stored:
            upload.file.delete(save=False)
        raise
    return stored


def pages_delete_stored(names: Sequence[str]) -> int:
    """Delete these stored files (the names of a deleted learner's pages, taken before the
    rows went; called after the deletion commits). Returns how many were removed."""
    storage = answers_storage()
    removed = 0
    for name in names:
        try:
            storage.delete(name)
            removed += 1
        except OSError:
            log.exception("Could not delete answer page file %s", name)
    return removed

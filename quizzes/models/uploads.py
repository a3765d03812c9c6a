"""Handwritten Mains answers: the photographed or scanned pages a learner uploads.

Files live in the `answers` storage (settings.STORAGES): the local filesystem under
MEDIA_ROOT by default, which no URL serves; S3-compatible storage when configured. They are
only ever sent through quizzes:mains-page, which checks the owner or staff. The stored name is
random (the learner's file name is not kept) and images are re-encoded without metadata.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models


def answers_storage():
    return storages["answers"]


def page_path(page: AnswerPage, filename: str) -> str:
    """mains/<learner id>/<random>.<ext>: nothing of the original name is kept."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"mains/{page.learner_id}/{uuid.uuid4().hex}.{ext}"


class AnswerPage(models.Model):
    """One uploaded file of an answer: an image of a page, or a PDF of up to a few pages."""

    class Kind(models.TextChoices):
        JPEG = "jpeg", "JPEG image"
        PNG = "png", "PNG image"
        PDF = "pdf", "PDF"

    CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}

    answer = models.ForeignKey(
        "quizzes.MainsAnswer", on_delete=models.CASCADE, related_name="pages"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answer_pages"
    )
    order = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(upload_to=page_path, storage=answers_storage, max_length=200)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    size = models.PositiveIntegerField(help_text="Bytes stored.")
    page_count = models.PositiveSmallIntegerField(default=1, help_text="Pages (PDF) or 1.")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["learner", "answer"])]

    def __str__(self) -> str:
        return f"Page {self.order} of Mains answer {self.answer_id}"

    @property
    def content_type(self) -> str:
        return self.CONTENT_TYPES[self.kind]

    @property
    def is_image(self) -> bool:
        return self.kind != self.Kind.PDF

"""Sending an uploaded answer page to the people allowed to see it: its owner and staff.

Files are never served from a public URL: this view checks the user, then streams the file
from the `answers` storage (local disk or S3). Anyone else gets a 404, which does not reveal
whether the page exists. Responses are private and not cached by shared caches; PDFs are sent
as attachments so they never render inside the site's origin.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from quizzes.models import AnswerPage
from quizzes.models.mains import may_review
from studyapp.types import HtmxHttpRequest


@require_GET
@login_required
def page_file(request: HtmxHttpRequest, pk: int, page: int) -> HttpResponse:
    """One uploaded page of answer `pk` (owner or staff only)."""
    upload = get_object_or_404(
        AnswerPage.objects.select_related("answer__learner"), pk=page, answer_id=pk
    )
    if upload.learner_id != request.user.pk and not may_review(request.user, upload.answer.learner):
        raise Http404("No such page of yours.")
    try:
        handle = upload.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("This page's file is missing.") from exc
    filename = f"answer-{pk}-page-{upload.order}.{'jpg' if upload.kind == 'jpeg' else upload.kind}"
    response = FileResponse(
        handle,
        content_type=upload.content_type,
        as_attachment=not upload.is_image,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=3600)
    return response

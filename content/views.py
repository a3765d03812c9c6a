"""Staff-only previews of authored items as a learner will see them (drafts included)."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from content import formats
from content.models import Question
from studyapp.types import HtmxHttpRequest


@require_GET
@staff_member_required
def question_preview(request: HtmxHttpRequest, slug: str):
    question = get_object_or_404(Question.objects.with_parts(), slug=slug)
    try:
        snapshot, problem = question.snapshot(), ""
    except formats.FormatError as exc:
        snapshot, problem = None, exc.message
    return render(
        request,
        "content/question_preview.html",
        {"question": question, "q": snapshot, "problem": problem, "letters": formats.LETTERS},
    )

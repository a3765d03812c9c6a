"""One card or one Prelims question on its own page: where a search hit or a link opens it.

Learner pages that write nothing; the question page shows no key or explanation until asked.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quizzes.forms import QuestionCheckForm
from quizzes.selectors.items import card_page, question_page
from quizzes.views.preview import is_preview, preview_banner
from studyapp.types import HtmxHttpRequest


@require_GET
@login_required
def card_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The card's front, then its answer behind "Show answer" (works without JavaScript)."""
    preview = is_preview(request)
    page = card_page(pk, request.user, preview=preview)
    banner = preview_banner(page.card, kind="card") if preview else None
    return render(request, "quizzes/cards/card.html", {"page": page, "preview": banner})


@require_GET
@login_required
def question_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """`?choice=<0-3>` checks an option, `?reveal=1` shows the key; a bad choice is a 400."""
    form = QuestionCheckForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    preview = is_preview(request)
    page = question_page(
        pk, chosen=data.get("choice"), reveal=bool(data.get("reveal")), preview=preview
    )
    banner = preview_banner(page.question, kind="question") if preview else None
    context = {"page": page, "form": form, "preview": banner}
    return render(request, "quizzes/prelims/question.html", context, status=200 if valid else 400)

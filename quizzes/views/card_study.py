"""Flashcards beyond the daily session: suspend, bury and flag a card (and undo each), the
list of marked cards, and custom study (Anki's: extra new cards, review ahead, a topic's
cards again)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from content.models import Flashcard
from profiles.models import Profile
from quizzes.forms import CardMarkForm, card_form_error
from quizzes.selectors.card_study import marked_cards
from quizzes.services import WriteRefused
from quizzes.services.cards import MarkAction, card_mark
from quizzes.views.cards import render_session, review_url, topic_from
from quizzes.views.responses import answer_refusals
from studyapp.types import HtmxHttpRequest


@require_POST
@login_required
@answer_refusals()
def mark(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Suspend, bury, flag or undo one of these; back to the review session or the list."""
    card = get_object_or_404(Flashcard.objects.visible().select_related("topic"), pk=pk)
    form = CardMarkForm(request.POST)
    if not form.is_valid():
        raise WriteRefused(f"Bad card form — {card_form_error(form)}", code="invalid_form")
    data = form.cleaned_data
    profile = Profile.objects.for_user(request.user)
    action, topic = data["action"], topic_from(data["topic"])
    card_mark(
        learner=request.user,
        profile=profile,
        card=card,
        action=action,
        flag=data["flag"],
        now=timezone.now(),
    )
    notice = MarkAction.done[action]
    stay = card.pk if action in (MarkAction.FLAG, MarkAction.UNFLAG) else None
    if request.htmx and data["back"] != "list":
        return render_session(request, profile, topic=topic, prefer=stay, notice=notice)
    messages.success(request, notice)
    if data["back"] == "list":
        return redirect("quizzes:cards-marked")
    return redirect(review_url(topic, card=stay))


@require_GET
@login_required
def marked(request: HtmxHttpRequest) -> HttpResponse:
    """The learner's suspended, buried and flagged cards, each with its undo."""
    page = marked_cards(request.user, now=timezone.now())
    tz = Profile.objects.for_user(request.user).tzinfo
    context = {"page": page, "sections": page.sections, "tz": tz}
    return render(request, "quizzes/cards/marked.html", context)

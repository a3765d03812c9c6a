"""Flashcards beyond the daily session: suspend, bury and flag a card (and undo each), the
list of marked cards, and custom study (Anki's: extra new cards, review ahead, a topic's
cards again)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from content.models import Flashcard
from profiles.models import Profile
from quizzes.forms import CardMarkForm, CustomStudyForm, card_form_error
from quizzes.selectors.card_study import Custom, custom_study_page, marked_cards
from quizzes.services import WriteRefused
from quizzes.services.cards import MarkAction, card_mark, custom_new_cards
from quizzes.views.cards import custom_from, render_session, review_url, topic_from
from quizzes.views.responses import answer_refusals
from studyapp.types import HtmxHttpRequest


@require_POST
@login_required
@answer_refusals()
def mark(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Suspend, bury, flag or undo one of these; back to the review session or the list."""
    cards = Flashcard.objects.for_learner(request.user).select_related("topic")
    card = get_object_or_404(cards, pk=pk)
    form = CardMarkForm(request.POST)
    if not form.is_valid():
        raise WriteRefused(f"Bad card form — {card_form_error(form)}", code="invalid_form")
    data = form.cleaned_data
    profile = Profile.objects.for_user(request.user)
    action, topic = data["action"], topic_from(data["topic"])
    custom = custom_from(data["custom"], topic)
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
        return render_session(
            request, profile, topic=topic, prefer=stay, custom=custom, notice=notice
        )
    messages.success(request, notice)
    if data["back"] == "list":
        return redirect("quizzes:cards-marked")
    return redirect(review_url(topic, custom, card=stay))


@require_GET
@login_required
def marked(request: HtmxHttpRequest) -> HttpResponse:
    """The learner's suspended, buried and flagged cards, each with its undo."""
    page = marked_cards(request.user, now=timezone.now())
    tz = Profile.objects.for_user(request.user).tzinfo
    context = {"page": page, "sections": page.sections, "tz": tz}
    return render(request, "quizzes/cards/marked.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def custom(request: HtmxHttpRequest) -> HttpResponse:
    """Custom study: extra new cards today, review ahead, or a topic's cards again."""
    profile = Profile.objects.for_user(request.user)
    form = CustomStudyForm(request.POST or None)
    now = timezone.now()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["kind"] == CustomStudyForm.NEW:
            limit = custom_new_cards(profile=profile, extra=data["new_cards"], now=now)
            messages.success(request, f"Today's limit of new cards is now {limit}.")
            return redirect("quizzes:review")
        if data["kind"] == CustomStudyForm.AHEAD:
            session, topic = Custom(mode=Custom.AHEAD, days=data["days"], since=now), None
        else:
            session, topic = Custom(mode=Custom.AGAIN, days=0, since=now), data["topic"]
        return redirect(review_url(topic, session))
    context = custom_study_page(request.user, profile, now=now) | {"form": form}
    return render(request, "quizzes/cards/custom.html", context, status=400 if form.errors else 200)

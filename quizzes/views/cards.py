"""Flashcards: the decks page and the FSRS review session (rate, undo).

The review page owns the swapped region as the inline partial `session`: with htmx a rating
or an undo returns just that partial (the next card and the counter); without JavaScript the
same forms post normally and redirect back to the page (post/redirect/get).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from content.models import Topic
from profiles.models import Profile
from quizzes.forms import CardRatingForm, RatingUndoForm, card_form_error
from quizzes.models import CardMark, ReviewLog
from quizzes.selectors.card_study import Custom
from quizzes.selectors.cards import decks_page, review_session, studyable_card
from quizzes.services import WriteRefused
from quizzes.services.cards import (
    ReviewRefused,
    card_review,
    card_undo,
)
from quizzes.views.responses import answer_refusals, kept_page_or_partial
from studyapp.freshness import cached_render
from studyapp.types import HtmxHttpRequest


def topic_from(slug: str | None) -> Topic | None:
    """The published topic a session is limited to (`?topic=`), None for all; 404 if unknown."""
    if not slug:
        return None
    return get_object_or_404(Topic.objects.visible(), slug=slug)


def custom_from(token: str | None, topic: Topic | None) -> Custom | None:
    """The custom-study session a review URL or form carries (None: the daily session)."""
    try:
        return Custom.parse(token or "", now=timezone.now(), has_topic=topic is not None)
    except ValueError as exc:
        raise WriteRefused(str(exc), code="bad_custom") from exc


def review_url(topic: Topic | None, custom: Custom | None = None, **extra) -> str:
    extra["custom"] = custom.token if custom else None
    params = {"topic": topic.slug} if topic else {}
    params.update({k: v for k, v in extra.items() if v})
    url = reverse("quizzes:review")
    return f"{url}?{urlencode(params)}" if params else url


def render_session(
    request: HtmxHttpRequest,
    profile: Profile,
    *,
    topic: Topic | None,
    prefer=None,
    custom: Custom | None = None,
    notice: str = "",
    status: int = 200,
    rated: ReviewLog | None = None,
) -> HttpResponse:
    now = timezone.now()

    def build():
        return {
            "session": review_session(
                request.user,
                profile,
                topic=topic,
                now=now,
                prefer=prefer,
                custom=custom,
                rated=rated,
            ),
            "notice": notice,
            "conflict": status >= 400,
            "tz": profile.tzinfo,
            "topic": topic,
            "profile_limit": profile.new_limit(now),
            "flag_choices": CardMark.Flag.choices[1:],
        }

    template = "quizzes/cards/review.html"
    return kept_page_or_partial(
        request, template, "session", "review", build, now=now, status=status
    )


def _session_refused(request: HtmxHttpRequest, refused: WriteRefused):
    """A refused rating or undo: the session again with the reason (409); a malformed post
    gets the plain 400 (`refusal_response`)."""
    if not isinstance(refused, ReviewRefused):
        return None
    profile = Profile.objects.for_user(request.user)
    topic = topic_from(request.POST.get("topic"))
    custom = custom_from(request.POST.get("custom"), topic)
    return render_session(
        request, profile, topic=topic, custom=custom, notice=refused.message, status=refused.status
    )


@require_GET
@login_required
@answer_refusals()
def review(request: HtmxHttpRequest) -> HttpResponse:
    """The review session: due cards, then new cards up to the daily limit (or a custom
    study session: `?custom=`)."""
    topic = topic_from(request.GET.get("topic"))
    custom = custom_from(request.GET.get("custom"), topic)
    prefer = request.GET.get("card")
    # isdecimal() alone accepts "²"-like digits int() refuses, and any length: ASCII, ≤ 18.
    prefer = int(prefer) if prefer and prefer.isascii() and prefer.isdigit() else None
    prefer = prefer if prefer is not None and prefer < 10**18 else None
    profile = Profile.objects.for_user(request.user)
    return render_session(request, profile, topic=topic, prefer=prefer, custom=custom)


@require_POST
@login_required
@answer_refusals(page=_session_refused)
def rate(request: HtmxHttpRequest) -> HttpResponse:
    """Rate the card shown (one rating per showing); answers with the next card."""
    form = CardRatingForm(request.POST)
    if not form.is_valid():
        raise WriteRefused(f"Bad rating form — {card_form_error(form)}", code="invalid_form")
    data = form.cleaned_data
    topic = topic_from(data["topic"])
    custom = custom_from(data["custom"], topic)
    card = studyable_card(request.user, data["card"])
    profile = Profile.objects.for_user(request.user)
    now = timezone.now()
    duration = data["duration_ms"]
    if duration is None and data["shown_at"]:
        duration = int(now.timestamp() * 1000) - data["shown_at"]
    rated = card_review(
        learner=request.user,
        profile=profile,
        card=card,
        rating=data["rating"],
        shown_reps=data["reps"],
        now=now,
        duration_ms=duration,
        due_by=custom.rating_due_by(card, topic, now) if custom else None,
    )
    if request.htmx:
        return render_session(request, profile, topic=topic, custom=custom, rated=rated)
    return redirect(review_url(topic, custom))


@require_POST
@login_required
@answer_refusals(page=_session_refused)
def undo(request: HtmxHttpRequest) -> HttpResponse:
    """Undo the learner's last rating and show that card again."""
    form = RatingUndoForm(request.POST)
    if not form.is_valid():
        raise WriteRefused(f"Bad undo form — {card_form_error(form)}", code="invalid_form")
    topic = topic_from(form.cleaned_data["topic"])
    custom = custom_from(form.cleaned_data["custom"], topic)
    profile = Profile.objects.for_user(request.user)
    try:
        card = card_undo(learner=request.user, log_id=form.cleaned_data["log"], now=timezone.now())
    except ReviewLog.DoesNotExist as exc:
        raise Http404("No such rating of yours.") from exc
    if request.htmx:
        return render_session(
            request, profile, topic=topic, prefer=card.pk, custom=custom, notice="Rating undone."
        )
    return redirect(review_url(topic, custom, card=card.pk))


# --- the decks page ----------------------------------------------------------------------


@require_GET
@login_required
def deck_list(request: HtmxHttpRequest) -> HttpResponse:
    """Decks by topic with new / learning / due counts, forecast, retention, reviews per day."""
    profile = Profile.objects.for_user(request.user)
    now = timezone.now()
    build = lambda: decks_page(request.user, profile, now=now)  # noqa: E731
    return cached_render(request, "quizzes/cards/decks.html", "decks", build, now=now)

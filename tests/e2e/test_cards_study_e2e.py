"""Mistakes come back, suspend / flag, custom study (issue 20) in the browser: a wrong
practice answer puts its card first in the review with the reason; the card is flagged and
suspended from the review and unsuspended from the list; custom study starts a review-ahead
session. Screenshots at desktop and 360 px, light and dark."""

import datetime as dt
import random

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from quizzes.models import Attempt, AttemptItem, CardMark
from quizzes.services import prelims as prelims_svc
from tests.e2e.conftest import shot
from tests.factories import (
    CardStateFactory,
    FactFactory,
    FlashcardFactory,
    QuestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "correct-horse-battery-9"


def shots(page: Page, name: str) -> None:
    """Desktop and 360 px, light and dark, from the top of the page."""
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.evaluate("window.scrollTo(0, 0)")
            shot(page, f"cards-{name}-{width}-{scheme}")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(DESKTOP)


def build(learner):
    early = TopicFactory(slug="economy", title="Economic partnership", order=1)
    topic = TopicFactory(slug="history", title="History and milestones", order=2)
    fact = FactFactory(
        topic=topic,
        slug="relations-1952",
        statement="India and Japan established "
        "diplomatic relations in 1952 and signed a peace treaty the same year.",
    )
    card = FlashcardFactory(
        topic=topic,
        front="In which year did India and Japan establish diplomatic relations?",
        back="1952, with a separate peace treaty the same year.",
    )
    card.facts.add(fact)
    question = QuestionFactory(
        topic=topic, stem="In which year did India and Japan establish diplomatic relations?"
    )
    question.facts.add(fact)
    FlashcardFactory(
        topic=early, front="Which country is India's largest source of ODA loans?", back="Japan."
    )
    now = timezone.now()
    for i in range(3):
        CardStateFactory(
            learner=learner, card=FlashcardFactory(topic=early), due=now + dt.timedelta(days=i + 1)
        )
    return card, question  # fmt: skip


def miss_in_practice(learner, question):
    attempt = prelims_svc.attempt_start(
        learner=learner,
        mode=Attempt.Mode.PRACTICE,
        count=1,
        topics=["history"],
        rng=random.Random(3),
    )
    item = AttemptItem.objects.get(attempt=attempt)
    prelims_svc.attempt_answer(
        attempt_id=attempt.pk,
        learner=learner,
        order=1,
        action=prelims_svc.PrelimsAction.CHECK,
        chosen=(item.key + 1) % 4,
    )


def test_a_mistake_comes_back_is_flagged_suspended_and_custom_study_reviews_ahead(
    page: Page, live_server
):
    learner = UserFactory(username="asha")
    card, question = build(learner)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("asha")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # A wrong practice answer: the home page says so and links to the review.
    miss_in_practice(learner, question)
    page.goto(live_server.url + "/")
    link = page.get_by_role("link", name="1 card from your mistakes is due")
    expect(link).to_be_visible()
    shots(page, "home-mistakes")
    link.click()
    expect(page.locator("#flashcard-prompt")).to_contain_text("diplomatic relations")
    expect(page.locator("#review-reason")).to_contain_text("You missed this in practice on")
    shots(page, "review-mistake")

    # Flag it (htmx keeps the card), then suspend it: the next card comes.
    page.get_by_label("Flag colour").select_option("2")
    page.get_by_role("button", name="Flag", exact=True).click()
    expect(page.locator(".card-flag")).to_have_text("Flagged orange")
    page.get_by_role("button", name="Suspend").click()
    expect(page.locator(".review-notice")).to_contain_text("Card suspended")
    expect(page.locator("#flashcard-prompt")).to_contain_text("ODA loans")
    page.get_by_role("button", name="Bury until tomorrow").click()
    expect(page.locator(".review-notice")).to_contain_text("buried")

    # The list: suspended, buried and flagged, each reversible.
    page.goto(live_server.url + "/cards/marked/")
    expect(page.get_by_role("heading", level=2, name="Suspended")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Flagged")).to_be_visible()
    shots(page, "marked")
    page.get_by_role("button", name="Unsuspend").click()
    expect(page.locator("#messages")).to_contain_text("Card unsuspended")
    assert not CardMark.objects.get(card=card).suspended

    # Custom study: review ahead two days.
    page.goto(live_server.url + "/cards/")
    page.get_by_role("link", name="Custom study").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Custom study")
    shots(page, "custom")
    page.get_by_label("Cards due in the next … days").fill("2")
    page.get_by_role("button", name="Review ahead").click()
    expect(page.locator(".review-custom")).to_contain_text("Reviewing ahead")
    expect(page.locator(".review-counts .count-review strong")).to_have_text("2")
    shots(page, "review-ahead")

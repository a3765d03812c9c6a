"""Read a note, mark it studied, review five cards with the keyboard; screenshot the pages."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from content.models import CardKind
from quizzes.models import CardState, NoteProgress, ReviewLog
from tests.e2e.conftest import shot
from tests.factories import (
    ClaimFactory,
    FactFactory,
    FlashcardFactory,
    NoteFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "correct-horse-battery-9"

NOTE = """## Context

India and Japan established diplomatic relations in **1952** and signed a separate bilateral
peace treaty the same year [iasgyan-2025]. Japan began **yen loans to India in 1958**, the
first yen loan it gave any country [iasgyan-2025].

### The partnership ladder

| Milestone | Year |
|---|---|
| Global Partnership | 2000 |
| Global and Strategic Partnership | 2006 |
| Special Strategic and Global Partnership | 2014 |

## Why it matters

The Quad leaders met at Wilmington on 21 September 2024 [rostami-neo-2025]; one article
gives October, which is a slip.
"""


def build_topic():
    topic = TopicFactory(
        slug="history",
        title="History and milestones",
        summary="From the 1952 peace treaty to the Special Strategic and Global Partnership.",
        order=1,
    )
    iasgyan = SourceFactory(
        slug="iasgyan-2025",
        title="India-Japan Special Strategic and Global Partnership",
        publisher="IASGyan (based on The Hindu)",
        date=dt.date(2025, 8, 1),
    )
    neo = SourceFactory(
        slug="rostami-neo-2025",
        title="India and Japan: A Strategic Partnership in an Era of Global Change",
        publisher="New Eastern Outlook",
        author="Samyar Rostami",
        date=dt.date(2025, 6, 4),
    )
    note = NoteFactory(topic=topic, body=NOTE)
    note.sources.set([iasgyan, neo])
    facts = [
        ("relations-1952", "India and Japan established diplomatic relations in 1952.", "1952",
         dt.date(1952, 4, 28)),
        ("yen-1958", "Japan began extending yen loans to India in 1958.", "1958",
         dt.date(1958, 1, 1)),
        ("ssgp-2014", "The Special Strategic and Global Partnership dates from 2014.", "2014",
         dt.date(2014, 9, 1)),
    ]  # fmt: skip
    for slug, statement, value, date in facts:
        fact = FactFactory(topic=topic, slug=slug, statement=statement, value=value, date=date)
        ClaimFactory(fact=fact, source=iasgyan, value=value)
    quad = FactFactory(
        topic=topic,
        slug="quad-2024",
        statement="The Quad Leaders' Summit at Wilmington was held on 21 September 2024.",
        value="21 September 2024",
        date=dt.date(2024, 9, 21),
        resolution="President Biden hosted it on 21 September 2024; “October” is a slip.",
    )
    ClaimFactory(fact=quad, source=neo, value="October 2024", agrees=False)
    cards = [
        FlashcardFactory(topic=topic, front="In which year did India and Japan establish "
                         "diplomatic relations?", back="1952"),
        FlashcardFactory(topic=topic, kind=CardKind.CLOZE, front="", back="",
                         text="Japan began extending yen loans to India in {{c1::1958}}."),
        FlashcardFactory(topic=topic, front="Which partnership did India and Japan announce "
                         "in 2014?", back="The Special Strategic and Global Partnership"),
        FlashcardFactory(topic=topic, front="Where was the 2024 Quad Leaders' Summit held?",
                         back="Wilmington, Delaware (21 September 2024)"),
        FlashcardFactory(topic=topic, kind=CardKind.CLOZE, front="", back="",
                         text="The Global Partnership was announced in {{c1::2000}}."),
        FlashcardFactory(topic=topic, front="What was special about Japan's 1958 yen loan?",
                         back="It was Japan's first yen loan to any country."),
    ]  # fmt: skip
    slugs = ["relations-1952", "yen-1958", "ssgp-2014", "quad-2024"]
    for card, fact in zip(cards[:4], slugs, strict=True):
        card.facts.add(*[f for f in topic.facts.all() if f.slug == fact])
    return topic, cards


def snap(page: Page, name: str) -> None:
    """A full-page screenshot from the top (a reload keeps the scroll position)."""
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, name)


def counts(page: Page) -> tuple[str, str, str]:
    return (
        page.locator(".review-counts .count-new strong").inner_text(),
        page.locator(".review-counts .count-learning strong").inner_text(),
        page.locator(".review-counts .count-review strong").inner_text(),
    )


def test_read_a_note_mark_it_studied_and_review_five_cards_by_keyboard(page: Page, live_server):
    learner = UserFactory(username="meera")
    topic, cards = build_topic()

    # Log in.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/accounts/login/?next=/topics/")
    page.get_by_label("Username").fill("meera")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/topics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Topics")
    expect(page.locator(".topic-row")).to_contain_text("0/6 learned")
    snap(page, "study-topics-desktop")

    # Read the note.
    page.get_by_role("link", name="History and milestones").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History and milestones")
    expect(page.locator(".note-body h2#context")).to_be_visible()
    expect(page.locator(".toc")).to_contain_text("The partnership ladder")
    callout = page.locator(".sources-differ")
    expect(callout).to_contain_text("Correct: 21 September 2024")
    expect(callout).to_contain_text("New Eastern Outlook: “October 2024”")
    page.locator(".note-body sup a").first.click()
    expect(page).to_have_url(live_server.url + "/topics/history/#source-iasgyan-2025")
    page.goto(live_server.url + "/topics/history/")
    snap(page, "study-note-desktop")

    # Mark it studied (htmx: the page does not reload).
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Mark as studied").click()
    expect(page.locator("#studied")).to_contain_text("Studied on")
    assert page.evaluate("window.__sameDocument") is True
    assert NoteProgress.objects.filter(learner=learner, topic=topic).exists()

    page.set_viewport_size(PHONE)
    page.reload()
    snap(page, "study-note-phone")
    page.emulate_media(color_scheme="dark")
    snap(page, "study-note-phone-dark")
    page.set_viewport_size(DESKTOP)
    page.reload()
    snap(page, "study-note-desktop-dark")
    page.emulate_media(color_scheme="light")

    # Review this topic's cards with the keyboard only.
    page.get_by_role("link", name="Review flashcards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review: History and milestones")
    assert counts(page) == ("6", "0", "0")
    page.evaluate("window.__sameDocument = true")
    snap(page, "study-review-front-desktop")

    ratings = ["1", "3", "4", "3", "2"]  # Again, Good, Easy, Good, Hard
    expected_new = ["5", "4", "3", "2", "1"]
    for i, key in enumerate(ratings):
        card_id = page.locator("#flashcard").get_attribute("data-card")
        reveal = page.locator(".flashcard-reveal")
        expect(reveal).not_to_have_attribute("open", "")
        page.keyboard.press(key)  # rating keys do nothing before the answer is shown
        expect(page.locator("#flashcard")).to_have_attribute("data-card", card_id)
        page.keyboard.press("Space")
        expect(reveal).to_have_attribute("open", "")
        expect(page.locator(".rating-buttons")).to_be_visible()
        if i == 1:  # the cloze card: the answer appears in place of the blank
            expect(page.locator(".cloze-answer")).to_have_text("1958")
            expect(page.locator(".cloze-answer")).to_be_visible()
            expect(page.locator(".cloze-blank")).to_be_hidden()
            snap(page, "study-review-cloze-revealed-desktop")
        if i == 2:
            page.set_viewport_size(PHONE)
            snap(page, "study-review-revealed-phone")
            page.emulate_media(color_scheme="dark")
            snap(page, "study-review-revealed-phone-dark")
            page.emulate_media(color_scheme="light")
            page.set_viewport_size(DESKTOP)
        page.keyboard.press(key)
        expect(page.locator(".review-counts .count-new strong")).to_have_text(expected_new[i])
        expect(page.locator("#flashcard")).not_to_have_attribute("data-card", card_id)

    assert page.evaluate("window.__sameDocument") is True  # no page reloads
    # Four cards are in learning steps (1m, 10m): they count, and come back after the new one.
    assert counts(page) == ("1", "4", "0")
    logs = list(ReviewLog.objects.filter(learner=learner).order_by("pk"))
    assert [log.rating for log in logs] == [1, 3, 4, 3, 2]
    assert all(log.duration_ms is not None for log in logs)
    states = {s.card_id: s for s in CardState.objects.filter(learner=learner)}
    assert states[cards[0].pk].state == CardState.State.LEARNING  # Again
    assert states[cards[2].pk].state == CardState.State.REVIEW  # Easy
    assert states[cards[2].pk].due > states[cards[2].pk].last_review + dt.timedelta(days=1)

    # U undoes the last rating (Hard): the card comes back and the new count goes up again.
    page.keyboard.press("u")
    expect(page.locator(".review-counts .count-new strong")).to_have_text("2")
    expect(page.locator(".review-notice")).to_have_text("Rating undone.")
    assert ReviewLog.objects.filter(learner=learner).count() == 4
    page.keyboard.press("Enter")
    page.keyboard.press("3")
    expect(page.locator(".review-counts .count-new strong")).to_have_text("1")
    snap(page, "study-review-after-five-desktop")

    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="dark")
    page.reload()
    snap(page, "study-review-front-phone-dark")
    page.emulate_media(color_scheme="light")
    page.reload()
    snap(page, "study-review-front-phone")

    # The decks page and the topic list show the progress.
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/cards/")
    row = page.locator(".deck-table tbody tr").first
    expect(row).to_contain_text("History and milestones")
    expect(row.locator(".count-new")).to_have_text("1")
    expect(row.locator(".count-learning")).to_have_text("4")
    snap(page, "study-decks-desktop")
    page.goto(live_server.url + "/topics/")
    expect(page.locator(".topic-row")).to_contain_text("✓ Studied")
    expect(page.locator(".topic-row")).to_contain_text("1/6 learned")
    snap(page, "study-topics-after-desktop")


def test_review_works_without_javascript(browser, live_server):
    UserFactory(username="noscript")
    build_topic()
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/?next=/cards/review/")
    page.get_by_label("Username").fill("noscript")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/cards/review/")
    assert counts(page) == ("6", "0", "0")
    page.get_by_text("Show answer").click()  # <details>: no script needed
    page.get_by_role("button", name="Good").click()  # a plain form post, then a redirect
    expect(page).to_have_url(live_server.url + "/cards/review/")
    assert counts(page) == ("5", "1", "0")
    page.get_by_text("Show answer").click()
    expect(page.locator(".cloze-answer")).to_be_visible()  # the cloze, revealed in place by CSS
    page.get_by_role("button", name="Undo last rating").click()
    assert counts(page) == ("6", "0", "0")
    page.goto(live_server.url + "/topics/history/")
    page.get_by_role("button", name="Mark as studied").click()
    expect(page.locator("#studied")).to_contain_text("Studied on")
    snap(page, "study-note-nojs-desktop")
    context.close()

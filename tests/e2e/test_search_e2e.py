"""Search as an aspirant uses it: live results, a typo, no results, opening a card and a
question from a hit; screenshots at phone width, in dark mode and in the empty states."""

import pytest
from playwright.sync_api import Page, expect

from content import search
from tests.e2e.conftest import shot
from tests.factories import (
    FactFactory,
    FlashcardFactory,
    NoteFactory,
    StatementsQuestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


def build_bank():
    topic = TopicFactory(slug="institutions", title="Institutions and dialogues", order=1)
    NoteFactory(
        topic=topic,
        body="## Context\n\nThe **2+2** ministerial dialogue met first in New Delhi in 2019; "
        "leaders also meet at the G20.\n\n## Way forward\n\nMore 2+2 meetings; the UNICORN mast.",
    )
    FactFactory(
        topic=topic,
        slug="two-plus-two-2019",
        statement="The first India–Japan 2+2 met in New Delhi in 2019.",
        value="30 November 2019",
    )
    FactFactory(
        topic=topic, statement="Japan attended the G20 summit in New Delhi in 2023.", value="2023"
    )
    FactFactory(
        topic=topic, statement="UNICORN is a mast India and Japan will co-develop.", value="UNICORN"
    )
    FlashcardFactory(topic=topic, front="Where did the first 2+2 meet?", back="New Delhi, 2019")
    question = StatementsQuestionFactory(
        topic=topic, stem="Consider the following statements about the 2+2:", truths=[True, False]
    )
    question.explanation = "Only the first statement is right: the 2+2 began in 2019."
    question.save()
    search.rebuild_index()


def login(page: Page, live_server):
    UserFactory(username="meera")
    page.goto(live_server.url + "/accounts/login/?next=/search/")
    page.get_by_label("Username").fill("meera")
    page.get_by_label("Password").fill("correct-horse-battery-9")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/search/")


def test_search_live_then_open_a_card_and_a_question(page: Page, live_server):
    build_bank()
    page.set_viewport_size(DESKTOP)
    login(page, live_server)
    shot(page, "search-empty-desktop")

    # Typing searches live (htmx) and keeps the address bookmarkable.
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Search for").first.fill("2+2")
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", level=2)).to_have_text("5 results for “2+2”")
    expect(page).to_have_url(live_server.url + "/search/?q=2%2B2")
    assert page.evaluate("window.__sameDocument") is True
    expect(results.locator(".search-types")).to_contain_text("1 card")
    expect(results).not_to_contain_text("G20 summit")  # "2+2" is one term, not two "2"s
    expect(results).not_to_contain_text("began in 2019")  # no explanation in a snippet
    shot(page, "search-results-desktop")

    page.set_viewport_size(PHONE)
    shot(page, "search-results-phone")
    page.emulate_media(color_scheme="dark")
    shot(page, "search-results-phone-dark")
    page.emulate_media(color_scheme="light")

    # A card hit opens that card: front first, answer on request.
    results.get_by_role("link", name="Where did the first 2+2 meet?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recall the answer")
    answer = page.locator(".flashcard-answer")
    expect(answer).to_be_hidden()
    shot(page, "search-card-phone")
    page.get_by_text("Show answer").click()
    expect(answer).to_contain_text("New Delhi, 2019")
    shot(page, "search-card-revealed-phone")

    # A question hit opens the question; the key only after an answer is checked.
    page.go_back()
    page.locator("#search-results").get_by_role(
        "link", name="Consider the following statements about the 2+2:"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement-based")
    expect(page.locator("main")).not_to_contain_text("began in 2019")
    shot(page, "search-question-phone")
    page.locator("label.option").first.click()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("main")).to_contain_text("began in 2019")
    shot(page, "search-question-checked-phone")


def test_a_typo_and_no_results_without_javascript(browser, live_server):
    build_bank()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    login(page, live_server)
    page.get_by_label("Search for").first.fill("unicron")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".search-corrected")).to_contain_text("Showing results for “unicorn”")
    expect(page.locator(".search-hit").first).to_contain_text("UNICORN")
    shot(page, "search-typo-phone")

    page.goto(live_server.url + "/search/?q=unicron+1958")
    expect(page.locator(".search-empty")).to_contain_text("Did you mean “unicorn 1958”?")
    shot(page, "search-no-results-phone")
    page.emulate_media(color_scheme="dark")
    shot(page, "search-no-results-phone-dark")
    context.close()

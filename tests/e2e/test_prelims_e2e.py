"""A learner sits a 5-question mock in Chromium: palette, mark for review, reload, submit, result.

Also: the deadline passing on the server submits the test automatically, and the countdown
submits it when it reaches zero. Screenshots go to test-artifacts/prelims-*.png.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from content import models as cm
from quizzes.models import Attempt
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, shot
from tests.factories import (
    AssertionReasonQuestionFactory,
    PairsQuestionFactory,
    QuestionFactory,
    SourceFactory,
    StatementsQuestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


def make_bank():
    """Six realistic questions over two topics and all four formats."""
    source = SourceFactory(title="Ministry of External Affairs: India–Japan brief (2024)")
    defence = TopicFactory(slug="defence-security", title="Defence and security")
    trade = TopicFactory(slug="oda-infrastructure", title="ODA and infrastructure")
    questions = [
        QuestionFactory(
            topic=trade,
            stem="Which Indian high-speed rail corridor is being built with Japanese ODA?",
            choices=["Delhi–Varanasi", "Mumbai–Ahmedabad", "Chennai–Mysuru", "Delhi–Amritsar"],
            explanation="The Mumbai–Ahmedabad High Speed Rail uses Shinkansen technology and "
            "is financed by a JICA loan.",
        ),
        StatementsQuestionFactory(
            topic=defence,
            truths=[True, False, True],
            explanation="JIMEX is the bilateral naval exercise; Dharma Guardian is the army "
            "exercise.",
        ),
        PairsQuestionFactory(
            topic=defence,
            column_left="Exercise",
            column_right="Service",
            explanation="Each exercise belongs to one service.",
        ),
        AssertionReasonQuestionFactory(
            topic=trade,
            explanation="The CEPA came into force in 2011 and covers goods and services.",
        ),
        QuestionFactory(
            topic=defence,
            stem="In which year did India and Japan hold their first 2+2 ministerial dialogue?",
            choices=["2015", "2019", "2021", "2023"],
        ),
        StatementsQuestionFactory(topic=trade, ask=cm.Ask.HOW_MANY, truths=[True, True, False]),
    ]
    for q in questions:
        q.sources.add(source)
    return questions


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base + "/")


def dark(page: Page, on: bool = True) -> None:
    page.emulate_media(color_scheme="dark" if on else "light")


def palette_button(page: Page, n: int):
    return page.locator(f'#palette .palette .pal[data-order="{n}"]')


def test_five_question_mock_palette_review_reload_submit_result(page: Page, live_server):
    make_bank()
    learner = UserFactory(username="meera")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "meera")

    page.goto(live_server.url + "/prelims/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prelims practice and mock tests")
    shot(page, "prelims-home-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "prelims-home-phone")
    page.set_viewport_size(DESKTOP)

    mock = page.locator("section.start-card").filter(has_text="Mock test")
    mock.get_by_label("Custom number of questions").fill("5")
    mock.locator('input[name=size][value="custom"]').check()
    mock.get_by_role("button", name="Start the mock test").click()

    expect(page).to_have_url(re.compile(r"/prelims/attempts/\d+/$"))
    attempt = Attempt.objects.get(learner=learner)
    assert attempt.question_count == 5 and attempt.mode == "mock"
    expect(page.locator("#q-title")).to_contain_text("Question 1 of 5")
    expect(page.locator("#timer-value")).to_have_text(re.compile(r"^[56]:\d\d$"))

    # Q1: pick (b) — saved at once, the palette turns green without any button.
    page.locator("label.option").nth(1).click()
    expect(palette_button(page, 1)).to_have_class(re.compile(r"\banswered\b"))
    expect(page.locator("#save-status")).to_have_text("All answers saved.")
    page.get_by_role("button", name="Save & Next").click()
    expect(page.locator("#q-title")).to_contain_text("Question 2 of 5")

    # Q2: pick (a) and mark it for review.
    page.locator("label.option").nth(0).click()
    page.get_by_role("button", name="Mark for Review & Next").click()
    expect(page.locator("#q-title")).to_contain_text("Question 3 of 5")
    expect(palette_button(page, 2)).to_have_class(re.compile(r"answered-marked"))
    expect(palette_button(page, 1)).to_have_class(re.compile(r"\banswered\b"))

    # Jump with the palette to Q5 and pick (c); Q3 stays "not answered" (visited, red).
    palette_button(page, 5).click()
    expect(page.locator("#q-title")).to_contain_text("Question 5 of 5")
    expect(page).to_have_url(re.compile(r"\?question=5$"))
    expect(palette_button(page, 3)).to_have_class(re.compile(r"not-answered"))
    page.locator("label.option").nth(2).click()
    expect(page.locator("#save-status")).to_have_text("All answers saved.")
    shot(page, "prelims-mock-desktop")

    # Reload mid-test: every answer is still there.
    page.reload()
    expect(page.locator("#q-title")).to_contain_text("Question 5 of 5")
    expect(page.locator("input[name=choice]").nth(2)).to_be_checked()
    expect(palette_button(page, 1)).to_have_class(re.compile(r"\banswered\b"))
    expect(palette_button(page, 2)).to_have_class(re.compile(r"answered-marked"))
    expect(palette_button(page, 5)).to_have_class(re.compile(r"\banswered\b"))
    chosen = dict(attempt.items.values_list("order", "chosen"))
    assert chosen == {1: 1, 2: 0, 3: None, 4: None, 5: 2}

    page.set_viewport_size(PHONE)
    shot(page, "prelims-mock-phone")
    # What a phone shows after scrolling: the clock and Submit stay under the header.
    page.evaluate("window.scrollTo(0, 500)")
    page.wait_for_function("window.scrollY > 0")
    page.screenshot(path=str(ARTIFACTS / "prelims-mock-phone-scrolled.png"))
    page.evaluate("window.scrollTo(0, 0)")
    dark(page)
    shot(page, "prelims-mock-dark")
    dark(page, on=False)
    page.set_viewport_size(DESKTOP)

    # Submit (confirming the summary) and read the result.
    dialog_text = []

    def accept(dialog):
        dialog_text.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Submit test").click()
    expect(page).to_have_url(re.compile(r"/prelims/attempts/\d+/result/$"))
    assert "Answered: 3 of 5" in dialog_text[0] and "Marked for review: 1" in dialog_text[0]
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and not attempt.auto_submitted
    assert attempt.correct_count + attempt.wrong_count == 3 and attempt.blank_count == 2

    expect(page.locator("#score")).to_contain_text("/ 10")
    expect(page.get_by_role("heading", name="By format")).to_be_visible()
    expect(page.get_by_role("heading", name="By topic")).to_be_visible()
    expect(page.locator("article.review-item")).to_have_count(5)
    first_review = page.locator("article.review-item").first
    expect(first_review).to_contain_text("Your answer")
    expect(first_review).to_contain_text("Explanation")
    expect(first_review).to_contain_text("Ministry of External Affairs")
    expect(first_review.get_by_role("link", name=re.compile("Revise the note"))).to_be_visible()
    shot(page, "prelims-result-desktop")

    page.set_viewport_size(PHONE)
    shot(page, "prelims-result-phone")
    dark(page)
    page.set_viewport_size(DESKTOP)
    shot(page, "prelims-result-dark")


def test_practice_shows_the_explanation_in_place(page: Page, live_server):
    make_bank()
    UserFactory(username="meera")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "meera")
    page.goto(live_server.url + "/prelims/?topic=defence-security")
    practice = page.locator("section.start-card").filter(has_text="Practice")
    expect(practice.get_by_label("Defence and security (3)")).to_be_checked()
    practice.get_by_label("Number of questions").fill("3")
    practice.get_by_role("button", name="Start practice").click()
    expect(page.locator("#q-title")).to_contain_text("Question 1 of 3")
    page.locator("label.option").nth(0).click()
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator(".verdict")).to_be_visible()
    expect(page.locator(".explanation")).to_contain_text("Explanation")
    shot(page, "prelims-practice-feedback-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "prelims-practice-feedback-phone")


def start_mock_in_db(learner, n=3):
    from quizzes.services.prelims import attempt_start

    return attempt_start(learner=learner, mode=Attempt.Mode.MOCK, count=n)


def test_deadline_passing_on_the_server_submits_automatically(page: Page, live_server):
    make_bank()
    learner = UserFactory(username="meera")
    attempt = start_mock_in_db(learner)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "meera")
    page.goto(f"{live_server.url}/prelims/attempts/{attempt.pk}/")
    page.locator("label.option").nth(0).click()
    expect(page.locator("#save-status")).to_have_text("All answers saved.")

    # Time moves forward on the server: the deadline (and its grace) are now past.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    page.get_by_role("button", name="Save & Next").click()  # an answer after the deadline
    expect(page.locator("#save-status")).to_contain_text("Time is up")
    expect(page).to_have_url(re.compile(r"/result/$"), timeout=10_000)
    expect(page.locator(".badge.warning")).to_contain_text("submitted automatically")
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.submitted_at == attempt.deadline
    assert attempt.correct_count + attempt.wrong_count == 1  # what was saved in time
    shot(page, "prelims-auto-submitted-desktop")


def test_countdown_reaching_zero_submits_the_test(page: Page, live_server):
    make_bank()
    learner = UserFactory(username="meera")
    attempt = start_mock_in_db(learner)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "meera")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + dt.timedelta(seconds=6))
    page.goto(f"{live_server.url}/prelims/attempts/{attempt.pk}/")
    expect(page.locator("#timer")).to_be_visible()
    page.locator("label.option").nth(1).click()
    expect(page.locator("#save-status")).to_have_text("All answers saved.")
    expect(page).to_have_url(re.compile(r"/result/$"), timeout=15_000)
    expect(page.locator(".badge.warning")).to_contain_text("submitted automatically")
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.submitted_at <= attempt.deadline
    assert attempt.correct_count + attempt.wrong_count == 1


def test_answer_given_offline_is_kept_and_sent_when_the_test_is_reopened(page: Page, live_server):
    make_bank()
    learner = UserFactory(username="meera")
    attempt = start_mock_in_db(learner)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "meera")
    page.goto(f"{live_server.url}/prelims/attempts/{attempt.pk}/?question=2")

    page.context.set_offline(True)
    page.locator("label.option").nth(3).click()
    expect(page.locator("#save-status")).to_contain_text("connection lost")
    expect(palette_button(page, 2)).to_have_class(re.compile(r"\banswered\b"))
    assert attempt.items.get(order=2).chosen is None  # not on the server yet
    shot(page, "prelims-offline-desktop")

    # The tab is closed while still offline; later, back online, the test is opened again.
    context = page.context
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.goto(f"{live_server.url}/prelims/attempts/{attempt.pk}/?question=2")
    expect(page.locator("#save-status")).to_have_text("All answers saved.")
    expect(page.locator("input[name=choice]").nth(3)).to_be_checked()
    expect(palette_button(page, 2)).to_have_class(re.compile(r"\banswered\b"))
    assert attempt.items.get(order=2).chosen == 3

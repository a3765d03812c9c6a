"""Flash messages and notices in a real browser: read out through a live region and brought
into view (the Mains "Assessment saved." notice used to appear 540 px above the viewport)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, shot
from tests.factories import MainsAnswerFactory, MainsQuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"
SHORT = {"width": 1280, "height": 600}

IN_VIEW = """(sel) => {
  const box = document.querySelector(sel).getBoundingClientRect();
  const header = document.querySelector(".site-header").getBoundingClientRect().bottom;
  return {top: Math.round(box.top), bottom: Math.round(box.bottom), header: Math.round(header),
          height: window.innerHeight};
}"""


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base + "/")


def assert_in_view(page: Page, selector: str) -> None:
    box = page.evaluate(IN_VIEW, selector)
    assert box["top"] >= box["header"] and box["bottom"] <= box["height"], box


def test_the_assessment_notice_is_brought_into_view_and_read_out(page: Page, live_server):
    learner = UserFactory(username="tara")
    points = [
        (f"Key point {i}: " + "a point a good answer makes about the partnership " * 3, [f"k{i}"])
        for i in range(8)
    ]
    answer = MainsAnswerFactory(learner=learner, question=MainsQuestionFactory(key_points=points))
    page.set_viewport_size(SHORT)
    log_in(page, live_server.url, "tara")
    page.goto(live_server.url + f"/mains/answers/{answer.pk}/")
    page.locator(".keypoint").nth(7).get_by_role("checkbox").check()
    page.get_by_label("Your score out of 10").fill("4")
    page.get_by_role("button", name="Save assessment").click()
    notice = page.locator("#assessment .message.success")
    expect(notice).to_have_text("Assessment saved.")
    expect(page.locator("#announce-polite")).to_have_text("Assessment saved.")
    page.wait_for_function("() => document.getAnimations().length === 0")
    assert_in_view(page, "#assessment .message.success")
    page.screenshot(path=str(ARTIFACTS / "feedback-assessment-saved.png"))  # the viewport


def test_a_message_after_a_redirect_is_read_out_and_visible(page: Page, live_server):
    UserFactory(username="tara")
    page.set_viewport_size(SHORT)
    log_in(page, live_server.url, "tara")
    page.goto(live_server.url + "/accounts/profile/")
    page.get_by_label("New cards per day").fill("30")
    page.get_by_role("button", name="Save settings").click()
    message = page.locator("#messages .message.success")
    expect(message).to_have_text("Profile saved.")
    expect(page.locator("#announce-polite")).to_have_text("Profile saved.")
    assert_in_view(page, "#messages .message")
    # Logging out says so, in the same live region.
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("#messages .message.success")).to_have_text(
        "You are logged out. Your progress is saved."
    )
    expect(page.locator("#announce-polite")).to_have_text(
        "You are logged out. Your progress is saved."
    )
    shot(page, "feedback-logged-out")

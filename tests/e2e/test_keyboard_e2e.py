"""Keyboard only: review (reveal and rate with keys), a practice set, a mock (palette, answer,
submit) and a Mains answer (write, save, submit, assess), driven by Tab, Shift+Tab, arrows,
Space, Enter and the page's own shortcuts — never a click. At every stop the focused element
must show a focus ring (outline of 2 px or more); screenshots of a focused control in light
and dark mode: test-artifacts/focus-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quizzes.models import Attempt, MainsAnswer, ReviewLog
from quizzes.services import prelims as prelims_service
from tests.e2e.conftest import ARTIFACTS
from tests.factories import (
    FlashcardFactory,
    MainsQuestionFactory,
    QuestionFactory,
    StatementsQuestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"
DESKTOP = {"width": 1280, "height": 800}

# What has the focus, and whether it shows: an outline of 2 px or more on it (or, for a
# visually hidden checkbox toggle, on its label).
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {ok: true, body: true, html: "<body>", label: ""};
  let shown = el;
  const box = el.getBoundingClientRect();
  if ((box.width <= 1 || box.height <= 1) && el.id) {
    shown = document.querySelector(`label[for="${el.id}"]`) || el;
  }
  const style = getComputedStyle(shown);
  const ok = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const label = (el.getAttribute("aria-label") || el.innerText || el.value || "").trim();
  return {ok, html: el.outerHTML.slice(0, 160), label: label.replace(/\\s+/g, " "),
          outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUS_JS)


def tab_to(page: Page, selector: str, *, name: str | None = None, limit: int = 120) -> None:
    """Press Tab until the focused element matches `selector` (and has `name` in its text),
    checking on the way that every element the keyboard lands on shows its focus (past the
    last element the focus leaves the page for the browser's own controls: <body> here)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        assert info["ok"], f"focus not visible on {info['html']} ({info.get('outline')})"
        matches = page.evaluate("(sel) => document.activeElement.matches(sel)", selector)
        if matches and (name is None or name.lower() in info["label"].lower()):
            return
    raise AssertionError(f"Tab never reached {selector} {name or ''}")


def focus_shot(page: Page, selector: str, name: str) -> None:
    """Screenshots of `selector` with a margin (the ring sits outside the focused control),
    light and dark: test-artifacts/<name>-light.png and -dark.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function("() => document.getAnimations().length === 0")
        box = page.locator(selector).bounding_box()
        clip = {
            "x": max(0, box["x"] - 12),
            "y": max(0, box["y"] - 12),
            "width": box["width"] + 24,
            "height": box["height"] + 24,
        }
        page.screenshot(path=str(ARTIFACTS / f"{name}-{scheme}.png"), clip=clip)
    page.emulate_media(color_scheme="light")


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + "/")


@pytest.fixture
def learner(db):
    return UserFactory(username="kavya")


def test_review_cards_with_keys_only(page: Page, live_server, learner):
    topic = TopicFactory(title="Defence")
    FlashcardFactory.create_batch(3, topic=topic)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "kavya")
    # From the home page's Flashcards tile.
    tab_to(page, "a.button", name="Start learning")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cards/review/$"))
    page.wait_for_load_state("load")  # the page's scripts (keys) are in place
    # Space shows the answer, 3 rates it Good (the shortcuts).
    expect(page.locator(".reveal-button")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name=re.compile("^Good"))).to_be_visible()
    page.keyboard.press("3")
    expect(page.locator("[data-undo] .undo-detail")).to_have_text("(Good)")
    # The next card, by Tab and Enter alone: Show answer, then Tab to Easy.
    expect(page.locator(".reveal-button")).to_be_visible()
    tab_to(page, "summary.reveal-button")
    page.keyboard.press("Enter")
    tab_to(page, "button.rate", name="Easy")
    focus_shot(page, ".rating-form", "focus-rate-button")
    page.keyboard.press("Enter")
    expect(page.locator("[data-undo] .undo-detail")).to_have_text("(Easy)")
    assert list(ReviewLog.objects.filter(learner=learner).values_list("rating", flat=True)) == [
        3,
        4,
    ]
    # U undoes the last rating.
    page.keyboard.press("u")
    expect(page.locator("[data-undo] .undo-detail")).not_to_have_text("(Easy)")
    assert list(ReviewLog.objects.filter(learner=learner).values_list("rating", flat=True)) == [3]


def test_practice_set_with_keys_only(page: Page, live_server, learner):
    topic = TopicFactory(title="Trade")
    QuestionFactory.create_batch(2, topic=topic)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "kavya")
    page.goto(live_server.url + "/prelims/")
    tab_to(page, "#practice_count")
    page.keyboard.press("Control+a")
    page.keyboard.type("2")
    tab_to(page, "button", name="Start practice")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/prelims/attempts/\d+/"))
    page.wait_for_load_state("load")  # the page's scripts (keys) are in place
    attempt = Attempt.objects.get(learner=learner)
    # Question 1: the first option by Tab, (b) by the arrow key, then Check answer.
    tab_to(page, "input[name=choice]")
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=choice]").nth(1)).to_be_checked()
    tab_to(page, "button", name="Check answer")
    page.keyboard.press("Enter")
    expect(page.locator(".verdict")).to_be_visible()
    tab_to(page, "button", name="Next question")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Question 2"))).to_be_visible()
    # Question 2 left blank: finishing asks first; Enter on the dialog's OK finishes.
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, "button", name="Finish practice")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/result/$"))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.blank_count == 1


def test_mock_with_palette_answer_and_submit_by_keys_only(page: Page, live_server, learner):
    for _ in range(3):
        StatementsQuestionFactory(topic=TopicFactory())
    attempt = prelims_service.attempt_start(learner=learner, mode="mock", count=3)
    keys = {item.order: item.key for item in attempt.items.all()}
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "kavya")
    page.goto(live_server.url + f"/prelims/attempts/{attempt.pk}/")  # waits for "load"
    # Question 1: Space checks the focused option (the key), Save & Next.
    tab_to(page, "input[name=choice]")
    for _ in range(keys[1]):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    tab_to(page, "button", name="Save & Next")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Question 2"))).to_be_visible()
    # The palette: straight to question 3, answer it wrong ((key+1) mod 4).
    tab_to(page, "button.pal", name="Question 3")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Question 3"))).to_be_visible()
    tab_to(page, "input[name=choice]")
    for _ in range((keys[3] + 1) % 4):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(page.locator("#palette .palette .pal.answered")).to_have_count(2)
    focus_shot(page, ".question-panel .options", "focus-mock-option")
    # Submit: the summary dialog, accepted.
    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, "button", name="Submit test")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/result/$"))
    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.wrong_count, attempt.blank_count) == (1, 1, 1)


def test_mains_write_save_submit_and_assess_by_keys_only(page: Page, live_server, learner):
    question = MainsQuestionFactory()
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "kavya")
    page.goto(live_server.url + f"/mains/{question.pk}/write/")
    tab_to(page, "textarea")
    page.keyboard.type("Japan is India's largest ODA partner, and Act East meets the Northeast.")
    tab_to(page, "button", name="Save draft")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("Draft saved")
    answer = MainsAnswer.objects.get(learner=learner)
    assert "largest ODA partner" in answer.text and answer.submitted_at is None
    tab_to(page, "button", name="Submit answer")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/mains/answers/\d+/$"))
    tab_to(page, "input[name=covered]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=self_score]")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(page.locator("#assessment .message.success")).to_have_text("Assessment saved.")
    answer.refresh_from_db()
    assert answer.covered_points.count() == 1 and answer.self_score == 4

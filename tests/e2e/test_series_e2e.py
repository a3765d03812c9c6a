"""A learner takes a test-series paper in Chromium: instructions, exam mode (no site menu, a
warning before leaving, the palette drawer on a phone), submit, then rank and percentile.

Screenshots at 360 px and on a desktop: test-artifacts/series-*.png.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from content import models as cm
from profiles.models import Profile
from quizzes.services import prelims as prelims_service
from quizzes.services import series as series_service
from quizzes.services.prelims import PrelimsAction as Action
from tests.conftest import PASSWORD
from tests.e2e.conftest import shot
from tests.e2e.test_prelims_e2e import make_bank
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def make_paper() -> cm.Paper:
    paper = cm.Paper.objects.create(
        slug="sectional-demo",
        title="Sectional 1 · Defence, ODA and infrastructure",
        family="sectional",
        minutes=8,
        description="Six questions over two topics, every format.",
        status=cm.Status.PUBLISHED,  # new papers default to Draft
    )
    for order, question in enumerate(make_bank(), start=1):
        cm.PaperQuestion.objects.create(paper=paper, question=question, order=order)
    return paper


def others_take(paper: cm.Paper, picks: list[list[int | None]]) -> None:
    """Earlier takers, through the real services (so the counters are the real ones)."""
    now = timezone.now() - dt.timedelta(days=1)
    for i, answers in enumerate(picks):
        user = UserFactory(username=f"taker{i}")
        if i == 0:
            Profile.objects.filter(user=user).update(public_name="Kavya R")
        attempt = series_service.paper_attempt_start(learner=user, paper=paper, now=now)
        for order, chosen in enumerate(answers, start=1):
            if chosen is not None:
                prelims_service.attempt_answer(
                    attempt_id=attempt.pk, learner=user, order=order,
                    action=Action.PICK, chosen=chosen, now=now,
                )  # fmt: skip
        prelims_service.attempt_submit(attempt_id=attempt.pk, learner=user, now=now)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_instructions_exam_mode_submit_and_rank(page: Page, live_server):
    paper = make_paper()
    keys = [item.question.snapshot()["key"] for item in paper.items.select_related("question")]
    others_take(paper, [keys, [None] * 6, [(k + 1) % 4 for k in keys]])
    UserFactory(username="meera")
    base = live_server.url
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", on_dialog)
    page.set_viewport_size(NARROW)
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill("meera")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(base + "/tests/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Papers everyone takes")
    shot(page, "series-list-360")
    no_sideways_scroll(page)
    page.get_by_role("link", name=paper.title).click()

    # The instructions: marking, the palette legend, the time; the clock has not started.
    expect(page.get_by_role("heading", name="Instructions")).to_be_visible()
    expect(page.locator(".paper-facts")).to_contain_text("+2 right · −⅔ (0.67) wrong · 0 blank")
    expect(page.locator(".series-legend")).to_contain_text("Answered and marked for review")
    expect(page.locator(".leaders")).to_contain_text("Kavya R")
    expect(page.locator(".leaders")).not_to_contain_text("taker1")
    shot(page, "series-instructions-360")
    no_sideways_scroll(page)
    page.get_by_text("I have read the instructions.").click()
    page.get_by_role("button", name="Start the test").click()

    # Exam mode: no menu, search or log-out; the palette is a drawer on the phone.
    expect(page).to_have_url(re.compile(r"/prelims/attempts/\d+/$"))
    # The URL changes before the page's scripts have run: a pick made before prelims.js
    # listens would never be sent (seen once in CI: the status stayed empty).
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_have_class(re.compile(r"exam-mode"))
    expect(page.locator("#nav-q")).to_have_count(0)
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect(page.locator("#palette")).to_be_hidden()
    page.locator("label.option").nth(keys[0]).click()
    expect(page.locator("#save-status")).to_have_text("All answers saved.")
    shot(page, "series-exam-360")
    no_sideways_scroll(page)
    page.get_by_text("Question palette").click()
    expect(page.locator("#palette")).to_be_visible()
    page.wait_for_timeout(300)
    page.screenshot(path=str(shot.__globals__["ARTIFACTS"] / "series-drawer-360.png"))
    # Straight after picking (the palette was refreshed by prelims.js, not by htmx).
    page.locator('#palette .pal[data-order="3"]').click()
    expect(page.locator("#q-title")).to_contain_text("Question 3 of 6")
    expect(page.locator("#palette")).to_be_hidden()  # the drawer closes after a jump
    page.locator("label.option").nth((keys[2] + 1) % 4).click()  # a wrong answer
    expect(page.locator("#save-status")).to_have_text("All answers saved.")

    # Leaving asks first (beforeunload); staying keeps the test.
    page.set_viewport_size(DESKTOP)
    shot(page, "series-exam-desktop")
    page.once("dialog", lambda d: (dialogs.append("leave:" + d.type), d.dismiss()))
    page.remove_listener("dialog", on_dialog)
    with contextlib.suppress(Exception):  # the navigation is cancelled by staying
        page.goto(base + "/topics/", timeout=3000)
    page.on("dialog", on_dialog)
    assert "leave:beforeunload" in dialogs
    expect(page).to_have_url(re.compile(r"/prelims/attempts/\d+/"))

    # Submit (the confirm is accepted): the result has the rank among the four takers.
    page.get_by_role("button", name="Submit test").click()
    expect(page).to_have_url(re.compile(r"/result/$"))
    # 2 - 0.67 = 1.33 marks: below Kavya (12) and above the blank (0) and all-wrong (-4).
    expect(page.locator("#rank")).to_have_text(re.compile(r"^2\s+of 4$"))
    expect(page.locator("#percentile")).to_have_text("75.00")
    expect(page.locator(".standing")).to_contain_text("top score by Kavya R")
    expect(page.locator(".shares").first).to_contain_text("takers got this right")
    page.locator(".standing").screenshot(
        path=str(shot.__globals__["ARTIFACTS"] / "series-standing-desktop.png")
    )
    shot(page, "series-result-desktop")
    page.set_viewport_size(NARROW)
    page.locator(".standing").screenshot(
        path=str(shot.__globals__["ARTIFACTS"] / "series-standing-360.png")
    )
    no_sideways_scroll(page)
    assert "beforeunload" not in [d for d in dialogs if d != "leave:beforeunload"]

"""The demo learner's progress in Chromium: dashboard, history filter, export; a mentor's view.

Content comes from factories, history from `manage.py seed_demo`. Screenshots (desktop, phone,
dark) go to test-artifacts/progress-*.png and staff-*.png.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import Page, expect

from quizzes.management.commands.seed_demo import DEMO_PASSWORD
from tests.conftest import PASSWORD
from tests.e2e.conftest import shot
from tests.factories import (
    FlashcardFactory,
    MainsQuestionFactory,
    NoteFactory,
    PairsQuestionFactory,
    QuestionFactory,
    StaffFactory,
    StatementsQuestionFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
TOPICS = [
    ("history", "History and milestones"),
    ("defence-security", "Defence and security"),
    ("oda-infrastructure", "ODA and infrastructure"),
    ("indo-pacific-quad", "Indo-Pacific and the Quad"),
]


@pytest.fixture(autouse=True)
def server_at_noon_in_kolkata():
    """The server's clock starts at noon today in the demo learner's zone and ticks on: the demo
    is built and read on one calendar day, even when the test runs across midnight. It stays
    within hours of Chromium's clock, so session cookies keep their expiry."""
    tz = ZoneInfo("Asia/Kolkata")
    noon = dt.datetime.combine(dt.datetime.now(tz).date(), dt.time(12), tzinfo=tz)
    with time_machine.travel(noon, tick=True):
        yield


def seed_demo_learner() -> None:
    """A small published bank over four topics, then six weeks of demo history."""
    for slug, title in TOPICS:
        topic = TopicFactory(slug=slug, title=title)
        NoteFactory(topic=topic)
        FlashcardFactory.create_batch(8, topic=topic)
        QuestionFactory.create_batch(4, topic=topic)
        StatementsQuestionFactory.create_batch(3, topic=topic)
        PairsQuestionFactory.create_batch(2, topic=topic)
        MainsQuestionFactory(topic=topic)
    call_command("seed_demo", stdout=StringIO())


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base + "/")


def dark(page: Page, on: bool = True) -> None:
    page.emulate_media(color_scheme="dark" if on else "light")


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_demo_dashboard_history_filter_and_export(page: Page, live_server):
    seed_demo_learner()
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    log_in(page, base, "demo", DEMO_PASSWORD)

    # Home: the Today panel says what happened yesterday.
    expect(page.locator(".today-yesterday")).to_contain_text("Yesterday:")
    expect(page.locator(".today-yesterday")).to_contain_text("reviewed")

    # The dashboard: streak, heatmap, mastery, score trend, weak spots.
    page.get_by_role("link", name="Progress").first.click()
    expect(page).to_have_url(base + "/progress/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")
    expect(page.locator("svg.heatmap")).to_be_visible()
    expect(page.locator("svg.heatmap rect.heat-4").first).to_be_attached()
    expect(page.get_by_role("img", name="Mock test scores over time")).to_be_visible()
    expect(page.get_by_role("img", name="Mains answer scores over time")).to_be_visible()
    expect(page.locator(".mastery-table tbody tr")).to_have_count(len(TOPICS))
    expect(page.locator("#mastery-formula")).to_contain_text("20% note studied")
    expect(page.locator("section[aria-labelledby=weak-title] form").first).to_be_visible()
    streak = page.locator(".progress-summary .stat-value").first
    assert int(streak.inner_text().split()[0]) >= 5
    # The text alternative opens.
    page.get_by_text("Scores as a table").click()
    expect(page.locator("details.chart-table[open] tbody tr")).to_have_count(3)
    shot(page, "progress-dashboard-desktop")
    dark(page)
    shot(page, "progress-dashboard-desktop-dark")
    dark(page, False)
    page.set_viewport_size(PHONE)
    page.reload()
    no_sideways_scroll(page)
    shot(page, "progress-dashboard-phone")
    dark(page)
    shot(page, "progress-dashboard-phone-dark")
    dark(page, False)
    page.set_viewport_size(DESKTOP)

    # History: newest first, filter by kind with htmx (the URL follows), page back in time.
    page.goto(base + "/progress/history/")
    rows = page.locator(".history-row")
    expect(rows).to_have_count(20)
    expect(page.get_by_role("link", name=re.compile("Older"))).to_be_visible()
    page.get_by_label("Kind").select_option("mock")
    expect(page).to_have_url(re.compile(r"kind=mock"))
    expect(rows).to_have_count(3)
    for i in range(3):
        expect(rows.nth(i)).to_contain_text("Mock test")
    shot(page, "progress-history-mocks-desktop")
    rows.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/prelims/attempts/\d+/result/$"))
    page.go_back()
    page.get_by_label("Kind").select_option("reviews")
    expect(page).to_have_url(re.compile(r"kind=reviews"))
    page.get_by_role("link", name=re.compile("Older")).click()
    expect(page).to_have_url(re.compile(r"before="))
    expect(page.get_by_role("link", name=re.compile("Newer"))).to_be_visible()
    rows.first.get_by_role("link").click()  # a review day's ratings
    expect(page.get_by_role("heading", name=re.compile("Review session"))).to_be_visible()
    page.set_viewport_size(PHONE)
    page.goto(base + "/progress/history/")
    no_sideways_scroll(page)
    shot(page, "progress-history-phone")
    page.set_viewport_size(DESKTOP)

    # Export: a zip of CSV files and a JSON document, downloaded by the browser.
    page.goto(base + "/progress/export/")
    shot(page, "progress-export-desktop")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    names = {name.rsplit("/", 1)[-1] for name in archive.namelist()}
    assert {"reviews.csv", "attempts.csv", "attempt_items.csv", "mains_answers.csv"} <= names
    reviews = next(n for n in archive.namelist() if n.endswith("reviews.csv"))
    assert archive.read(reviews).decode("utf-8-sig").count("\n") > 50
    with page.expect_download() as download:
        page.get_by_role("link", name="Download JSON").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["user"]["username"] == "demo"
    assert len([a for a in data["attempts"] if a["mode"] == "mock"]) == 3
    assert len(data["mains_answers"]) == 2


def test_staff_review_a_learner_read_only(page: Page, live_server):
    seed_demo_learner()
    StaffFactory(username="mentor-meera")
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    log_in(page, base, "mentor-meera", PASSWORD)

    page.get_by_role("link", name="Learners").click()
    expect(page).to_have_url(base + "/staff/learners/")
    row = page.locator(".learner-table tbody tr").filter(has_text="demo@example.com")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("days")  # the streak
    page.get_by_label("Search learners by name or email").fill("nobody-here")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#learner-table")).to_contain_text("No learner matches")
    page.get_by_label("Search learners by name or email").fill("demo")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".learner-table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Mock average").click()
    expect(page).to_have_url(re.compile(r"sort=-mock"))
    shot(page, "staff-learners-desktop")
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    shot(page, "staff-learners-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Demo").click()
    expect(page).to_have_url(re.compile(r"/staff/learners/\d+/$"))
    expect(page.get_by_text("Read-only view")).to_be_visible()
    awaiting = page.locator(".awaiting-list li")
    expect(awaiting).to_have_count(1)
    expect(page.locator("svg.heatmap")).to_be_visible()
    # Nothing on this page acts for the learner.
    expect(page.locator("form[action='/prelims/start/']")).to_have_count(0)
    page.get_by_label("Kind").select_option("mains")
    expect(page.locator("#history-results .history-row")).to_have_count(2)
    shot(page, "staff-learner-desktop")
    dark(page)
    shot(page, "staff-learner-desktop-dark")
    dark(page, False)
    page.set_viewport_size(PHONE)
    page.reload()
    no_sideways_scroll(page)
    shot(page, "staff-learner-phone")
    awaiting.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/mains/answers/\d+/$"))

"""Mains evaluation in a real browser: a learner writes and submits, sees the model answer
beside their own (not before), uploads a handwritten page; a mentor evaluates it from the
queue; the learner sees "new feedback" on the home page and the evaluation on the answer.
Screenshots at desktop and phone width, light and dark."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from quizzes.models import MainsAnswer
from tests.e2e.conftest import shot
from tests.factories import (
    ClaimFactory,
    FactFactory,
    MainsQuestionFactory,
    SourceFactory,
    StaffFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "correct-horse-battery-9"

MODEL = (
    "**Introduction.** Japan has been India's largest bilateral donor since the first yen "
    "loan of 1958 [first-yen-loan].\n\n"
    "**Strategic purpose.**\n"
    "- Northeast roads and bridges serve the Act East Policy and the Indo-Pacific.\n"
    "- Projects in a sensitive border region show trust [alpha-source].\n\n"
    "**Way forward.** Finish the corridors on time and add skills and health projects."
)
ANSWER = (
    "Japanese ODA began with the yen loan of 1958 and is concessional.\n\n"
    "- Roads and bridges in the Northeast connect India to Southeast Asia (Act East).\n"
    "- Japan works in a sensitive border region, which shows trust.\n\n"
    "Way forward: timely completion of projects."
)


@pytest.fixture
def question():
    fact = FactFactory(
        slug="first-yen-loan", statement="Japan's first yen loan went to India in 1958."
    )
    source = SourceFactory(slug="alpha-source", title="Alpha article", publisher="Alpha Times")
    ClaimFactory(fact=fact, source=source)
    return MainsQuestionFactory(
        topic=TopicFactory(slug="oda", title="ODA and infrastructure"),
        text=(
            "Japan's development assistance to India is as much strategic as developmental. "
            "Comment."
        ),
        model_answer=MODEL,
        key_points=[
            ("Largest ODA partner since the 1958 yen loans.", ["yen loan", "1958", "concessional"]),
            ("Northeast connectivity for Act East.", ["northeast", "act east", "bridges"]),
            ("Trust shown in a sensitive border region.", ["sensitive", "border", "trust"]),
        ],
    )


def page_photo(path) -> None:
    img = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(["Japanese ODA since 1958", "Northeast roads", "Way forward"]):
        draw.text((40, 60 + 50 * i), line, fill="black")
    out = io.BytesIO()
    img.save(out, "JPEG")
    path.write_bytes(out.getvalue())


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def log_out(page: Page) -> None:
    page.set_viewport_size(DESKTOP)  # on a phone the button sits in the collapsed menu
    page.get_by_role("button", name=re.compile("Log out", re.I)).click()


def test_write_submit_model_answer_mentor_evaluates_learner_sees_feedback(
    page: Page, live_server, question, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="asha", email="asha@example.com")
    StaffFactory(username="mentor")
    photo = tmp_path / "page1.jpg"
    page_photo(photo)

    # The learner writes: no model answer on the write page.
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "asha")
    page.goto(live_server.url + f"/mains/{question.pk}/write/")
    expect(page.get_by_role("heading", name=re.compile("development assistance"))).to_be_visible()
    expect(page.get_by_text("Model answer")).to_have_count(0)
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_text("Handwritten? Upload photos").click()
    page.get_by_label("Pages (JPEG, PNG or PDF)").set_input_files(str(photo))
    page.get_by_role("button", name="Submit answer").click()

    # After submitting: the model answer beside the learner's own, and the uploaded page.
    expect(page.get_by_role("heading", name="Model answer")).to_be_visible()
    expect(page.locator(".mains-model")).to_contain_text("Finish the corridors on time")
    expect(page.locator(".answer-page img")).to_have_count(1)
    expect(page.get_by_text(re.compile("Waiting for a mentor's evaluation"))).to_be_visible()
    shot(page, "mentor-learner-answer-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "mentor-learner-answer-phone")
    answer = MainsAnswer.objects.get()
    assert answer.pages.count() == 1
    log_out(page)

    # The mentor opens the queue and evaluates the oldest waiting answer.
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "mentor")
    page.get_by_role("link", name="Mains queue").first.click()
    expect(page.get_by_role("heading", name="Mains answers to evaluate")).to_be_visible()
    expect(page.get_by_text("1 waiting")).to_be_visible()
    shot(page, "mentor-queue-desktop")
    page.get_by_role("link", name=re.compile("^Evaluate")).click()
    expect(page.get_by_role("heading", name="Evaluation")).to_be_visible()
    expect(page.locator(".answer-page img")).to_have_count(1)
    page.get_by_role("group", name="Trust shown in a sensitive border region.").get_by_label(
        "Partly"
    ).check()
    page.get_by_label("Marks out of 10").fill("6.5")
    page.get_by_label("Structure out of 5").fill("4")
    page.get_by_label("Comments for the learner").fill(
        "Good structure. Name the Act East Policy's aims and give one project with its cost."
    )
    shot(page, "mentor-evaluate-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "mentor-evaluate-phone")
    page.emulate_media(color_scheme="dark")
    shot(page, "mentor-evaluate-phone-dark")
    page.emulate_media(color_scheme="light")
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_text(re.compile("Evaluation saved"))).to_be_visible()
    expect(page.get_by_text("Nothing waiting")).to_be_visible()
    page.get_by_label("Evaluated").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(re.compile("turnaround"))).to_have_count(2)
    shot(page, "mentor-queue-evaluated-phone")
    log_out(page)

    # The learner sees "new feedback" on the home page, then the evaluation on the answer.
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "asha")
    page.goto(live_server.url + "/")
    feedback = page.locator(".today-feedback")
    expect(feedback).to_contain_text("New feedback")
    shot(page, "mentor-home-new-feedback-desktop")
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="dark")
    shot(page, "mentor-home-new-feedback-phone-dark")
    page.emulate_media(color_scheme="light")
    feedback.get_by_role("link").click()
    expect(page.get_by_text("Your mentor has reviewed this answer")).to_be_visible()
    expect(page.locator("#feedback")).to_contain_text("Marks 6.5/10")
    expect(page.locator("#feedback")).to_contain_text("Structure 4/5")
    expect(page.locator('#feedback li[data-verdict="partial"]')).to_contain_text("sensitive border")
    page.locator("#feedback").scroll_into_view_if_needed()
    shot(page, "mentor-learner-feedback-phone")
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size(DESKTOP)
    shot(page, "mentor-learner-feedback-desktop-dark")
    page.goto(live_server.url + "/")
    expect(page.locator(".today-feedback")).to_have_count(0)

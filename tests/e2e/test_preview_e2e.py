"""Staff preview of a draft topic as a learner would see it: the banner on phone and desktop."""

import pytest
from playwright.sync_api import Page, expect

from content.models import Status
from tests.e2e.conftest import shot
from tests.factories import FactFactory, NoteFactory, StaffFactory, TopicFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"


def test_staff_preview_of_a_draft_topic_shows_the_banner(live_server, page: Page):
    topic = TopicFactory(slug="draft-topic", title="A topic still in draft", status=Status.DRAFT)
    NoteFactory(topic=topic)
    FactFactory(topic=topic, statement="A fact waiting for review.", status=Status.DRAFT)
    staff = StaffFactory(username="editor")
    staff.set_password(PASSWORD)
    staff.save()
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + "/accounts/login/?next=/topics/draft-topic/%3Fpreview%3D1")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    banner = page.locator("[data-preview]")
    expect(banner).to_contain_text("Preview as learner")
    expect(banner).to_contain_text("Learners cannot see it")
    expect(page.get_by_text("A fact waiting for review.").first).to_be_visible()
    shot(page, "preview-draft-topic-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(color_scheme="dark")
    shot(page, "preview-draft-topic-desktop-dark")

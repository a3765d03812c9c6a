"""An author edits a pack question in the admin: the form says where it comes from, and the
pack's drift report lists it (desktop, phone, dark)."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from content import models as m
from content.loader import load_packs
from tests.e2e.conftest import shot
from tests.factories import StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"
EXAMPLE = Path(__file__).resolve().parents[1] / "content" / "packs" / "example"


def test_author_sees_origin_and_drift(page: Page, live_server, settings, tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "example")
    settings.CONTENT_PACKS_DIR = tmp_path
    load_packs([tmp_path / "example"])
    StaffFactory(username="editor")
    question = m.Question.objects.get(slug="q-single")
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/admin/login/?next=/admin/content/question/{question.pk}/change/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    origin = page.get_by_test_id("pack-origin")
    expect(origin).to_contain_text("example/prelims/basics.yaml")
    expect(origin).to_contain_text("keeps your edit and reports it")
    page.locator("#id_explanation").fill("Relations and the peace treaty: 1952.")
    page.locator("input[name=_continue]").click()
    expect(page.get_by_test_id("pack-origin")).to_contain_text("Changed here since its last load")
    shot(page, "admin-pack-origin-desktop")

    pack = m.Pack.objects.get(slug="example")
    page.goto(f"{base}/admin/content/pack/")
    page.get_by_role("link", name="Drift report").click()
    expect(page.get_by_test_id("drift-count")).to_contain_text("1 item differs")
    expect(page.get_by_role("link", name="q-single")).to_be_visible()
    shot(page, "admin-drift-desktop")
    page.set_viewport_size({"width": 360, "height": 780})
    shot(page, "admin-drift-phone")
    page.emulate_media(color_scheme="dark")
    page.goto(f"{base}/admin/content/question/{question.pk}/change/")
    shot(page, "admin-pack-origin-phone-dark")
    assert pack.pk

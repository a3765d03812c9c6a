"""The editor's path: paste an article into a new Source, generate drafts, accept a fact with
its card, a statements question and a pairs question, reject one; the learner then finds the
accepted items on the topic page, in card review and in Prelims practice."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from content import models as m
from tests.e2e.conftest import ARTIFACTS, shot
from tests.factories import StaffFactory, TopicFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"
ARTICLE = (Path(__file__).resolve().parents[1] / "data" / "drafts" / "india-uae.txt").read_text()
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def screen(page: Page, name: str) -> None:
    """The visible screen only: the review page of a whole article is very long."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def log_in(page: Page, url: str, username: str) -> None:
    page.goto(url)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()


def accept(page: Page, draft, topic: str) -> None:
    draft.locator("select[name=topic]").select_option(label=topic)
    draft.get_by_role("button", name="Accept").click()
    expect(page.locator(".messagelist")).to_contain_text("Accepted and published")


def test_paste_generate_accept_reject_then_learner_sees_items(page: Page, live_server):
    StaffFactory(username="editor")
    UserFactory(username="meera")
    TopicFactory(slug="india-uae", title="India–UAE relations", order=1)
    page.set_viewport_size(DESKTOP)
    base = live_server.url

    # The editor pastes the article into a new source.
    log_in(page, base + "/admin/login/?next=/admin/content/source/add/", "editor")
    page.locator("#id_slug").fill("india-uae-explainer")
    page.locator("#id_title").fill("India and the UAE: How a Gulf Partnership Became Comprehensive")
    page.locator("#id_full_text").fill(ARTICLE)
    page.locator("input[name=_continue]").click()
    page.get_by_role("link", name="Review drafts").click()
    expect(page.get_by_test_id("drafts-count")).to_contain_text("0 left to review")
    page.get_by_role("button", name="Generate drafts from the full text").click()
    expect(page.locator(".messagelist")).to_contain_text("new draft(s)")
    left = m.DraftItem.objects.filter(parent=None).count()
    expect(page.get_by_test_id("drafts-count")).to_contain_text(f"{left} left to review")
    screen(page, "drafts-review-desktop")

    # A fact with its cloze card, edited in place.
    fact = page.locator("section.draft[data-kind=fact]").filter(has_text="in just 88 days").first
    expect(fact.locator("blockquote")).to_contain_text("The CEPA was negotiated in just 88 days")
    expect(fact.locator(".draft-section")).to_have_text("The CEPA")
    fact.locator("textarea[name=text]").fill(
        "The India–UAE CEPA was negotiated in just 88 days, a record for India."
    )
    accept(page, fact, "India–UAE relations")

    # A statements question (the editor confirms each statement's truth) and a pairs question.
    statements = page.locator("section.draft[data-format=statements]").first
    expect(statements.locator("input[type=checkbox][name$='-true']").first).to_be_visible()
    accept(page, statements, "India–UAE relations")
    pairs = page.locator("section.draft[data-format=pairs]").first
    accept(page, pairs, "India–UAE relations")

    # Reject one draft: it leaves the list and is remembered.
    rejected = page.locator("section.draft[data-kind=fact]").first
    rejected_sentence = rejected.locator("blockquote").inner_text()
    rejected.get_by_role("button", name="Reject").click()
    expect(page.locator(".messagelist")).to_contain_text("rejected")
    expect(page.get_by_test_id("drafts-count")).to_contain_text(
        f"{left - 4} left to review · 3 accepted · 1 rejected"
    )
    page.get_by_role("button", name="Generate drafts from the full text").click()
    expect(page.locator(".messagelist")).to_contain_text("0 new draft(s)")
    page.goto(base + "/admin/content/source/")
    expect(page.locator("body")).to_contain_text(f"Review drafts ({left - 4} left)")
    page.set_viewport_size(PHONE)
    page.goto(base + f"/admin/content/source/{m.Source.objects.get().pk}/drafts/?status=all")
    page.locator("section.draft.status-accepted").first.scroll_into_view_if_needed()
    screen(page, "drafts-review-phone")
    assert rejected_sentence

    # The learner sees the accepted items.
    learner = page.context.browser.new_context(viewport=DESKTOP)
    lp = learner.new_page()
    log_in(lp, base + "/accounts/login/", "meera")
    lp.goto(base + "/topics/india-uae/")
    expect(lp.locator("#topic-facts")).to_contain_text("The India–UAE CEPA was negotiated")
    shot(lp, "drafts-learner-topic")
    lp.goto(base + "/cards/review/?topic=india-uae")
    expect(lp.locator("body")).to_contain_text("negotiated in just")
    shot(lp, "drafts-learner-review")
    lp.goto(base + "/prelims/?topic=india-uae")
    practice = lp.locator("section.start-card").filter(has_text="Practice")
    practice.get_by_label("Number of questions").fill("2")
    practice.get_by_role("button", name="Start practice").click()
    expect(lp.locator("#q-title")).to_contain_text("Question 1 of 2")
    expect(lp.locator("main")).to_contain_text("Consider the following")
    shot(lp, "drafts-learner-practice")
    learner.close()

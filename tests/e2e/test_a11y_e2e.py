"""Every learner page passes axe-core (WCAG 2.1 A and AA) in light and dark mode.

axe-core is the vendored copy (tests/e2e/a11y.py). The real content pack and the demo
learner's six weeks of history (seed_demo), a test-series paper taken, a practice set with an
answer checked, a running mock, so each page shows realistic content. Screenshots:
test-artifacts/a11y-<page>-<scheme>.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import axe_violations, use_axe
from tests.e2e.conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
SCHEMES = ("light", "dark")


def audit(page: Page, name: str) -> list[str]:
    """axe on the page in both colour schemes (a screenshot of each)."""
    found = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        found += axe_violations(page, f"{name} ({scheme})")
        shot(page, f"a11y-{name}-{scheme}")
    page.emulate_media(color_scheme="light")
    return found


def visit(page: Page, base: str, url: str) -> None:
    response = page.goto(base + url)
    assert response.status == 200, (url, response.status)
    page.wait_for_load_state("load")


def test_pages_for_visitors_pass_axe(page: Page, live_server):
    use_axe(page)
    page.set_viewport_size(DESKTOP)
    base = live_server.url
    problems = []
    for name, url in [
        ("landing", "/"),
        ("login", "/accounts/login/"),
        ("signup", "/accounts/signup/"),
        ("password-reset", "/accounts/password_reset/"),
    ]:
        visit(page, base, url)
        problems += audit(page, name)
    # An error page a visitor can reach.
    assert page.goto(base + "/no-such-page/").status == 404
    problems += audit(page, "not-found")
    # A form sent back with errors.
    visit(page, base, "/accounts/login/")
    page.locator("#id_username").fill("nobody")
    page.locator("#id_password").fill("wrong-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errorlist, .form-errors, [role=alert]").first).to_be_visible()
    problems += audit(page, "login-error")
    assert not problems, "\n".join(problems)


def test_every_learner_page_passes_axe_in_light_and_dark(page: Page, live_server, demo_world):
    w = demo_world
    use_axe(page)
    page.set_viewport_size(DESKTOP)
    base = live_server.url
    log_in(page, base)
    pages = [
        ("home", "/"),
        ("topics", "/topics/"),
        ("topic", "/topics/history/"),
        ("search", "/search/?q=japan"),
        ("search-empty", "/search/?q=zzzzqqq"),
        ("cards", "/cards/"),
        ("card", f"/cards/{w['card'].pk}/"),
        ("custom-study", "/cards/custom/"),
        ("marked-cards", "/cards/marked/"),
        ("own-cards", "/cards/mine/"),
        ("own-card-add", "/cards/mine/add/"),
        ("review", "/cards/review/"),
        ("prelims", "/prelims/"),
        ("question", f"/prelims/questions/{w['question'].pk}/"),
        ("practice-checked", f"/prelims/attempts/{w['practice'].pk}/?question=1"),
        ("practice", f"/prelims/attempts/{w['practice'].pk}/?question=2"),
        ("mock-running", f"/prelims/attempts/{w['running'].pk}/"),
        ("mock-result", f"/prelims/attempts/{w['mock'].pk}/result/"),
        ("paper-result", f"/prelims/attempts/{w['taken'].pk}/result/"),
        ("tests", "/tests/"),
        ("paper", f"/tests/{w['paper'].slug}/"),
        ("mains", "/mains/"),
        ("mains-write", f"/mains/{w['mains'].pk}/write/"),
        ("mains-answer", f"/mains/answers/{w['answer'].pk}/"),
        ("progress", "/progress/"),
        ("history", "/progress/history/"),
        ("export", "/progress/export/"),
        ("profile", "/accounts/profile/"),
        ("password-change", "/accounts/password_change/"),
        ("delete-account", "/accounts/profile/delete/"),
    ]
    problems = []
    for name, url in pages:
        visit(page, base, url)
        problems += audit(page, name)
    # States a learner reaches by acting: a revealed card, the confirm step of a set.
    visit(page, base, "/cards/review/")
    page.locator(".reveal-button").click()
    expect(page.get_by_role("button", name=re.compile("^Good"))).to_be_visible()
    problems += audit(page, "review-revealed")
    # The confirm step of a set with blanks (the no-JS path: a plain form post).
    visit(page, base, f"/prelims/attempts/{w['practice'].pk}/?question=2")
    page.evaluate("document.getElementById('submit-form').submit()")
    expect(page.get_by_role("heading", name="Finish practice?")).to_be_visible()
    problems += audit(page, "practice-confirm")
    assert not problems, "\n".join(problems)


PHONE = {"width": 360, "height": 740}

# Text an element cuts off (an ellipsis or overflow), for the label check below.
CLIPPED = """(sel) => {
  const el = document.querySelector(sel);
  return {clipped: el.scrollWidth > el.clientWidth + 1, text: el.innerText,
          width: el.clientWidth, needs: el.scrollWidth};
}"""


def test_exam_mode_on_a_phone_shows_its_label_and_passes_axe(page: Page, live_server, demo_world):
    """Issue 17's leftover: "Exam mode" was cut to "Exa…" at 360 px. The exam page, its palette
    drawer, pages that scroll sideways in places and the phone menu also pass axe there."""
    w = demo_world
    use_axe(page)
    page.set_viewport_size(PHONE)
    base = live_server.url
    log_in(page, base)
    visit(page, base, f"/prelims/attempts/{w['running'].pk}/")
    label = page.evaluate(CLIPPED, ".exam-mode-label")
    assert not label["clipped"] and label["text"].startswith("Exam mode"), label
    problems = audit(page, "phone-exam")
    page.get_by_text("Question palette").click()
    expect(page.locator("#palette")).to_be_visible()
    problems += audit(page, "phone-exam-palette")
    # Pages whose tables or charts scroll sideways on a phone (they take the focus then).
    for name, url in [
        ("phone-progress", "/progress/"),
        ("phone-mock-result", f"/prelims/attempts/{w['mock'].pk}/result/"),
        ("phone-topic", "/topics/history/"),
    ]:
        visit(page, base, url)
        problems += audit(page, name)
    visit(page, base, "/cards/")
    page.get_by_text("Menu").click()
    expect(page.get_by_role("link", name="Topics")).to_be_visible()
    problems += audit(page, "phone-menu")
    assert not problems, "\n".join(problems)

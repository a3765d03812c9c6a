"""No learner page scrolls sideways on a 360 px phone (the narrowest common Android width).

The real content pack and the demo learner's six weeks of history (seed_demo), plus a
test-series paper taken by the demo learner, so every page shows realistic lengths: decks and
result pages first, then every other page a learner reaches, with and without a session.
Screenshots: test-artifacts/narrow-<page>.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 360, "height": 740}

# Elements that stick out of the viewport (for the failure message only).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      let scroller = el.parentElement, clipped = false;
      while (scroller && scroller !== document.body) {
        const o = getComputedStyle(scroller).overflowX;
        if (o === "auto" || o === "scroll" || o === "hidden") { clipped = true; break; }
        scroller = scroller.parentElement;
      }
      const name = `${el.tagName.toLowerCase()}.${el.className}`;
      if (!clipped) out.push(`${name} → ${Math.round(box.right)}px`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, offenders: out.slice(0, 6)};
}"""


def width_problems(page: Page, name: str) -> str | None:
    page.wait_for_load_state("load")
    found = page.evaluate(OVERFLOW_JS)
    shot(page, f"narrow-{name}")
    if found["scroll"] > NARROW["width"]:
        return f"{name}: {found['scroll']}px wide; {found['offenders']}"
    return None


def test_no_learner_page_scrolls_sideways_at_360px(page: Page, live_server, demo_world):
    w = demo_world
    paper, taken, running, practice = w["paper"], w["taken"], w["running"], w["practice"]
    mock, answer, mains_q = w["mock"], w["answer"], w["mains"]

    base = live_server.url
    page.set_viewport_size(NARROW)
    problems = []
    for name, url in [("login", "/accounts/login/"), ("signup", "/accounts/signup/")]:
        page.goto(base + url)
        problems.append(width_problems(page, name))
    log_in(page, base)
    pages = [
        ("decks", "/cards/"),
        ("mock-result", f"/prelims/attempts/{mock.pk}/result/"),
        ("paper-result", f"/prelims/attempts/{taken.pk}/result/"),
        ("home", "/"),
        ("topics", "/topics/"),
        ("topic", "/topics/history/"),
        ("search", "/search/?q=japan"),
        ("review", "/cards/review/"),
        ("prelims", "/prelims/"),
        ("practice", f"/prelims/attempts/{practice.pk}/"),
        ("exam", f"/prelims/attempts/{running.pk}/"),
        ("series", "/tests/"),
        ("paper", f"/tests/{paper.slug}/"),
        ("mains", "/mains/"),
        ("mains-write", f"/mains/{mains_q.pk}/write/"),
        ("mains-answer", f"/mains/answers/{answer.pk}/"),
        ("progress", "/progress/"),
        ("history", "/progress/history/"),
        ("export", "/progress/export/"),
        ("profile", "/accounts/profile/"),
        ("password", "/accounts/password_change/"),
    ]
    for name, url in pages:
        response = page.goto(base + url)
        assert response.status == 200, (name, response.status)
        problems.append(width_problems(page, name))
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)

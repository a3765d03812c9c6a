"""Browser tests: Playwright (sync API) driving Debian's Chromium against `live_server`.

Every test here is marked `e2e`. Without /usr/bin/chromium they are skipped locally and fail
under CI=true (`.ci/run` installs Chromium first). `shot(page, name)` saves a full-page PNG
to test-artifacts/<name>.png for a person to look at.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from content.loader import load_packs
from content.models import Flashcard, MainsQuestion, Paper, Question
from quizzes.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME
from quizzes.models import Attempt, MainsAnswer
from quizzes.services import prelims as prelims_service
from quizzes.services import series as series_service
from quizzes.services.prelims import PrelimsAction

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    e2e_items = [item for item in items if here in Path(str(item.fspath)).parents]
    for item in e2e_items:
        item.add_marker(pytest.mark.e2e)
    if CHROMIUM.exists() or os.environ.get("CI", "").lower() == "true":
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (.ci/run installs it)")
    for item in e2e_items:
        item.add_marker(skip)


# Assertions wait on a condition, never on time; the bound is generous so a loaded CI machine
# does not turn a slow page into a failure.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Reduced motion: the stylesheet then skips transitions, so a screenshot taken right after
    a colour-scheme switch or a scroll shows the settled page (no sleeps in the tests)."""
    return {**browser_context_args, "reduced_motion": "reduce"}


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


def shot(page, name: str) -> Path:
    """Save a full-page screenshot of `page` as test-artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(name="shot")
def shot_fixture():
    """The `shot` helper as a fixture, for tests that prefer `def test_x(page, shot)`."""
    return shot


# Reports every Content-Security-Policy violation on the console, where the fixture below
# collects it (Chromium logs "Refused to …" too; this also catches what it only dispatches).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    """The browser tests run with learner pages cached, as the site runs (studyapp.freshness):
    every flow they drive must show what was just done."""
    settings.PAGE_CACHE = True


@pytest.fixture
def csp_violations() -> list[str]:
    """The CSP violations the current page reported (a test that provokes one clears it)."""
    return []


@pytest.fixture(autouse=True)
def _fail_on_csp_violation(request, csp_violations):
    """Fail any browser test during which the page reported a CSP violation."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = csp_violations
    page.add_init_script(_CSP_LISTENER)

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            violations.append(f"{page.url}: {text}")

    page.on("console", on_console)
    yield
    assert not violations, "CSP violations reported:\n" + "\n".join(violations)


@pytest.fixture
def demo_world():
    """The pack, the demo learner's history and one of each kind of attempt."""
    load_packs()
    call_command("seed_demo", stdout=StringIO())
    demo = Attempt.objects.filter(learner__username=DEMO_USERNAME).first().learner
    paper = Paper.objects.get(slug="sectional-economy-oda")
    taken = series_service.paper_attempt_start(learner=demo, paper=paper)
    prelims_service.attempt_submit(attempt_id=taken.pk, learner=demo)
    running = series_service.paper_attempt_start(
        learner=demo, paper=Paper.objects.get(family="full")
    )
    practice = prelims_service.attempt_start(learner=demo, mode="practice", count=5)
    first = practice.items.get(order=1)
    prelims_service.attempt_answer(
        attempt_id=practice.pk, learner=demo, order=1, action=PrelimsAction.CHECK,
        chosen=(first.key + 1) % 4,
    )  # fmt: skip
    return {
        "demo": demo,
        "paper": paper,
        "taken": taken,
        "running": running,
        "practice": practice,
        "mock": Attempt.objects.filter(learner=demo, mode="mock", paper=None)
        .exclude(submitted_at=None)
        .first(),
        "answer": MainsAnswer.objects.filter(learner=demo, submitted_at__isnull=False).first(),
        "mains": MainsQuestion.objects.published().first(),
        "card": Flashcard.objects.visible().first(),
        "question": Question.objects.visible().first(),
    }


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(DEMO_USERNAME)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base + "/")

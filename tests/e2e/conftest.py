"""Browser tests: Playwright (sync API) driving Debian's Chromium against `live_server`.

Every test here is marked `e2e`. Without /usr/bin/chromium they are skipped locally and fail
under CI=true (`.ci/run` installs Chromium first). `shot(page, name)` saves a full-page PNG
to test-artifacts/<name>.png for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

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

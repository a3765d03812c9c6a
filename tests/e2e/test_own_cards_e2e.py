"""A learner writes a cloze card of their own and reviews it; screenshots of the list, the
form, the card and the review at desktop and 360 px, light and dark."""

import pytest
from playwright.sync_api import Page, expect

from content.models import Flashcard
from quizzes.models import CardState
from tests.e2e.conftest import shot
from tests.factories import TopicFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "correct-horse-battery-9"
CLOZE = (
    "India and Japan raised their ties to a **{{c1::Special Strategic and Global}} Partnership** "
    "in {{c2::2014::year}}."
)


def snaps(page: Page, name: str) -> None:
    """The page at desktop and phone width, light and dark, from the top."""
    for size, width in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.evaluate("window.scrollTo(0, 0)")
            shot(page, f"own-cards-{name}-{width}-{scheme}")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(DESKTOP)


def test_add_a_cloze_card_and_review_it(page: Page, live_server):
    learner = UserFactory(username="kavya")
    TopicFactory(title="History and milestones", slug="history")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/accounts/login/?next=/cards/mine/")
    page.get_by_label("Username").fill("kavya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cards")
    expect(page.get_by_text("No cards of your own yet")).to_be_visible()
    snaps(page, "empty")

    page.get_by_role("link", name="Add your first card").click()
    page.get_by_role("radio", name="Cloze").check()
    expect(page.get_by_label("Front", exact=True)).to_be_hidden()  # only the chosen type's fields
    page.get_by_label("Cloze text").fill("Nothing hidden here.")
    page.get_by_role("button", name="Add card", exact=True).click()
    expect(page.get_by_text("A cloze card needs at least one deletion")).to_be_visible()
    snaps(page, "form-error")

    page.get_by_label("Cloze text").fill(CLOZE)
    page.get_by_label("Topic (optional)").select_option(label="History and milestones")
    page.get_by_role("button", name="Add card", exact=True).click()
    expect(page.get_by_text("Card added")).to_be_visible()
    expect(page.locator(".flashcard-prompt")).to_contain_text("[…] Partnership in [year…].")
    snaps(page, "card")

    page.goto(live_server.url + "/cards/review/")
    card = page.locator("#flashcard")
    expect(card).to_contain_text("Your card")
    expect(page.locator(".review-counts .count-new strong")).to_have_text("1")
    expect(page.locator(".cloze-answer").first).to_be_hidden()
    snaps(page, "review-front")
    page.keyboard.press("Space")
    expect(page.locator(".cloze-answer").first).to_have_text("Special Strategic and Global")
    expect(page.locator(".cloze-answer").nth(1)).to_have_text("2014")
    expect(page.locator("strong", has_text="Partnership")).to_be_visible()  # Markdown bold
    snaps(page, "review-revealed")
    page.keyboard.press("3")
    expect(page.locator(".review-counts .count-new strong")).to_have_text("0")
    own = Flashcard.objects.get(owner=learner)
    assert CardState.objects.get(learner=learner, card=own).reps == 1

    page.goto(live_server.url + "/cards/mine/")
    expect(page.locator(".own-card-row")).to_have_count(1)
    expect(page.locator(".own-card-row")).to_contain_text("History and milestones")
    snaps(page, "list")
    page.get_by_role("link", name="Delete this card").click()
    snaps(page, "delete")
    page.get_by_role("button", name="Delete the card").click()
    expect(page.get_by_text("Card deleted")).to_be_visible()
    assert not Flashcard.objects.filter(owner=learner).exists()

"""Sign up in a real browser, land on the home page, open the profile; screenshot the pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


def test_landing_page_at_desktop_and_phone_widths(page: Page, live_server):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remember it on exam day")
    expect(page.get_by_role("link", name="Create a free account")).to_be_visible()
    shot(page, "home-anonymous-desktop")

    page.set_viewport_size(PHONE)
    page.reload()
    # The menu collapses on a phone and opens with the Menu toggle.
    expect(page.get_by_role("link", name="Topics")).to_be_hidden()
    shot(page, "home-anonymous-phone")
    page.get_by_text("Menu").click()
    expect(page.get_by_role("link", name="Topics")).to_be_visible()
    shot(page, "nav-open-phone")

    page.emulate_media(color_scheme="dark")
    page.set_viewport_size(DESKTOP)
    page.reload()
    shot(page, "home-anonymous-dark")


def test_sign_up_land_on_home_and_open_profile(page: Page, live_server):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    shot(page, "signup-desktop")

    page.get_by_label("Username").fill("meera")
    page.get_by_label("Email").fill("meera@example.com")
    page.locator("#id_password1").fill("saffron-lotus-2025")
    page.locator("#id_password2").fill("saffron-lotus-2025")
    page.get_by_role("button", name="Create account").click()

    # Landed on the home page, logged in, with the Today panel.
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, meera")
    expect(page.locator("#today")).to_contain_text("Flashcards")
    expect(page.locator(".message.success")).to_contain_text("Welcome to studyapp")
    shot(page, "home-learner-desktop")

    page.emulate_media(color_scheme="dark")
    shot(page, "home-learner-dark")
    page.emulate_media(color_scheme="light")

    page.set_viewport_size(PHONE)
    page.reload()
    shot(page, "home-learner-phone")

    # Open the profile from the (collapsed) menu and save a daily limit.
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Profile: meera").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("meera")
    page.get_by_label("New cards per day").fill("35")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".message.success")).to_have_text("Profile saved.")
    expect(page.get_by_label("New cards per day")).to_have_value("35")
    shot(page, "profile-phone")

    page.set_viewport_size(DESKTOP)
    page.get_by_label("New cards per day").fill("1000")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".has-error .errorlist")).to_contain_text("less than or equal to 200")
    shot(page, "profile-error-desktop")


def test_bad_signup_shows_errors_in_the_browser(page: Page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Username").fill("kiran")
    page.get_by_label("Email").fill("kiran@example.com")
    page.locator("#id_password1").fill("password")
    page.locator("#id_password2").fill("password")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.get_by_text("This password is too common.")).to_be_visible()
    shot(page, "signup-errors-phone")

"""Accounts: sign up, log in/out, password change and reset, profile, account deletion."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile
from quizzes.models import Attempt, CardState, MainsAnswer, NoteProgress, ReviewLog
from tests.conftest import PASSWORD
from tests.factories import CardStateFactory, MainsQuestionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
GOOD_PASSWORD = "saffron-lotus-2025"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2 at full strength costs ~0.3 s a hash here; the flows are what is under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signup_data(**overrides):
    data = {
        "username": "meera",
        "email": "meera@example.com",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


# Sign up -------------------------------------------------------------------------------


def test_signup_page_renders_a_labelled_form(client):
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("id_username", "id_email", "id_password1", "id_password2"):
        assert f'for="{field}"' in html


def test_signup_creates_user_and_profile_logs_in_and_lands_on_home(client):
    response = client.post(reverse("signup"), signup_data())
    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(username="meera")
    assert user.email == "meera@example.com"
    assert Profile.objects.filter(user=user, daily_new_cards=20).exists()
    home = client.get(response.url)
    assert home.context["user"] == user
    assert "Welcome to studyapp, meera" in home.content.decode()


def test_signup_follows_a_safe_next_url_only(client):
    response = client.post(reverse("signup") + "?next=/cards/", signup_data())
    assert response.url == "/cards/"
    client.logout()
    response = client.post(
        reverse("signup"),
        signup_data(username="evil", email="evil@example.com", next="https://evil.example/"),
    )
    assert response.url == reverse("home")


def test_signup_with_a_taken_username_shows_a_clear_error_and_creates_nothing(client, learner):
    response = client.post(reverse("signup"), signup_data(username=learner.username))
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.filter(username=learner.username).count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "This password is too common."),
        ("short7", "This password is too short. It must contain at least 8 characters."),
        ("83749261538", "This password is entirely numeric."),
    ],
)
def test_signup_with_a_weak_password_shows_why(client, password, message):
    response = client.post(reverse("signup"), signup_data(password1=password, password2=password))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="meera").exists()
    assert not Profile.objects.exists()


def test_signup_with_mismatched_passwords_or_no_email_is_refused(client):
    response = client.post(reverse("signup"), signup_data(password2="something-else-42"))
    assert response.status_code == 400
    assert "password fields didn’t match" in response.content.decode()
    response = client.post(reverse("signup"), signup_data(email=""))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not User.objects.exists()


def test_logged_in_user_visiting_signup_goes_home(learner_client):
    response = learner_client.get(reverse("signup"))
    assert response.status_code == 302
    assert response.url == reverse("home")


# Log in and out -------------------------------------------------------------------------


def test_login_page_is_styled_with_the_site_layout(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/site.css" in html
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert reverse("password_reset") in html and reverse("signup") in html


def test_login_with_correct_password_goes_home(client, learner):
    response = client.post(reverse("login"), {"username": "asha", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_login_with_wrong_password_says_so(client, learner):
    response = client.post(reverse("login"), {"username": "asha", "password": "nope-nope-1"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_goes_home(learner_client):
    response = learner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "_auth_user_id" not in learner_client.session
    assert learner_client.get(reverse("logout")).status_code == 405


def test_logout_says_so_on_the_page_it_lands_on(learner_client):
    response = learner_client.post(reverse("logout"), follow=True)
    html = response.content.decode()
    assert '<p class="message success">You are logged out. Your progress is saved.</p>' in html
    assert "Create a free account" in html  # the visitor's home page
    # Said once: the next page has no message.
    assert "You are logged out" not in learner_client.get(reverse("home")).content.decode()


def test_logged_out_template_renders(rf):
    from django.template.loader import render_to_string

    html = render_to_string("registration/logged_out.html", request=rf.get("/"))
    assert "You are logged out" in html


# Password change and reset ----------------------------------------------------------------


def test_password_change(learner_client, learner):
    url = reverse("password_change")
    assert learner_client.get(url).status_code == 200
    response = learner_client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "monsoon-delta-77",
            "new_password2": "monsoon-delta-77",
        },
    )
    assert response.url == reverse("password_change_done")
    learner.refresh_from_db()
    assert learner.check_password("monsoon-delta-77")
    assert "Password changed" in learner_client.get(response.url).content.decode()


def test_password_reset_sends_a_link_that_sets_a_new_password(client, learner):
    response = client.post(reverse("password_reset"), {"email": learner.email})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your studyapp password"
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "monsoon-delta-77", "new_password2": "monsoon-delta-77"},
    )
    assert response.url == reverse("password_reset_complete")
    learner.refresh_from_db()
    assert learner.check_password("monsoon-delta-77")


def test_password_reset_for_an_unknown_email_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


# Profile ----------------------------------------------------------------------------------


def test_profile_requires_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_profile_is_created_for_a_user_without_one(client):
    user = User.objects.create_superuser("root", "root@example.com", GOOD_PASSWORD)
    assert not Profile.objects.filter(user=user).exists()
    client.force_login(user)
    assert client.get(reverse("profile")).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    assert Profile.objects.filter(user=user).count() == 1


def test_profile_update_saves_exam_date_and_daily_limit(learner_client, learner):
    exam = timezone.localdate() + dt.timedelta(days=120)
    response = learner_client.post(
        reverse("profile"),
        {
            "exam_date": exam.isoformat(),
            "daily_new_cards": "35",
            "timezone": "Asia/Kolkata",
            "desired_retention": "0.92",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("profile")
    profile = Profile.objects.get(user=learner)
    assert (profile.exam_date, profile.daily_new_cards, profile.desired_retention) == (
        exam,
        35,
        0.92,
    )
    page = learner_client.get(reverse("profile")).content.decode()
    assert "Profile saved." in page
    assert "120 days" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "Ensure this value is greater than or equal to 0."),
        ("1000", "Ensure this value is less than or equal to 200."),
        ("many", "Enter a whole number."),
    ],
)
def test_profile_rejects_a_bad_daily_limit_and_saves_nothing(
    learner_client, learner, value, message
):
    response = learner_client.post(
        reverse("profile"),
        {"daily_new_cards": value, "timezone": "Europe/London", "desired_retention": "0.9"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Nothing was saved" in html
    profile = Profile.objects.get(user=learner)
    assert (profile.daily_new_cards, profile.timezone) == (20, "Asia/Kolkata")


def test_profile_rejects_a_past_exam_date_and_an_unknown_time_zone(learner_client):
    response = learner_client.post(
        reverse("profile"),
        {
            "exam_date": "2020-05-31",
            "daily_new_cards": "20",
            "timezone": "Mars/Olympus",
            "desired_retention": "0.9",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "That date has passed." in html
    assert "Select a valid choice." in html


# Delete account ----------------------------------------------------------------------------


def _history_for(user):
    topic = TopicFactory()
    now = timezone.now()
    NoteProgress.objects.create(learner=user, topic=topic, studied_at=now)
    state = CardStateFactory(learner=user)
    ReviewLog.objects.create(
        learner=user, card=state.card, rating=3, reviewed_at=now, state_after={}, reps_before=0
    )
    Attempt.objects.create(learner=user, mode=Attempt.Mode.MOCK, started_at=now)
    MainsAnswer.objects.create(
        learner=user, question=MainsQuestionFactory(), started_at=now, saved_at=now
    )


def test_delete_account_page_asks_for_confirmation(learner_client):
    response = learner_client.get(reverse("delete-account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be undone" in html
    assert 'name="password"' in html


def test_delete_account_with_wrong_password_deletes_nothing(learner_client, learner):
    _history_for(learner)
    response = learner_client.post(reverse("delete-account"), {"password": "wrong-one-99"})
    assert response.status_code == 400
    assert "Nothing was deleted." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()
    assert CardState.objects.filter(learner=learner).count() == 1


def test_delete_account_removes_the_user_and_all_their_data_only(
    learner_client, learner, other_learner
):
    _history_for(learner)
    _history_for(other_learner)
    response = learner_client.post(reverse("delete-account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert not User.objects.filter(pk=learner.pk).exists()
    for model in (Profile, NoteProgress, CardState, ReviewLog, Attempt):
        field = "user" if model is Profile else "learner"
        assert not model.objects.filter(**{f"{field}_id": learner.pk}).exists()
        assert model.objects.filter(**{field: other_learner}).count() == 1
    assert MainsAnswer.objects.count() == 1
    home = learner_client.get(reverse("home"))
    assert "_auth_user_id" not in learner_client.session
    assert "all its study history have been deleted" in home.content.decode()


def test_delete_account_requires_login_and_post_for_the_deletion(client):
    response = client.post(reverse("delete-account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Admin -----------------------------------------------------------------------------------


def test_user_admin_shows_the_profile_inline(staff_client):
    user = UserFactory(username="priya")
    response = staff_client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert "Study profile" in response.content.decode()
    assert 'name="profile-0-daily_new_cards"' in response.content.decode()

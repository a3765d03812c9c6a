"""The base pages: home (landing page or the learner's Today panel) and accounts.

Log in, log out, password change and reset are Django's own views (django.contrib.auth.urls)
with templates in templates/registration/; sign up, profile and account deletion live here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from profiles.models import Profile
from quizzes.models import AnswerPage
from quizzes.selectors.today import days_until, today_panel
from quizzes.services.own_cards import own_cards_delete_all
from quizzes.services.prelims import attempts_expire
from quizzes.services.uploads import pages_delete_stored
from studyapp.forms import DeleteAccountForm, ProfileForm, SignupForm
from studyapp.freshness import cached_render
from studyapp.types import HtmxHttpRequest


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home.html")
    profile = Profile.objects.for_user(request.user)
    # A mock whose deadline passed while the learner was away is submitted with what was saved,
    # so the panel offers its result rather than a "resume" that can no longer be answered.
    now = timezone.now()
    attempts_expire(learner=request.user, now=now)

    def build():
        return {
            "profile": profile,
            "today": today_panel(request.user, now=now, profile=profile),
            "days_to_exam": days_until(profile.exam_date, now, profile.tzinfo),
        }

    return cached_render(request, "home.html", "home", build, now=now)


# Per client address and per username asked for; a GET (the empty form) is never counted.
@ratelimit(key="studyapp.throttling.client_address_key", rate="10/h", method="POST", block=True)
@ratelimit(key="studyapp.throttling.username_key", rate="5/h", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    status = 200
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    user = form.save()
                    Profile.objects.create(user=user)
            except IntegrityError:  # the same e-mail signed up a moment ago (unique index)
                form.add_error("email", "An account already uses this e-mail address.")
                return render(
                    request, "accounts/signup.html", {"form": form, "next": next_url}, status=400
                )
            login(request, user, backend="studyapp.auth.ProfileBackend")
            messages.success(
                request,
                f"Welcome to studyapp, {user.username}! Set your exam date on your profile "
                "to see a countdown.",
            )
            return redirect(next_url or "home")
        status = 400
    else:
        form = SignupForm()
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


# Django's reset view, throttled per client address and per mailbox (each post can send mail).
password_reset = ratelimit(
    key="studyapp.throttling.client_address_key", rate="10/h", method="POST", block=True
)(
    ratelimit(key="studyapp.throttling.email_key", rate="3/h", method="POST", block=True)(
        auth_views.PasswordResetView.as_view()
    )
)


class LogoutView(auth_views.LogoutView):
    """Django's log-out (POST only), then a message on the page it lands on."""

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.success(request, "You are logged out. Your progress is saved.")
        return response


logout_view = LogoutView.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HtmxHttpRequest) -> HttpResponse:
    profile = Profile.objects.for_user(request.user)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            messages.success(request, "Profile saved.")
            return redirect("profile")
        status = 400
    else:
        form = ProfileForm(instance=profile)
    context = {
        "form": form,
        "profile": profile,
        "days_to_exam": days_until(profile.exam_date, None, profile.tzinfo),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HtmxHttpRequest) -> HttpResponse:
    """Delete the user and, by cascade, every row of their history, after a password check."""
    status = 200
    if request.method == "POST":
        form = DeleteAccountForm(request.user, request.POST)
        if form.is_valid():
            user = request.user
            username = user.username
            logout(request)
            with transaction.atomic():
                # Uploaded answer pages are files, not rows: remove them after the rows go.
                pages = list(AnswerPage.objects.filter(learner=user).values_list("file", flat=True))
                own_cards_delete_all(learner=user)  # their ratings PROTECT the cards
                user.delete()
                transaction.on_commit(lambda: pages_delete_stored(pages))
            messages.success(
                request, f"The account {username} and all its study history have been deleted."
            )
            return redirect("home")
        status = 400
    else:
        form = DeleteAccountForm(request.user)
    return render(request, "accounts/delete_confirm.html", {"form": form}, status=status)

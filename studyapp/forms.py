"""Account forms: sign up, the learner's profile, and the delete-account confirmation."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone

from profiles.models import Profile, timezone_choices


class SignupForm(UserCreationForm):
    """Username, email and a password checked by AUTH_PASSWORD_VALIDATORS."""

    required_css_class = "required"
    error_css_class = "has-error"

    email = forms.EmailField(
        help_text="Only used to send you a password-reset link.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this e-mail address. Log in, or reset its password."
            )
        return email

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        )


EXAM_DATE_MAX_YEARS = 5


class ProfileForm(forms.ModelForm):
    """Exam date, daily new-card limit, time zone, FSRS desired retention, public name."""

    required_css_class = "required"
    error_css_class = "has-error"

    class Meta:
        model = Profile
        fields = ("exam_date", "daily_new_cards", "timezone", "desired_retention", "public_name")
        labels = {
            "public_name": "Name on test-series rankings",
            "exam_date": "Prelims exam date",
            "daily_new_cards": "New cards per day",
            "timezone": "Time zone",
            "desired_retention": "Desired retention",
        }
        widgets = {
            "exam_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "daily_new_cards": forms.NumberInput(attrs={"min": 0, "max": 200, "step": 1}),
            "desired_retention": forms.NumberInput(attrs={"min": 0.7, "max": 0.97, "step": 0.01}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(
            label="Time zone",
            choices=timezone_choices(),
            help_text=Profile._meta.get_field("timezone").help_text,
        )

    def clean_public_name(self):
        return " ".join(self.cleaned_data["public_name"].split())

    def clean_exam_date(self):
        exam_date = self.cleaned_data["exam_date"]
        # A date already stored may pass; a newly entered one must be in the future.
        if exam_date and "exam_date" in self.changed_data and exam_date < timezone.localdate():
            raise forms.ValidationError(
                "That date has passed. Pick a future date or leave it empty."
            )
        # UPSC announces each year's date a year ahead; five years covers any plan, and keeps
        # the date arithmetic of countdowns and forecasts far from the calendar's end.
        limit = timezone.localdate().replace(month=1, day=1)
        limit = limit.replace(year=limit.year + EXAM_DATE_MAX_YEARS + 1) - dt.timedelta(days=1)
        if exam_date and exam_date > limit:
            raise forms.ValidationError(
                f"Pick a date within the next {EXAM_DATE_MAX_YEARS} years (up to {limit:%d %B %Y})."
            )
        return exam_date


class DeleteAccountForm(forms.Form):
    """Deleting an account needs the current password, so a borrowed session cannot do it."""

    error_css_class = "has-error"

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not correct. Nothing was deleted.")
        return password

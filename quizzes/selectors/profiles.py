"""The learner's profile as every page reads it."""

from __future__ import annotations

from studyapp.models import Profile


def profile_of(user) -> Profile:
    """The user's profile, created on first use (older accounts and superusers have none)."""
    return Profile.objects.get_or_create(user=user)[0]

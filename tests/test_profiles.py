"""The learner's profile lives in the profiles app, on its old table, loaded with the user."""

import pytest
from django.contrib.auth import get_user_model

from profiles.models import Profile
from studyapp.auth import ProfileBackend

pytestmark = pytest.mark.django_db


def test_profile_kept_its_table_when_it_moved_apps():
    assert Profile._meta.app_label == "profiles"
    assert Profile._meta.db_table == "studyapp_profile"


def test_profile_backend_loads_the_profile_with_the_user(learner, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ProfileBackend().get_user(learner.pk)
        assert user.profile.timezone


def test_for_user_creates_a_missing_profile_once(learner, django_assert_num_queries):
    Profile.objects.filter(user=learner).delete()
    user = get_user_model().objects.get(pk=learner.pk)
    first = Profile.objects.for_user(user)
    assert Profile.objects.for_user(get_user_model().objects.get(pk=user.pk)) == first
    assert Profile.objects.filter(user=learner).count() == 1
    with django_assert_num_queries(0):  # the profile now travels with the user object
        assert Profile.objects.for_user(user) == first

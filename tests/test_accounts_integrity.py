"""One account per e-mail address (any case); staff never see superusers; CSV cells that a
spreadsheet would run as formulas are neutralised."""

import csv
import importlib
import io
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from quizzes.selectors.export import _csv_text
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
migration = importlib.import_module("studyapp.migrations.0003_email_unique_case_insensitive")


def test_signup_refuses_an_email_already_used_in_another_case(client):
    UserFactory(username="asha", email="Asha@Example.com")
    response = client.post(
        reverse("signup"),
        {"username": "asha2", "email": "asha@example.COM", "password1": "saffron-lotus-2025",
         "password2": "saffron-lotus-2025"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "already uses this e-mail address" in response.content.decode()
    assert not User.objects.filter(username="asha2").exists()


def test_the_database_refuses_a_second_account_with_the_same_email():
    UserFactory(username="a", email="same@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="b", email="SAME@example.com")
    UserFactory(username="c", email="")  # many accounts may have no address
    UserFactory(username="d", email="")


def test_the_migration_keeps_the_address_on_the_most_recently_used_account(db):
    import datetime as dt

    from django.db import connection

    with connection.cursor() as cursor:  # the index would refuse the duplicates this needs
        cursor.execute(f"DROP INDEX {migration.INDEX}")
    try:
        old = UserFactory(username="old", email="twin@example.com")
        recent = UserFactory(username="recent", email="Twin@example.com")
        User.objects.filter(pk=old.pk).update(last_login=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        User.objects.filter(pk=recent.pk).update(last_login=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        UserFactory(username="never", email="TWIN@example.com")
        migration.clear_duplicate_emails(apps, None)
        emails = dict(User.objects.values_list("username", "email"))
        assert emails["recent"] == "Twin@example.com"
        assert emails["old"] == "" and emails["never"] == ""
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE UNIQUE INDEX {migration.INDEX} ON auth_user (LOWER(email)) "
                "WHERE email <> ''"
            )


def test_staff_cannot_open_or_list_a_superuser(client):
    staff_client = client
    staff_client.force_login(StaffFactory(username="mentor", is_superuser=False))
    boss = UserFactory(username="boss", is_superuser=True)
    url = reverse("quizzes:staff-learner", args=[boss.pk])
    assert staff_client.get(url).status_code == 404
    assert "boss" not in staff_client.get(reverse("quizzes:staff-learners")).content.decode()


def test_a_superuser_may_open_a_superusers_page(client):
    boss = UserFactory(username="boss", is_superuser=True)
    client.force_login(StaffFactory(username="root", is_superuser=True))
    assert client.get(reverse("quizzes:staff-learner", args=[boss.pk])).status_code == 200


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=1"])
def test_every_text_cell_that_looks_like_a_formula_is_neutralised(cell):
    text = _csv_text(["topic", "title"], [{"topic": cell, "title": "ok"}])
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["topic"] == "'" + cell


def test_plain_negative_numbers_stay_numbers():
    text = _csv_text(["score"], [{"score": "-1.33"}, {"score": -2}])
    assert [r["score"] for r in csv.DictReader(io.StringIO(text))] == ["-1.33", "-2"]


def test_the_export_zip_neutralises_formulas(learner_client, learner):
    from tests.factories import MainsAnswerFactory

    MainsAnswerFactory(learner=learner, text="@SUM(1)")
    response = learner_client.get(reverse("quizzes:export"), {"format": "zip"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    name = next(n for n in archive.namelist() if n.endswith("mains_answers.csv"))
    row = next(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert row["text"] == "'@SUM(1)"

"""Branded error pages; 503 (HTML or JSON) while the database is down; 500 without a database."""

import sys

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, RequestFactory
from django.urls import reverse

from studyapp import errors
from tests.factories import MainsQuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails the way PostgreSQL does when the server has gone away."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


def test_404_is_branded_and_extends_the_site_layout(learner_client):
    response = learner_client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="site-header"' in html
    assert "asha" in html  # the header knows who is logged in


def test_403_for_a_stale_form_is_branded():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


def test_a_database_outage_answers_503_with_a_friendly_page(learner, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(learner)

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get(reverse("quizzes:progress"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Back in a minute" in html and "Your saved work is safe" in html
    assert 'class="site-header"' in html


def test_a_database_outage_answers_json_to_the_autosave_script(learner):
    question = MainsQuestionFactory()
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    url = reverse("quizzes:mains-autosave", args=[question.pk])

    def refuse(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", refuse)
        response = client.post(url, {"text": "draft"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "Your saved work is safe" in response.json()["error"]


def test_the_500_page_renders_without_the_database(database_down):
    request = RequestFactory().get("/progress/")
    try:
        raise ValueError("a bug")
    except ValueError:
        assert sys.exc_info()[0] is ValueError
        response = errors.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Server error" in html and 'class="site-header"' in html

"""Every page sends a strict CSP and a Permissions-Policy; private pages are not cached; a NUL
byte anywhere in the input is a 400."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_csp_and_permissions_policy(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


@pytest.mark.parametrize(
    "name", ["quizzes:progress", "quizzes:history", "quizzes:export", "profile", "home"]
)
def test_private_pages_are_not_cached(learner_client, name):
    response = learner_client.get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_public_landing_page_may_be_cached(client):
    assert "no-store" not in client.get(reverse("home")).get("Cache-Control", "")


def test_no_page_carries_inline_script_or_style_attributes(learner_client):
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "style=" not in html
    assert "<script>" not in html
    assert 'name="htmx-config"' in html and '"includeIndicatorStyles": false' in html


@pytest.mark.parametrize("name", ["quizzes:review", "quizzes:mains", "staff-learners"])
def test_a_nul_byte_in_any_query_parameter_is_a_400(staff_client, name):
    url = reverse(name if ":" in name else f"quizzes:{name}")
    response = staff_client.get(url, {"topic": "a\x00b", "q": "x"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()

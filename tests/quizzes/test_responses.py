"""Page or htmx partial: one URL, two bodies, always `Vary` on the htmx headers, and the whole
page on an htmx history-restore request (htmx's Back button when its cache misses)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

PAGES = [
    ("learner", reverse("quizzes:history")),
    ("learner", reverse("quizzes:mains")),
    ("learner", reverse("quizzes:review")),
    ("staff", reverse("quizzes:staff-learners")),
]


def client_for(who: str, request):
    """The learner's or the staff user's logged-in client (both share Django's `client`)."""
    return request.getfixturevalue(f"{who}_client")


def vary(response) -> set[str]:
    return {v.strip() for v in response.get("Vary", "").split(",")}


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_page_and_fragment_share_a_url_and_say_so(who, url, request):
    client = client_for(who, request)
    page = client.get(url)
    fragment = client.get(url, headers=HX)
    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.content.decode()
    assert "<html" not in fragment.content.decode()
    for response in (page, fragment):
        assert {"HX-Request", "HX-History-Restore-Request"} <= vary(response)


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_history_restore_gets_the_whole_page(who, url, request):
    client = client_for(who, request)
    restored = client.get(url, headers=RESTORE)
    assert restored.status_code == 200
    assert "<html" in restored.content.decode()
    assert {"HX-Request", "HX-History-Restore-Request"} <= vary(restored)


def test_staff_learner_page_restores_whole_and_varies(staff_client, learner):
    url = reverse("quizzes:staff-learner", args=[learner.pk])
    fragment = staff_client.get(url, headers=HX)
    restored = staff_client.get(url, headers=RESTORE)
    assert "<html" not in fragment.content.decode()
    assert "<html" in restored.content.decode()
    assert "HX-Request" in vary(fragment) and "HX-Request" in vary(restored)

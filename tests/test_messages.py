"""Flash messages: announced to screen readers (a polite live region, an alert for an error)
and, with JavaScript, read out and scrolled into view by site.js (tests/e2e/test_a11y_e2e.py)."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.template.loader import render_to_string
from django.urls import reverse


def _page_with(rf, *pairs) -> str:
    request = rf.get("/")
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    for level, text in pairs:
        messages.add_message(request, level, text)
    return render_to_string("base.html", request=request)


def test_messages_sit_in_a_polite_live_region_and_an_error_is_an_alert(rf):
    html = _page_with(rf, (messages.SUCCESS, "Profile saved."), (messages.ERROR, "Not saved."))
    assert '<div class="messages" id="messages" role="status" aria-live="polite">' in html
    assert '<p class="message success">Profile saved.</p>' in html
    assert '<p class="message error" role="alert">Not saved.</p>' in html
    # The empty regions site.js reads messages out through (filled only after load).
    # (Plain live regions, not status/alert roles: an empty alert would be "an alert".)
    assert '<div class="visually-hidden" id="announce-polite" aria-live="polite"' in html
    assert '<div class="visually-hidden" id="announce-alert" aria-live="assertive"' in html


@pytest.mark.django_db
def test_a_message_after_a_redirect_is_in_the_live_region(learner_client):
    html = learner_client.post(reverse("logout"), follow=True).content.decode()
    region = html.split('id="messages"', 1)[1].split("</div>", 1)[0]
    assert 'role="status" aria-live="polite"' in region and "You are logged out" in region

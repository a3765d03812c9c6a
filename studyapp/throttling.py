"""Who is asking (the client address) and what a throttled client is told.

Logins are counted by django-axes (settings.AXES_*); password reset, sign-up, starting tests
and autosaves by django-ratelimit (the `@ratelimit` decorators on those views, keys below).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the address our own proxies saw.

    With TRUSTED_PROXY_COUNT = n the n-th address from the right of X-Forwarded-For is the
    client (each trusted proxy appends one); anything left of it was written by the client.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    # None when there is none (a request built in code): axes stores addresses in an inet
    # column on PostgreSQL, which refuses a placeholder word.
    return request.META.get("REMOTE_ADDR") or None


def client_address_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit key: the client address (see client_address)."""
    return client_address(request) or ""


def email_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit key: the e-mail address posted, case-folded (one mailbox, one count)."""
    return (request.POST.get("email") or "").strip().casefold()[:254]


def username_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit key: the username posted, case-folded."""
    return (request.POST.get("username") or "").strip().casefold()[:150]


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """What django-axes answers a locked-out login: 429, when to try again, a reset link."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    retry_at = timezone.localtime(timezone.now() + cool_off)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    context = {"retry_at": retry_at, "minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT}
    is_admin = request.path.startswith("/admin/")
    response: HttpResponse = render(request, "errors/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    if is_admin:
        response["X-Robots-Tag"] = "noindex"
    return response

"""Error pages: branded 400/403/404/429/500, 503 while the database is down, JSON for scripts.

Django calls these through `handler400`… in studyapp/urls.py (and CSRF_FAILURE_VIEW,
RATELIMIT_VIEW). The 500 and 503 pages render without a request context, so they never touch
the database or the session (which may be what failed).
"""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood. Check the address or the form and try again.",
    403: "You do not have access to this page.",
    404: "There is no page at this address.",
    429: "Too many requests in a short time. Wait a minute and try again.",
    500: "Something went wrong on our side. It has been logged; please try again.",
    503: "studyapp is briefly unavailable (our database is not answering). "
    "Your saved work is safe; try again in a minute.",
}

# What a throttled learner is told, by the URL name of the view that refused.
THROTTLE_MESSAGES = {
    "password_reset": "Too many password-reset requests. Wait an hour before asking again, "
    "and check your spam folder for the e-mail already sent.",
    "signup": "Too many sign-ups from this address in a short time. Wait a while and try again.",
    "prelims-start": "You have started many tests in a short time. Wait a minute, then start "
    "again (or resume an unfinished one from the Prelims page).",
    "mains-autosave": "Saving too often. Your text is kept in this browser; wait a few seconds.",
}


def wants_json(request: HttpRequest) -> bool:
    """A script asked (fetch with Accept: application/json, or a JSON body), not a browser page."""
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return True
    return request.content_type == "application/json"


def _database_down() -> bool:
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError | InterfaceError)


def error_response(
    request: HttpRequest | None, status: int, message: str = "", retry_after: int = 0
) -> HttpResponse:
    """The branded page (or JSON) for `status`; falls back to a context-free render."""
    message = message or MESSAGES[status]
    if request is not None and wants_json(request):
        response: HttpResponse = JsonResponse({"error": message, "status": status}, status=status)
    else:
        template = loader.get_template(f"{status}.html" if status != 429 else "errors/429.html")
        context = {"message": message, "status": status}
        try:
            # With the request: the header shows who is logged in (needs the session).
            body = template.render(context, request if status < 500 else None)
        except DatabaseError:
            body = template.render(context, None)
        response = HttpResponse(body, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the exception being handled is the database not answering."""
    if _database_down():
        return error_response(request, 503, retry_after=30)
    return error_response(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(
        request,
        403,
        "This form has expired or was sent from another site, so nothing was saved. "
        "Go back, reload the page and send it again.",
    )


def too_many_requests(request: HttpRequest, exception=None) -> HttpResponse:
    """django-ratelimit's RATELIMIT_VIEW: 429 and a message naming what was throttled."""
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else ""
    message = THROTTLE_MESSAGES.get(name or "", MESSAGES[429])
    logger.warning("throttled %s %s", name or request.path, request.META.get("REMOTE_ADDR"))
    return error_response(request, 429, message, retry_after=60)

"""Show every time in the learner's own time zone (their profile's), with no extra query."""

import zoneinfo

from django.utils import timezone


def learner_timezone(get_response):
    def middleware(request):
        user = getattr(request, "user", None)
        name = None
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None) if _has_profile(user) else None
            name = profile.timezone if profile else None
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware


def _has_profile(user) -> bool:
    try:
        user.profile  # noqa: B018 - loaded with the user by studyapp.auth.ProfileBackend
    except user.__class__.profile.RelatedObjectDoesNotExist:
        return False
    return True


def refuse_nul_bytes(get_response):
    """Answer 400 to a NUL byte in the query string.

    No parameter of ours can hold one and PostgreSQL refuses them in text (a 500 deep in a
    query). Form fields are the forms' business: Django's CharField refuses NUL and the Mains
    answer strips control characters on purpose.
    """

    def middleware(request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in query or "%00" in query:
            return _nul_refused(request)
        return get_response(request)

    return middleware


def _nul_refused(request):
    from studyapp.errors import error_response

    return error_response(
        request, 400, "The request contains a NUL character, which no field accepts."
    )


def private_pages_not_cached(get_response):
    """`Cache-Control: private, no-store` on every page drawn for a logged-in user.

    Their pages (progress, answers, exports, profile) must not be kept by a shared proxy or in
    the browser's back/forward cache of a shared computer. Password-reset links carry a token,
    so those pages are private too.
    """

    def middleware(request):
        response = get_response(request)
        # The user as the request already loaded it (never a query here: the database may be
        # what just failed).
        user = getattr(request, "_cached_user", None)
        private = (user is not None and user.is_authenticated) or request.path.startswith(
            "/accounts/"
        )
        if private and not response.get("Cache-Control", "").startswith("no-store"):
            response["Cache-Control"] = "private, no-store"
        return response

    return middleware

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
    """Answer 400 to a NUL byte in any query parameter or form field.

    No field of ours can hold one, PostgreSQL refuses them in text (a 500 deep in a query),
    and Django's forms already reject them field by field; this turns every path into a 400.
    """

    def middleware(request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            return _nul_refused(request)
        if request.method == "POST" and _has_nul(request):
            return _nul_refused(request)
        return get_response(request)

    return middleware


def _has_nul(request) -> bool:
    try:
        fields = request.POST
    except Exception:  # noqa: BLE001 - a malformed body is Django's to refuse later (400)
        return False
    return any("\x00" in key or any("\x00" in v for v in fields.getlist(key)) for key in fields)


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

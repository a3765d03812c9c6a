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

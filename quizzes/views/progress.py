"""Progress: the learner's dashboard, their full history, and an export of all their data.

The pages are built by `quizzes.selectors.progress`, `.history` and `.export`; these views
parse the request, call them and render.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from profiles.models import Profile
from quizzes.forms import HistoryFilterForm
from quizzes.selectors import export as export_selectors
from quizzes.selectors.history import history_context
from quizzes.selectors.progress import dashboard as dashboard_for
from quizzes.selectors.progress import dashboard_changes_at
from quizzes.views.responses import kept_page_or_partial
from studyapp.freshness import cached_render
from studyapp.types import HtmxHttpRequest


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    profile = Profile.objects.for_user(request.user)
    now = timezone.now()
    build = lambda: dashboard_for(request.user, profile, now=now)  # noqa: E731
    changes_at = partial(dashboard_changes_at, request.user, profile)
    with timezone.override(profile.tzinfo):
        template = "quizzes/progress/dashboard.html"
        return cached_render(request, template, "progress", build, now=now, changes_at=changes_at)


@require_GET
@login_required
def history(request: HtmxHttpRequest) -> HttpResponse:
    profile = Profile.objects.for_user(request.user)
    form = HistoryFilterForm(request.GET)
    build = lambda: history_context(  # noqa: E731
        request.user, profile, form, base_url=reverse("quizzes:history")
    )
    template = "quizzes/progress/history.html"
    with timezone.override(profile.tzinfo):  # times as the learner's clock shows them
        return kept_page_or_partial(
            request, template, "results", "history", build, now=timezone.now()
        )


@require_GET
@login_required
def export(request: HtmxHttpRequest) -> HttpResponse:
    """?format=zip: one CSV per kind, zipped; ?format=json: one JSON document; no format: the
    page offering both. Only the requesting learner's own rows, ever."""
    fmt = request.GET.get("format", "")
    page = {"columns": export_selectors.EXPORT_COLUMNS}
    if not fmt:
        return render(request, "quizzes/progress/export.html", page)
    if fmt not in ("zip", "json"):
        page["error"] = "Choose CSV (zip) or JSON: format=zip or format=json."
        return render(request, "quizzes/progress/export.html", page, status=400)
    learner, now = request.user, timezone.now()
    profile = Profile.objects.for_user(learner)
    name = export_selectors.export_name(learner, profile, now=now)
    if fmt == "json":
        body = export_selectors.export_json(learner, profile, now=now)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        body = export_selectors.export_zip(learner, name=name)
        response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response

"""Staff review of learners: a searchable, sortable list and one learner's progress, read-only.

Staff only: anyone else logged in gets 403 (and is sent to log in when anonymous). The pages
are built by `quizzes.selectors.staff` and the learner's own progress selectors.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from profiles.models import Profile
from quizzes.forms import HistoryFilterForm
from quizzes.selectors.history import history_context
from quizzes.selectors.progress import dashboard, dashboard_changes_at
from quizzes.selectors.staff import awaiting_feedback, learner_list_page
from quizzes.views.responses import kept_page_or_partial, vary_on_htmx, wants_partial
from studyapp.freshness import cached_render
from studyapp.types import HtmxHttpRequest

User = get_user_model()


def _require_staff(request: HtmxHttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can see other learners' progress.")


@require_GET
@login_required
def learner_list(request: HtmxHttpRequest) -> HttpResponse:
    _require_staff(request)
    now = timezone.now()

    def build():
        page = learner_list_page(
            now=now,
            search=request.GET.get("q", "").strip()[:100],
            sort=request.GET.get("sort", "-active"),
            page_number=request.GET.get("page"),
        )
        return page | {"as_of": now}

    # Every learner's activity moves this page: it is kept for the minute (the page says so).
    template = "quizzes/staff/learner_list.html"
    return kept_page_or_partial(request, template, "table", "staff-list", build, now=now)


@require_GET
@login_required
def learner_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    # A superuser's page is for superusers only: staff never see an account above their own.
    users = (
        User.objects.all() if request.user.is_superuser else User.objects.filter(is_superuser=False)
    )
    learner = get_object_or_404(users, pk=pk)
    profile = Profile.objects.for_user(learner)
    base_url = reverse("quizzes:staff-learner", args=[learner.pk])
    form = HistoryFilterForm(request.GET)
    now = timezone.now()

    def build():
        history, status = history_context(learner, profile, form, base_url=base_url, staff=True)
        if wants_partial(request):  # the history list's fragment, from the history page
            return history, status
        context = dashboard(learner, profile, now=now) | history
        return context | {"awaiting": awaiting_feedback(learner)}, status

    if wants_partial(request):
        template = "quizzes/progress/history.html#results"
    else:
        template = "quizzes/staff/learner_detail.html"
    # Kept by the learner's own versions (as their pages are), not the staff member's.
    subject = (learner.pk, profile.data_version, profile.timezone, profile.daily_new_cards)
    with timezone.override(profile.tzinfo):  # the learner's days and times, as they see them
        return vary_on_htmx(
            cached_render(
                request,
                template,
                "staff-learner",
                build,
                now=now,
                parts=subject,
                changes_at=partial(dashboard_changes_at, learner, profile),
            )
        )

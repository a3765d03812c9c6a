"""The mentor queue (/staff/mains/) and the evaluation page (/staff/mains/<answer id>/).

Staff only: anyone else logged in gets 403, anonymous users are sent to log in. The queue's
filters are a GET form (bookmarkable, no JavaScript needed); the evaluation is a plain POST
that redirects to the next waiting answer (post/redirect/get).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from quizzes.forms import EvaluationForm, QueueFilterForm
from quizzes.models import MainsAnswer
from quizzes.selectors.mentor import (
    evaluation_initial,
    evaluation_page,
    mentor_queue,
    queue_filter_choices,
)
from quizzes.services import WriteRefused
from quizzes.services.mentor import answer_evaluate
from quizzes.views.responses import answer_refusals
from studyapp.types import HtmxHttpRequest


def _require_staff(request: HtmxHttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only mentors can see the Mains queue.")


@require_GET
@login_required
def queue(request: HtmxHttpRequest) -> HttpResponse:
    """Answers waiting for evaluation, oldest first (or evaluated ones), with filters."""
    _require_staff(request)
    topics, questions = queue_filter_choices()
    data = request.GET.copy()
    data.setdefault("state", "waiting")
    form = QueueFilterForm(data, topics=topics, questions=questions)
    if not form.is_valid():
        context = {"form": form, "page": None, "state": "waiting"}
        return render(request, "quizzes/mentor/queue.html", context, status=400)
    data = form.cleaned_data
    context = mentor_queue(
        viewer=request.user,
        state=data["state"],
        topic=data["topic"] or None,
        question=data["question"],
        page_number=data["page"],
        now=timezone.now(),
    )
    filters = {k: v for k, v in request.GET.items() if k in ("topic", "question") and v}
    context |= {"form": form, "filters": filters}
    return render(request, "quizzes/mentor/queue.html", context)


def _next_waiting(after: MainsAnswer, viewer) -> MainsAnswer | None:
    return (
        MainsAnswer.objects.reviewable_by(viewer)
        .filter(submitted_at__isnull=False, feedback_at__isnull=True)
        .exclude(pk=after.pk)
        .only("pk")
        .order_by("submitted_at", "pk")
        .first()
    )


def _submitted_answer(pk: int, viewer) -> MainsAnswer:
    return get_object_or_404(
        MainsAnswer.objects.reviewable_by(viewer)
        .select_related("learner", "question__topic", "mentor")
        .filter(submitted_at__isnull=False),
        pk=pk,
    )


def _evaluate_refused(request: HtmxHttpRequest, refused: WriteRefused, pk: int):
    """The evaluation page again with the mentor's form and the reason (400)."""
    answer = _submitted_answer(pk, request.user)
    context = evaluation_page(answer, now=timezone.now())
    form = EvaluationForm(request.POST, key_points=context["points"], marks=answer.question.marks)
    if form.is_valid() or refused.message:
        form.add_error(None, refused.message)
    return render(request, "quizzes/mentor/evaluate.html", context | {"form": form}, status=400)


@require_http_methods(["GET", "POST"])
@login_required
@answer_refusals(page=_evaluate_refused)
def evaluate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One answer beside the rubric form; saving it notifies the learner."""
    _require_staff(request)
    answer = _submitted_answer(pk, request.user)
    now = timezone.now()
    context = evaluation_page(answer, now=now)
    marks = answer.question.marks
    if request.method == "GET":
        initial = evaluation_initial(answer, context["rows"])
        form = EvaluationForm(key_points=context["points"], marks=marks, initial=initial)
        return render(request, "quizzes/mentor/evaluate.html", context | {"form": form})
    form = EvaluationForm(request.POST, key_points=context["points"], marks=marks)
    if not form.is_valid():
        raise WriteRefused("", code="invalid_form")
    answer_evaluate(
        mentor=request.user,
        answer_id=answer.pk,
        rubric=form.rubric(),
        score=form.cleaned_data["score"],
        structure_score=form.cleaned_data["structure_score"],
        comments=form.cleaned_data["comments"],
        now=now,
    )
    who = answer.learner.get_full_name() or answer.learner.username
    messages.success(request, f"Evaluation saved; {who} will see it marked new.")
    following = _next_waiting(answer, request.user)
    if following is not None and "next" in request.POST:
        return redirect("quizzes:mentor-evaluate", pk=following.pk)
    return redirect(reverse("quizzes:mentor-queue"))

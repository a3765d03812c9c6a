"""Mains answer writing: the question list, the timed write page (with autosave), the answer
page (key points, outline, coverage hints, self-assessment, attempts side by side) and mentors'
feedback.

The write page is a plain form (Save draft / Submit) that works without JavaScript;
static/js/mains.js adds the live word count, the countdown and autosave to `mains-autosave`
(JSON, also sent with navigator.sendBeacon when the page is hidden). The answer page owns two
swapped regions as inline partials, `assessment` and `feedback`: their forms post with htmx and
get the partial back, or post normally and redirect (post/redirect/get).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from content.models import MainsQuestion, Topic
from quizzes.forms import (
    MainsAction,
    MainsAnswerForm,
    MainsAssessForm,
    MentorFeedbackForm,
    mains_form_error,
)
from quizzes.models import MainsAnswer
from quizzes.models.mains import may_review
from quizzes.selectors.mains import (
    answer_page,
    draft_of,
    ms,
    question_list_page,
    write_page,
)
from quizzes.services import WriteRefused
from quizzes.services.mains import (
    AnswerClosed,
    answer_assess,
    answer_autosave,
    answer_feedback,
    answer_feedback_seen,
    answer_submit,
)
from quizzes.services.uploads import pages_used
from quizzes.uploads import check_upload
from quizzes.views.preview import is_preview, preview_banner
from quizzes.views.responses import answer_refusals, kept_page_or_partial, page_or_partial
from studyapp.types import HtmxHttpRequest

# --- the question list -------------------------------------------------------------------


def _topic_from(slug: str | None) -> Topic | None:
    """The published topic the list is limited to (`?topic=`), None for all; 404 if unknown."""
    if not slug:
        return None
    return get_object_or_404(Topic.objects.visible(), slug=slug)


def _marks_from(value: str | None) -> int | None:
    return int(value) if value in ("10", "15") else None


@require_GET
@login_required
def question_list(request: HtmxHttpRequest) -> HttpResponse:
    """Published Mains questions by topic (optionally one topic, one marks value), each with
    the learner's attempts, best score, draft and new feedback; and the learner's latest answers.
    """
    topic, marks = _topic_from(request.GET.get("topic")), _marks_from(request.GET.get("marks"))
    build = lambda: question_list_page(request.user, topic=topic, marks=marks)  # noqa: E731
    template = "quizzes/mains/list.html"
    return kept_page_or_partial(request, template, "questions", "mains", build, now=timezone.now())


# --- writing -----------------------------------------------------------------------------


def _published_question(pk: int, *, preview: bool = False) -> MainsQuestion:
    """A Mains question a learner may see (`visible()`); any question for a staff preview."""
    questions = MainsQuestion.objects.all() if preview else MainsQuestion.objects.visible()
    return get_object_or_404(questions.select_related("topic"), pk=pk)


def _render_write(
    request: HtmxHttpRequest,
    question: MainsQuestion,
    *,
    form: MainsAnswerForm | None = None,
    status: int = 200,
    preview: bool = False,
) -> HttpResponse:
    now = timezone.now()
    draft = draft_of(request.user, question)
    if form is None:
        base_seconds, opened_at = (draft.seconds if draft else 0), now
        form = MainsAnswerForm(
            initial={
                "text": draft.text if draft else "",
                "answer": draft.pk if draft else None,
                "opened_at": round(now.timestamp(), 3),
                "base_seconds": base_seconds,
            }
        )
    else:  # a refused post: keep the learner's text and the page's clock
        base_seconds = form.cleaned_data.get("base_seconds") or 0
        opened_at = form.cleaned_data.get("opened_at") or now
    context = write_page(
        request.user, question, draft, text=form["text"].value() or "", now=now,
        base_seconds=base_seconds, opened_at=opened_at,
    )  # fmt: skip
    banner = preview_banner(question, kind="Mains question") if preview else None
    context |= {"form": form, "preview": banner}
    return render(request, "quizzes/mains/write.html", context, status=status)


def _answer_form(request: HtmxHttpRequest, question: MainsQuestion):
    """The bound write form, the uploaded files and the draft's pages so far (count, bytes):
    with handwritten pages the text may be empty."""
    files = request.FILES.getlist("pages")
    used, size = pages_used(draft_of(request.user, question))
    form = MainsAnswerForm(request.POST, has_pages=bool(files or used))
    return form, files, used, size


def _write_refused(request: HtmxHttpRequest, refused: WriteRefused, pk: int):
    """The write page again with the learner's text and the reason (status of the refusal)."""
    question = _published_question(pk)
    form = _answer_form(request, question)[0]
    if form.is_valid() or refused.message:
        form.add_error(None, refused.message)
    return _render_write(request, question, form=form, status=refused.status)


def _draft_saved(answer: MainsAnswer, pages: list) -> str:
    saved = date_format(timezone.localtime(answer.saved_at), "H:i")
    uploaded = f", {len(pages)} file{'s' if len(pages) != 1 else ''} uploaded" if pages else ""
    return f"Draft saved at {saved} ({answer.words} words{uploaded})."


@require_http_methods(["GET", "POST"])
@login_required
@answer_refusals(page=_write_refused)
def write(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The write page (resuming the learner's draft, if any); its form saves or submits."""
    # A staff preview (`?preview=1`) shows a draft question's page; saving it still needs the
    # question to be visible, so a preview never writes an answer to a draft.
    preview = is_preview(request)
    question = _published_question(pk, preview=preview)
    if request.method == "GET":
        return _render_write(request, question, preview=preview)
    form, files, used, size = _answer_form(request, question)
    if not form.is_valid():
        raise WriteRefused("", code="invalid_form")
    data = form.cleaned_data
    submit = data["action"] == MainsAction.SUBMIT
    # Handwritten pages are checked (type from content, size, pages, bombs) before anything is
    # saved: a refused file stores nothing, not even the text.
    pages = check_upload(files, pages_already=used, bytes_already=size) if files else []
    try:
        answer = (answer_submit if submit else answer_autosave)(
            learner=request.user, question=question, text=data["text"],
            answer_id=data["answer"], opened_at=data["opened_at"],
            base_seconds=data["base_seconds"], now=timezone.now(), pages=pages,
        )  # fmt: skip
    except MainsAnswer.DoesNotExist as exc:
        raise Http404("No such answer of yours.") from exc
    if submit:
        messages.success(
            request,
            "Answer submitted. Compare it with the key points and the outline, then tick the "
            "points you covered and give yourself a score.",
        )
        return redirect("quizzes:mains-answer", pk=answer.pk)
    messages.success(request, _draft_saved(answer, pages))
    return redirect("quizzes:mains-write", pk=question.pk)


def _autosave_refused(request: HtmxHttpRequest, refused: WriteRefused, pk: int):
    """A closed answer also says where it can be read (the script goes there)."""
    if not isinstance(refused, AnswerClosed):
        return None
    url = reverse("quizzes:mains-answer", args=[refused.answer.pk]) if refused.answer else ""
    data = {"error": refused.message, "code": refused.code, "answer_url": url}
    return JsonResponse(data, status=refused.status)


@require_POST
@login_required
@ratelimit(key="user", rate="30/m", method="POST", block=True)
@answer_refusals(json=True, page=_autosave_refused)
def autosave(request: HtmxHttpRequest, pk: int) -> JsonResponse:
    """Save the draft from the write page's script: JSON in, JSON out (never a redirect)."""
    question = _published_question(pk)
    form = MainsAnswerForm(request.POST)
    if not form.is_valid():
        raise WriteRefused(mains_form_error(form), code="invalid_form")
    data = form.cleaned_data
    try:
        answer = answer_autosave(
            learner=request.user,
            question=question,
            text=data["text"],
            answer_id=data["answer"],
            opened_at=data["opened_at"],
            base_seconds=data["base_seconds"],
            now=timezone.now(),
        )
    except MainsAnswer.DoesNotExist:
        return JsonResponse({"error": "No such answer of yours."}, status=404)
    return JsonResponse(
        {
            "answer": answer.pk,
            "saved_at": ms(answer.saved_at),
            "words": answer.words,
            "seconds": answer.seconds,
        }
    )


# --- the answer page ---------------------------------------------------------------------


def _answer_for(request: HtmxHttpRequest, pk: int) -> MainsAnswer:
    """The answer if the user owns it or is staff; 404 otherwise (existence is not revealed)."""
    answer = get_object_or_404(
        MainsAnswer.objects.select_related("question__topic", "learner", "mentor"), pk=pk
    )
    if answer.learner_id != request.user.pk and not may_review(request.user, answer.learner):
        raise Http404("No such answer of yours.")
    return answer


def _answer_context(
    request: HtmxHttpRequest,
    answer: MainsAnswer,
    *,
    assess_form: MainsAssessForm | None = None,
    feedback_form: MentorFeedbackForm | None = None,
    notice: str = "",
    feedback_notice: str = "",
    feedback_was_new: bool = False,
) -> dict:
    page = answer_page(answer, viewer=request.user)
    points, ticked = page.pop("points"), page.pop("ticked")
    marks = answer.question.marks
    if page["is_owner"] and assess_form is None:
        initial = {"covered": sorted(ticked), "self_score": answer.self_score}
        assess_form = MainsAssessForm(key_points=points, marks=marks, initial=initial)
    if request.user.is_staff and feedback_form is None:
        initial = {"feedback": answer.mentor_feedback, "score": answer.mentor_score}
        feedback_form = MentorFeedbackForm(marks=marks, initial=initial)
    return page | {
        "assess_form": assess_form,
        "feedback_form": feedback_form,
        "notice": notice,
        "feedback_notice": feedback_notice,
        "feedback_was_new": feedback_was_new,
    }


@require_GET
@login_required
def answer_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The submitted answer beside its key points and outline, with the matcher's hints,
    structure hints, the self-assessment form, earlier attempts and mentor feedback.

    The owner opening new feedback marks it seen. A draft sends its owner back to writing.
    """
    answer = _answer_for(request, pk)
    is_owner = answer.learner_id == request.user.pk
    if answer.is_draft and is_owner:
        return redirect("quizzes:mains-write", pk=answer.question_id)
    was_new = False
    if is_owner and answer.feedback_is_new:
        was_new = answer_feedback_seen(answer=answer, now=timezone.now())
    context = _answer_context(request, answer, feedback_was_new=was_new)
    return render(request, "quizzes/mains/answer.html", context)


def _answer_response(
    request: HtmxHttpRequest, answer: MainsAnswer, partial: str, status: int, **extra
) -> HttpResponse:
    context = _answer_context(request, answer, **extra)
    return page_or_partial(request, "quizzes/mains/answer.html", partial, context, status=status)


def _own_answer(request: HtmxHttpRequest, pk: int) -> MainsAnswer:
    """The learner's own answer (someone else's is a 404)."""
    return get_object_or_404(
        MainsAnswer.objects.select_related("question__topic", "learner", "mentor"),
        pk=pk,
        learner=request.user,
    )


def _assess_refused(request: HtmxHttpRequest, refused: WriteRefused, pk: int):
    """The assessment partial again with the learner's ticks and the reason."""
    answer = _own_answer(request, pk)
    points = list(answer.question.key_points.all())
    form = MainsAssessForm(request.POST, key_points=points, marks=answer.question.marks)
    form.is_valid()
    return _answer_response(
        request, answer, "assessment", refused.status, assess_form=form, notice=refused.message
    )


def _feedback_refused(request: HtmxHttpRequest, refused: WriteRefused, pk: int):
    """The feedback partial again with the mentor's text and the reason."""
    answer = _answer_for(request, pk)
    form = MentorFeedbackForm(request.POST, marks=answer.question.marks)
    form.is_valid()
    return _answer_response(
        request, answer, "feedback", refused.status, feedback_form=form,
        feedback_notice=refused.message,
    )  # fmt: skip


@require_POST
@login_required
@answer_refusals(page=_assess_refused)
def assess(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Save the learner's ticks and self-score (owner only: someone else's answer is a 404)."""
    answer = _own_answer(request, pk)
    points = list(answer.question.key_points.all())
    form = MainsAssessForm(request.POST, key_points=points, marks=answer.question.marks)
    if not form.is_valid():
        raise WriteRefused(mains_form_error(form), code="invalid_form")
    answer_assess(
        learner=request.user,
        answer_id=answer.pk,
        covered_ids=form.cleaned_data["covered"],
        self_score=form.cleaned_data["self_score"],
    )
    answer = _answer_for(request, pk)
    if request.htmx:
        return _answer_response(request, answer, "assessment", 200, notice="Assessment saved.")
    messages.success(request, "Assessment saved.")
    return redirect("quizzes:mains-answer", pk=pk)


@require_POST
@login_required
@answer_refusals(page=_feedback_refused)
def feedback(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A mentor's feedback and score on any learner's submitted answer (staff only)."""
    answer = _answer_for(request, pk)
    if not request.user.is_staff:
        return HttpResponseForbidden("Only mentors can give feedback.", content_type="text/plain")
    form = MentorFeedbackForm(request.POST, marks=answer.question.marks)
    if not form.is_valid():
        raise WriteRefused(mains_form_error(form), code="invalid_form")
    answer_feedback(
        mentor=request.user,
        answer_id=answer.pk,
        feedback=form.cleaned_data["feedback"],
        score=form.cleaned_data["score"],
        now=timezone.now(),
    )
    answer = _answer_for(request, pk)
    if request.htmx:
        return _answer_response(request, answer, "feedback", 200, feedback_notice="Feedback saved.")
    messages.success(request, "Feedback saved; the learner will see it marked new.")
    return redirect("quizzes:mains-answer", pk=pk)

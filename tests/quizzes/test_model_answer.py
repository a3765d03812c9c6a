"""The model answer: shown beside the learner's answer only after they submit it."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from quizzes.models import MainsAnswer
from tests.factories import (
    ClaimFactory,
    FactFactory,
    MainsAnswerFactory,
    MainsQuestionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

MODEL = (
    "**Introduction.** Japan's yen loans began in 1958 [first-yen-loan].\n\n"
    "- Northeast roads serve Act East [alpha-source].\n\n"
    "**Way forward.** Finish the corridors on time."
)


@pytest.fixture
def question():
    fact = FactFactory(
        slug="first-yen-loan", statement="Japan's first yen loan went to India in 1958."
    )
    source = SourceFactory(slug="alpha-source", title="Alpha article", publisher="Alpha Times")
    ClaimFactory(fact=fact, source=source)
    return MainsQuestionFactory(model_answer=MODEL)


def test_write_page_never_shows_the_model_answer(learner_client, question):
    html = learner_client.get(reverse("quizzes:mains-write", args=[question.pk])).content.decode()
    assert "Model answer" not in html
    assert "Finish the corridors on time" not in html


def test_draft_answer_page_does_not_show_it_even_to_staff(staff_client, learner, question):
    draft = MainsAnswerFactory(learner=learner, question=question, submitted_at=None)
    html = staff_client.get(reverse("quizzes:mains-answer", args=[draft.pk])).content.decode()
    assert "Finish the corridors on time" not in html


def test_model_answer_appears_after_submitting_beside_the_answer(learner_client, learner, question):
    response = learner_client.post(
        reverse("quizzes:mains-write", args=[question.pk]),
        {
            "text": "My own answer about ODA and the Northeast.",
            "opened_at": f"{time.time() - 60:.3f}",
            "base_seconds": 0,
            "action": "submit",
        },
        follow=True,
    )
    html = response.content.decode()
    answer = MainsAnswer.objects.get(learner=learner)
    assert response.redirect_chain[-1][0] == reverse("quizzes:mains-answer", args=[answer.pk])
    assert "My own answer about ODA" in html
    assert 'id="model-heading">Model answer' in html
    assert "<strong>Introduction.</strong>" in html
    assert "Finish the corridors on time" in html
    # Citations become numbered marks with the cited fact and source listed below.
    assert '<a href="#source-first-yen-loan" title="1" rel="noopener noreferrer">[1]</a>' in html
    assert (
        '<li id="source-first-yen-loan">Japan&#x27;s first yen loan went to India in 1958.</li>'
        in html
    )
    assert '<li id="source-alpha-source">Alpha article (Alpha Times)</li>' in html
    assert "19 of 150 words" in html


def test_question_without_a_model_answer_shows_no_empty_box(learner_client, learner):
    answer = MainsAnswerFactory(learner=learner, question=MainsQuestionFactory(model_answer=""))
    html = learner_client.get(reverse("quizzes:mains-answer", args=[answer.pk])).content.decode()
    assert "Model answer" not in html


def test_model_answer_markup_is_sanitised(learner_client, learner):
    question = MainsQuestionFactory(
        model_answer="Hi <script>alert(1)</script> [x](javascript:alert(1))"
    )
    answer = MainsAnswerFactory(learner=learner, question=question)
    html = learner_client.get(reverse("quizzes:mains-answer", args=[answer.pk])).content.decode()
    assert "<script>alert" not in html
    assert 'href="javascript' not in html

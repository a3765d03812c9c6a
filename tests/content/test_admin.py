from html.parser import HTMLParser

import pytest
from django.urls import reverse

from content import models as m
from content.markdown import render
from tests.factories import ClaimFactory, FactFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


def inline(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                data[f"{prefix}-{i}-{key}"] = "on"
            elif value is not False:
                data[f"{prefix}-{i}-{key}"] = str(value)
    return data


def statements_post(topic, source, *, ask: str, truths: list[bool]) -> dict:
    data = {
        "slug": "admin-made",
        "status": "published",
        "topic": topic.pk,
        "kind": "statements",
        "ask": ask,
        "difficulty": "medium",
        "stem": "Consider the following statements:",
        "explanation": "Why the key is the key.",
        "sources": [source.pk],
    }
    data |= inline("choices", [])
    data |= inline("pairs", [])
    data |= inline(
        "statements",
        [
            {"order": i, "text": f"Statement {i}", "is_true": t, "explanation": f"Because {i}."}
            for i, t in enumerate(truths, start=1)
        ],
    )
    return data


def test_staff_adds_a_statements_question_with_inlines(staff_client):
    topic, source = TopicFactory(), SourceFactory()
    response = staff_client.post(
        reverse("admin:content_question_add"),
        statements_post(topic, source, ask="correct", truths=[True, False, True]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = m.Question.objects.with_parts().get(slug="admin-made")
    assert question.statements.count() == 3
    assert question.options.texts[question.options.key] == "1 and 3 only"


def test_miskeyed_question_is_refused_with_a_message(staff_client):
    topic, source = TopicFactory(), SourceFactory()
    response = staff_client.post(
        reverse("admin:content_question_add"),
        statements_post(topic, source, ask="incorrect", truths=[True, True, True]),
    )
    assert response.status_code == 200
    assert "Cannot derive a valid key: no statement is false" in response.content.decode()
    assert not m.Question.objects.filter(slug="admin-made").exists()


def test_single_question_with_two_correct_choices_is_refused(staff_client):
    topic, source = TopicFactory(), SourceFactory()
    data = {
        "slug": "single-admin",
        "status": "published",
        "topic": topic.pk,
        "kind": "single",
        "ask": "",
        "difficulty": "easy",
        "stem": "Which year?",
        "explanation": "x",
        "sources": [source.pk],
    }
    data |= inline("statements", []) | inline("pairs", [])
    data |= inline(
        "choices",
        [{"order": i, "text": str(1950 + i), "is_correct": i < 2, "explanation": "e"}
         for i in range(4)],
    )  # fmt: skip
    response = staff_client.post(reverse("admin:content_question_add"), data)
    assert response.status_code == 200
    assert "exactly one correct (found 4 choices, 2 correct)" in response.content.decode()
    assert not m.Question.objects.exists()


def test_learner_cannot_reach_admin(learner_client):
    response = learner_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_disputed_filter_and_claims_are_visible(staff_client):
    fact = FactFactory(statement="First 2+2 held in 2019", value="November 2019")
    ClaimFactory(fact=fact, value="2019")
    ClaimFactory(fact=fact, value="2018", agrees=False, source=SourceFactory(title="Wrong Mag"))
    FactFactory(statement="Undisputed fact")
    response = staff_client.get(reverse("admin:content_fact_changelist") + "?disputed=yes")
    body = response.content.decode()
    assert "First 2+2 held in 2019" in body
    assert "Undisputed fact" not in body
    detail = staff_client.get(reverse("admin:content_fact_change", args=[fact.pk])).content
    assert b"Wrong Mag" in detail and b"DISAGREES" in detail


def test_bulk_retire_action(staff_client):
    topic = TopicFactory()
    response = staff_client.post(
        reverse("admin:content_topic_changelist"),
        {"action": "retire", "_selected_action": [topic.pk]},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == m.Status.RETIRED


def test_question_preview_is_staff_only(staff_client, client, learner):
    from tests.factories import StatementsQuestionFactory

    question = StatementsQuestionFactory(status=m.Status.DRAFT)
    url = reverse("content:question-preview", args=[question.slug])
    page = staff_client.get(url).content.decode()
    assert "Which of the statements given above is/are correct?" in page
    assert "1 and 3 only" in page
    client.force_login(learner)
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[x](javascript:alert(1))"],
)
def test_markdown_never_emits_script_or_handlers(payload):
    html = render(f"## Title\n\n{payload}\n").html
    tags: list[tuple[str, list]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))

    Collector().feed(html)
    assert tags, html
    for tag, attrs in tags:
        assert tag not in {"script", "img", "iframe"}
        for name, value in attrs:
            assert not name.startswith("on")
            assert not (value or "").startswith("javascript")


def test_generate_drafts_action_stores_drafts_for_review(staff_client):
    source = SourceFactory(
        full_text=(
            "Bilateral trade between India and Japan remains modest at around $23 billion. "
            "The 2+2 dialogue established in 2019 created a framework.\nShort line."
        )
    )
    response = staff_client.post(
        reverse("admin:content_source_changelist"),
        {"action": "generate_drafts", "_selected_action": [source.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Review them" in response.content.decode()
    facts = m.DraftItem.objects.filter(source=source, kind="fact")
    assert sorted(f.payload["answer"] for f in facts) == ["$23 billion", "2019"]
    card = m.DraftItem.objects.get(source=source, kind="card", payload__answer="2019")
    assert "{{c1::2019}}" in card.payload["text"] and card.parent.kind == "fact"
    assert not m.Fact.objects.exists()  # nothing is published before an editor accepts it


def mains_post(topic, source, pack, *, model_answer: str) -> dict:
    data = {
        "slug": "mains-admin",
        "pack": pack.pk,
        "status": "published",
        "topic": topic.pk,
        "directive": "discuss",
        "marks": 10,
        "word_limit": 150,
        "minutes": 7,
        "text": "Discuss the partnership.",
        "outline_body": "[]",
        "model_answer": model_answer,
        "sources": [source.pk],
    }
    return data | inline(
        "key_points",
        [{"order": 1, "text": "ODA", "keywords": '["oda"]', "synonyms": '["yen loans"]'}],
    )


def test_staff_writes_a_model_answer_and_synonyms_in_admin(staff_client):
    topic, source = TopicFactory(), SourceFactory()
    pack = m.Pack.objects.create(slug="p", title="P")
    response = staff_client.post(
        reverse("admin:content_mainsquestion_add"),
        mains_post(topic, source, pack, model_answer="**Introduction.** Japan lends."),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = m.MainsQuestion.objects.get(slug="mains-admin")
    assert question.model_answer == "**Introduction.** Japan lends."
    assert question.key_points.get().synonyms == ["yen loans"]


def test_admin_refuses_a_model_answer_over_the_word_limit(staff_client):
    topic, source = TopicFactory(), SourceFactory()
    pack = m.Pack.objects.create(slug="p", title="P")
    response = staff_client.post(
        reverse("admin:content_mainsquestion_add"),
        mains_post(topic, source, pack, model_answer=" ".join(["word"] * 151)),
    )
    assert response.status_code == 200
    assert "151 words is over the 150-word limit" in response.content.decode()
    assert not m.MainsQuestion.objects.exists()

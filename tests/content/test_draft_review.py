"""The per-source draft review screen and the drafts store: accept, reject, re-run."""

from pathlib import Path

import pytest
from django.urls import reverse

from content import models as m
from content.drafts.store import DraftError, draft_accept, draft_reject, drafts_generate
from tests.factories import SourceFactory, TopicFactory

DATA = Path(__file__).resolve().parent.parent / "data" / "drafts"
ARTICLE = (DATA / "india-uae.txt").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return SourceFactory(title="India and the UAE", full_text=ARTICLE)


def _item(source, **filters):
    return m.DraftItem.objects.filter(source=source, **filters).order_by("order").first()


def test_generating_twice_creates_nothing_new_and_remembers_rejections(source):
    made, known = drafts_generate(source=source)
    assert made > 60 and known == 0
    fact = _item(source, kind="fact", payload__answer="88 days")
    draft_reject(item=fact, user=None)
    assert drafts_generate(source=source) == (0, made)
    fact.refresh_from_db()
    assert fact.status == m.DraftStatus.REJECTED
    assert fact.children.get().status == m.DraftStatus.REJECTED  # its card went with it


def test_half_deleted_pair_neither_fails_nor_comes_back(source):
    topic = TopicFactory()
    drafts_generate(source=source)
    item = _item(source, kind="fact", payload__answer="88 days")
    draft_accept(item=item, topic=topic)
    item.refresh_from_db()
    card = item.children.get().card
    item.fact.delete()  # the editor deletes the fact but keeps its card
    made, _ = drafts_generate(source=source)
    assert made == 0
    assert m.Flashcard.objects.filter(pk=card.pk).exists()
    assert not m.Fact.objects.filter(statement__contains="88 days").exists()
    # A leftover card with the slug the next acceptance would take does not break it.
    other = _item(source, kind="fact", payload__answer="97 per cent")
    m.Flashcard.objects.create(
        slug=f"card-{source.slug}-{other.children.get().key}", topic=topic, front="x", back="y"
    )
    draft_accept(item=other, topic=topic)
    other.refresh_from_db()
    assert other.fact.status == m.Status.PUBLISHED


def test_accepting_a_fact_publishes_it_with_its_card_and_provenance(source):
    topic = TopicFactory()
    drafts_generate(source=source)
    item = _item(source, kind="fact", payload__answer="18 February 2022")
    draft_accept(item=item, topic=topic)
    item.refresh_from_db()
    fact = item.fact
    assert fact.status == m.Status.PUBLISHED and fact.topic == topic
    assert str(fact.date) == "2022-02-18"
    assert fact.claims.get().source == source
    card = item.children.get().card
    assert card.status == m.Status.PUBLISHED and card.answer == "18 February 2022"
    assert list(card.sources.all()) == [source] and list(card.facts.all()) == [fact]
    # Provenance: the sentence and where it sits in the article.
    assert ARTICLE[item.start : item.end] == item.sentence
    assert "18 February 2022" in item.sentence


def test_accepting_structured_questions_derives_options(source):
    topic = TopicFactory()
    drafts_generate(source=source)
    for fmt in ("single", "statements", "pairs"):
        item = _item(source, kind="question", format=fmt)
        draft_accept(item=item, topic=topic)
        item.refresh_from_db()
        question = m.Question.objects.with_parts().get(pk=item.question.pk)
        assert question.kind == fmt and question.status == m.Status.PUBLISHED
        assert len(question.options.texts) == 4
        assert list(question.sources.all()) == [source]


def test_an_impossible_structure_is_refused_and_changes_nothing(source):
    topic = TopicFactory()
    drafts_generate(source=source)
    item = _item(source, kind="question", format="statements")
    item.payload["ask"] = "incorrect"
    for s in item.payload["statements"]:
        s["true"] = True
    item.save()
    with pytest.raises(DraftError, match="no statement is false"):
        draft_accept(item=item, topic=topic)
    item.refresh_from_db()
    assert item.status == m.DraftStatus.PENDING and not m.Question.objects.exists()


def test_review_screen_edit_accept_reject_and_bulk(
    staff_client, source, django_assert_max_num_queries
):
    topic = TopicFactory(title="India–UAE")
    url = reverse("admin:content_source_drafts", args=[source.pk])
    page = staff_client.get(url)
    assert "0 left to review" in page.content.decode()
    staff_client.post(reverse("admin:content_source_drafts_generate", args=[source.pk]))
    with django_assert_max_num_queries(15):
        page = staff_client.get(url)
    html = page.content.decode()
    left = m.DraftItem.objects.filter(source=source, parent=None).count()
    assert f"{left} left to review" in html
    assert "The CEPA" in html and "characters " in html  # section heading and offsets shown
    fact = _item(source, kind="fact", payload__answer="88 days")
    card = fact.children.get()
    response = staff_client.post(
        reverse("admin:content_source_draft_item", args=[source.pk, fact.pk]),
        {
            "do": "accept", "topic": topic.pk,
            "text": "The India–UAE CEPA was negotiated in 88 days, a record for India.",
            "answer": "88 days", "date": "",
            f"card-{card.pk}-shown": "1", f"card-{card.pk}-keep": "on",
            f"card-{card.pk}-text": "The India–UAE CEPA was negotiated in {{c1::88 days}}.",
        },
    )  # fmt: skip
    assert response.status_code == 302
    fact.refresh_from_db()
    assert fact.fact.statement.startswith("The India–UAE CEPA was negotiated")
    assert (
        fact.fact.flashcards.get().text == "The India–UAE CEPA was negotiated in {{c1::88 days}}."
    )
    # Reject one; bulk-accept two; the count goes down.
    other = _item(source, kind="fact", status="pending")
    staff_client.post(
        reverse("admin:content_source_draft_item", args=[source.pk, other.pk]), {"do": "reject"}
    )
    other.refresh_from_db()
    assert other.status == m.DraftStatus.REJECTED
    two = list(m.DraftItem.objects.filter(source=source, kind="fact", status="pending")[:2])
    staff_client.post(
        reverse("admin:content_source_drafts_bulk", args=[source.pk]),
        {"do": "accept", "topic": topic.pk, "items": [i.pk for i in two]},
    )
    assert m.DraftItem.objects.filter(pk__in=[i.pk for i in two], status="accepted").count() == 2
    html = staff_client.get(url).content.decode()
    assert f"{left - 4} left to review" in html and "3 accepted" in html and "1 rejected" in html
    accepted = staff_client.get(url + "?status=accepted").content.decode()
    assert reverse("admin:content_fact_change", args=[fact.fact.pk]) in accepted


def test_accept_without_topic_or_with_bad_edits_is_refused(staff_client, source):
    drafts_generate(source=source)
    item = _item(source, kind="question", format="single")
    endpoint = reverse("admin:content_source_draft_item", args=[source.pk, item.pk])
    page = staff_client.post(endpoint, {"do": "accept"}, follow=True)
    assert "Choose a topic" in page.content.decode()
    topic = TopicFactory()
    page = staff_client.post(
        endpoint,
        {"do": "accept", "topic": topic.pk, "text": "Stem?", "correct": "0",
         **{f"option-{i}": "same" for i in range(4)}},
        follow=True,
    )  # fmt: skip
    assert "four different options" in page.content.decode()
    item.refresh_from_db()
    assert item.status == m.DraftStatus.PENDING and not m.Question.objects.exists()
    page = staff_client.post(endpoint, {"do": "dance"}, follow=True)
    assert page.status_code == 200 and "Choose Save, Accept or Reject" in page.content.decode()


def test_learners_cannot_reach_the_review_screen(learner_client, source):
    response = learner_client.get(reverse("admin:content_source_drafts", args=[source.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]

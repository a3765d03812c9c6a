"""The shipped India–Japan pack: loads cleanly and cannot silently shrink or lose its sources."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from content import models as m
from content.loader import load_packs

pytestmark = pytest.mark.django_db

PACK = Path(settings.CONTENT_PACKS_DIR) / "india-japan"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
REQUIRED_TOPICS = {
    "history", "institutions", "trade-investment", "oda-infrastructure", "defence-security",
    "indo-pacific-quad", "technology-energy", "culture-people", "challenges-way-forward",
}  # fmt: skip


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_packs([PACK])
        yield
        for model in (m.KeyPoint, m.MainsQuestion, m.Choice, m.Statement, m.Pair, m.Question,
                      m.Flashcard, m.Claim, m.Fact, m.Note, m.Topic, m.Source, m.Pack):  # fmt: skip
            model.objects.all().delete()


@pytest.fixture
def pub(loaded):
    return m.Status.PUBLISHED


def test_topics_cover_the_syllabus(pub):
    topics = set(m.Topic.objects.filter(status=pub).values_list("slug", flat=True))
    assert len(topics) >= 8
    assert topics >= REQUIRED_TOPICS


def test_every_note_is_500_to_1200_words_with_the_revision_sections(pub):
    for note in m.Note.objects.select_related("topic"):
        words = note.word_count
        assert 500 <= words <= 1300, (note.topic.slug, words)
        headings = [h.lower() for h in re.findall(r"^##+\s+(.+)$", note.body, re.M)]
        text = " ".join(headings)
        for section in ("context", "key facts", "significance", "challenges", "way forward",
                        "prelims pointers", "mains angles"):  # fmt: skip
            assert section in text, (note.topic.slug, section)


def test_at_least_120_facts_each_with_source_claims(pub):
    facts = m.Fact.objects.filter(status=pub)
    assert facts.count() >= 120
    assert not facts.filter(claims__isnull=True).exists()


def test_disputed_facts_have_resolutions_and_are_listed_in_disputes_md(pub):
    disputed = m.Fact.objects.with_disputed().filter(disputed=True)
    assert disputed.count() >= 8
    disputes_md = (PACK / "DISPUTES.md").read_text()
    for fact in disputed:
        assert fact.resolution.strip(), fact.slug
        assert fact.slug in disputes_md, f"{fact.slug} is disputed but not in DISPUTES.md"


@pytest.mark.parametrize(
    ("fact_hint", "correct"),
    [
        ("2+2", "2019"),
        ("wilmington", "September 2024"),
        ("unicorn", "Unified"),
        ("misri", "Foreign Secretary"),
        ("nakatani", "Minister of Defen"),
        ("bodhisena", "736"),
    ],
)
def test_known_errors_in_the_articles_are_corrected(pub, fact_hint, correct):
    candidates = [
        f for f in m.Fact.objects.with_disputed().filter(disputed=True)
        if fact_hint in (f.slug + " " + f.statement).lower()
    ]  # fmt: skip
    assert candidates, f"no disputed fact about {fact_hint}"
    assert any(correct.lower() in (f.statement + " " + f.value).lower() for f in candidates)


def test_at_least_150_cards_each_tied_to_facts(pub):
    cards = m.Flashcard.objects.filter(status=pub)
    assert cards.count() >= 150
    assert not cards.filter(facts__isnull=True).exists()
    kinds = Counter(cards.values_list("kind", flat=True))
    assert kinds["basic"] and kinds["cloze"]


def test_prelims_bank_size_and_format_mix(pub):
    questions = list(m.Question.objects.filter(status=pub).with_parts())
    n = len(questions)
    assert n >= 120
    kinds = Counter(q.kind for q in questions)
    asks = Counter(q.ask for q in questions if q.kind == "statements")
    assert kinds["statements"] >= 0.4 * n
    assert asks["how_many"] >= 1 and asks["correct"] + asks["incorrect"] >= 1
    assert kinds["pairs"] >= 0.1 * n
    assert kinds["assertion_reason"] >= 0.1 * n
    assert kinds["single"] >= 1
    for q in questions:
        q.options  # noqa: B018 - derivation raises if the structure has no valid key
        assert q.difficulty in {"easy", "medium", "hard"}
        assert q.explanation.strip()
        parts = list(q.statements.all()) + list(q.pairs.all()) + list(q.choices.all())
        assert parts and all(p.explanation.strip() for p in parts), q.slug


def test_no_two_questions_share_a_stem_and_statements(pub):
    seen = {}
    for q in m.Question.objects.filter(status=pub).with_parts():
        signature = (q.stem, tuple(s.text for s in q.statements.all()),
                     tuple(p.left for p in q.pairs.all()))  # fmt: skip
        assert signature not in seen, (q.slug, seen.get(signature))
        seen[signature] = q.slug


def test_mains_questions(pub):
    mains = list(m.MainsQuestion.objects.filter(status=pub).prefetch_related("key_points"))
    assert len(mains) >= 16
    assert {q.marks for q in mains} == {10, 15}
    for q in mains:
        assert 5 <= len(q.key_points.all()) <= 8, q.slug
        assert q.outline_intro and q.outline_body and q.outline_conclusion, q.slug
        assert q.text.split()[-1].rstrip(".?").lower() in q.directive.replace("-", " ") or (
            q.get_directive_display().lower() in q.text.lower()
        ), q.slug


def test_every_item_cites_a_real_source(pub):
    sources = list(m.Source.objects.all())
    assert len(sources) == 5
    for source in sources:
        assert source.file and (SEEDS / source.file).exists() or not SEEDS.exists(), source.slug
    for model in (m.Flashcard, m.Question, m.MainsQuestion):
        uncited = model.objects.filter(status=pub, sources__isnull=True)
        assert not uncited.exists(), list(uncited.values_list("slug", flat=True))

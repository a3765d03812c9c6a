"""The shipped India–Japan pack: loads cleanly and cannot silently shrink or lose its sources."""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from content import models as m
from content import schema

pytestmark = pytest.mark.django_db

PACK = Path(settings.CONTENT_PACKS_DIR) / "india-japan"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
REQUIRED_TOPICS = {
    "history", "institutions", "trade-investment", "oda-infrastructure", "defence-security",
    "indo-pacific-quad", "technology-energy", "culture-people", "challenges-way-forward",
}  # fmt: skip


@pytest.fixture
def loaded(shipped_pack):
    return shipped_pack


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
        assert 500 <= words <= 2600, (note.topic.slug, words)
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
        ("global-strategic-2006", "Strategic and Global Partnership"),
        ("defence-technology-access", "transfer of defence equipment and technology"),
        ("export-rules", "2015"),
        ("titp", "no IT category"),
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
    assert n >= 200
    kinds = Counter(q.kind for q in questions)
    for kind in ("statements", "pairs", "assertion_reason", "single"):
        assert kinds[kind] >= 30, (kind, kinds[kind])
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
        # Every question has a model answer with an introduction, a body and a conclusion or
        # way forward, within the word limit (the loader enforces the limit), citing facts.
        answer = q.model_answer
        assert answer.strip(), q.slug
        assert "**Introduction.**" in answer, q.slug
        assert re.search(r"\*\*(Conclusion|Way forward)", answer), q.slug
        assert re.search(r"\[[a-z0-9-]+\]", answer), q.slug
        assert 0.4 * q.word_limit <= schema.model_answer_words(answer) <= q.word_limit, q.slug
        assert 5 <= len(q.key_points.all()) <= 8, q.slug
        assert q.outline_intro and q.outline_body and q.outline_conclusion, q.slug
        assert q.text.split()[-1].rstrip(".?").lower() in q.directive.replace("-", " ") or (
            q.get_directive_display().lower() in q.text.lower()
        ), q.slug


def test_every_item_cites_a_real_source(pub):
    sources = list(m.Source.objects.all())
    seeds = [s for s in sources if s.file]
    assert len(seeds) == 5
    for source in seeds:
        assert (SEEDS / source.file).exists() or not SEEDS.exists(), source.slug
    # Every other source is a named background document: a title, a publisher, and a note
    # that says so (the notes mark the material it backs "Background").
    for source in sources:
        if not source.file:
            assert source.title and source.publisher, source.slug
            assert source.notes.startswith("Background document"), source.slug
    for model in (m.Flashcard, m.Question, m.MainsQuestion):
        uncited = model.objects.filter(status=pub, sources__isnull=True)
        assert not uncited.exists(), list(uncited.values_list("slug", flat=True))


# --- Pack v2: corrections found by the independent fact-check (issue 19) --------------------


def _items(kind):
    for path in sorted((PACK / kind).glob("*.yaml")):
        yield from yaml.safe_load(path.read_text())


def _strings(value, false_parts=True):
    """Every string a learner can see in an item (claims a source gets wrong are shown as wrong).

    With false_parts=False, the text of a statement, pair or choice that the item marks false is
    left out (its explanation is kept): a false statement is meant to state something wrong.
    """
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, false_parts)
    elif isinstance(value, dict):
        is_false = value.get(True) is False or value.get("correct") is False
        for key, v in value.items():
            if key in {"id", "facts", "sources", "topic", "kind", "ask", "difficulty", "status"}:
                continue
            if key == "claims":
                v = [c for c in v if c.get("agrees", True)]
            if is_false and not false_parts and key in {"text", "left", "right"}:
                continue
            yield from _strings(v, false_parts)


def _learner_text(false_parts=True):
    """(where, text) for every note body and every learner-facing string of every item."""
    for path in sorted((PACK / "notes").glob("*.md")):
        yield path.name, path.read_text().split("---", 2)[2]
    for kind in ("facts", "cards", "prelims", "mains"):
        for item in _items(kind):
            for text in _strings(item, false_parts):
                yield item["id"], text


def test_the_2006_upgrade_is_never_called_global_and_strategic():
    bad = [
        where for where, text in _learner_text() if re.search(r"global and strategic", text, re.I)
    ]
    assert not bad, bad
    fact = m.Fact.objects.get(slug="history-global-strategic-2006")
    assert "Strategic and Global Partnership" in fact.statement


def test_japan_security_assistance_is_not_taught_as_indias_channel_to_defence_technology(pub):
    for where, text in _learner_text(false_parts=False):
        for sentence in re.split(r"(?<=[.])\s", text):
            if "security assistance" in sentence.lower():
                assert re.search(r"\bnot\b|wrong", sentence), (where, sentence)
    note = (PACK / "notes" / "defence-security.md").read_text()
    assert "Transfer of Defence Equipment and Technology" in note


def test_semiconductor_partnership_dates_from_the_july_2023_memorandum(pub):
    moc = m.Fact.objects.get(slug="technology-energy-semiconductor-moc-2023", status=pub)
    assert str(moc.date).startswith("2023-07")
    assert "July 2023" in (PACK / "notes" / "technology-energy.md").read_text()
    # Every card or question on the 2024 pledge also teaches the 2023 memorandum.
    for model in (m.Flashcard, m.Question):
        for item in model.objects.filter(
            status=pub, facts__slug="technology-energy-semiconductor-pledge-2024"
        ):
            assert item.facts.filter(pk=moc.pk).exists(), item.slug


def test_dating_exchanges_to_6th_century_buddhism_is_not_marked_wrong(pub):
    fact = m.Fact.objects.with_disputed().get(slug="history-buddhism-reaches-japan-baekje")
    assert not fact.disputed
    for s in m.Statement.objects.filter(
        question__status=pub, is_true=False, text__icontains="6th century"
    ):
        assert re.search(r"directly|Bodhisena", s.text), s.text


def test_opinions_are_not_taught_as_facts(pub):
    slugs = set(m.Question.objects.filter(status=pub).values_list("slug", flat=True))
    assert not slugs & {
        "pq-challenges-way-forward-ar-kashmir",
        "pq-challenges-way-forward-trump-kashmir",
    }
    kashmir = m.Fact.objects.get(slug="challenges-way-forward-trump-kashmir")
    assert kashmir.date is None and "argues" in kashmir.statement
    corridor = m.Fact.objects.get(slug="oda-infrastructure-corridor-countries")
    assert "informal" in corridor.statement
    for card in m.Flashcard.objects.filter(status=pub, facts=corridor):
        assert "informal" in card.back, card.slug
    aagc = m.Question.objects.get(slug="pq-oda-infrastructure-aagc")
    texts = [aagc.explanation] + [s.explanation for s in aagc.statements.all()]
    assert not any("without external" in t for t in texts)


def test_titp_is_not_taught_as_a_route_for_it_workers(pub):
    for where, text in _learner_text(false_parts=False):
        if "TITP" in text and re.search(r"\bIT (and healthcare )?(workers|professionals)", text):
            assert re.search(r"no IT category|\bnot\b|wrong|mistake|\bbut\b", text), (where, text)


def test_aagc_is_dated_to_the_november_2016_joint_statement(pub):
    fact = m.Fact.objects.get(slug="oda-infrastructure-aagc-2017")
    assert "November 2016" in fact.statement and "2017" in fact.statement
    bad = [w for w, text in _learner_text() if re.search(r"AAGC.{0,40}announced in 2017", text)]
    assert not bad, bad


@pytest.mark.parametrize(
    ("slug", "explains"),
    [
        ("pq-oda-infrastructure-ar-northeast", False),
        ("pq-culture-people-ar-ageing", True),
        ("pq-history-ar-peace-treaty", True),
        ("pq-defence-security-ar-alliance", False),
    ],
)
def test_rewritten_assertion_reason_keys(pub, slug, explains):
    q = m.Question.objects.get(slug=slug, status=pub)
    assert q.explains is explains


def test_things_questions_test_are_taught_in_the_defence_note():
    note = (PACK / "notes" / "defence-security.md").read_text()
    for needle in ("JIMEX", "June 2012", "December 2013", "December 2015",
                   "classified military information", "ACSA", "9 September 2020"):  # fmt: skip
        assert needle in note, needle


# --- Every tested fact is taught in a note ---------------------------------------------------
# A note references a fact with a CommonMark link reference definition on its own line at the
# end of the note, `[fact-id]: #key-facts`. Such a line renders to nothing, so learners read
# only the prose; reviewers see in the file which facts the note is answerable for.
_FACT_REF = re.compile(r"^\[([a-z0-9-]+)\]: #key-facts$", re.M)


def test_every_fact_a_card_or_question_tests_is_referenced_from_its_topic_note(pub):
    notes = {n.topic_id: n for n in m.Note.objects.all()}
    missing = []
    for model in (m.Flashcard, m.Question):
        for item in model.objects.filter(status=pub).prefetch_related("facts"):
            body = notes[item.topic_id].body
            referenced = set(_FACT_REF.findall(body))
            prose = _FACT_REF.sub("", body)
            for fact in item.facts.all():
                if fact.slug not in referenced:
                    missing.append((item.slug, fact.slug, "not referenced"))
                # The note's prose carries every number of the fact's value (a year, a figure),
                # so a note cannot reference a fact while teaching a different date.
                for number in re.findall(r"\d+(?:\.\d+)?", fact.value):
                    if number not in prose:
                        missing.append((item.slug, fact.slug, f"{number} not in the note"))
    assert not missing, missing


def test_fact_references_are_invisible_to_learners(pub):
    from content.markdown import render

    note = m.Note.objects.get(topic__slug="history")
    slugs = _FACT_REF.findall(note.body)
    assert slugs
    html = render(note.body).html
    assert not any(slug in html for slug in slugs)


def test_single_choice_keys_are_spread_evenly_over_the_four_options(pub):
    keys = Counter()
    for q in m.Question.objects.filter(status=pub, kind="single").with_parts():
        choices = sorted(q.choices.all(), key=lambda c: c.order)
        keys[[c.is_correct for c in choices].index(True)] += 1
    assert len(keys) == 4
    assert max(keys.values()) - min(keys.values()) <= 3, keys

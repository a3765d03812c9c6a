"""Provenance: every pack item knows its file; the loader never overwrites an admin edit."""

import datetime as dt

import pytest
from django.core.management import call_command

from content import models as m
from content.loader import ContentInvalid, load_packs
from tests.content.test_loader import edit
from tests.content.test_loader import pack as pack  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def admin_edit(model, slug, **fields):
    """Save an item as the admin does (a model save)."""
    obj = model.objects.get(slug=slug)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def test_every_item_knows_its_file_and_fingerprint(pack):
    load_packs([pack])
    expected = {
        m.Source: "example/pack.yaml",
        m.Topic: "example/notes/basics.md",
        m.Fact: "example/facts/basics.yaml",
        m.Flashcard: "example/cards/basics.yaml",
        m.Question: "example/prelims/basics.yaml",
        m.MainsQuestion: "example/mains/basics.yaml",
    }
    for model, file in expected.items():
        rows = list(model.objects.values_list("pack__slug", "pack_file", "loaded_fingerprint"))
        assert rows, model
        for pack_slug, pack_file, fingerprint in rows:
            assert (pack_slug, pack_file) == ("example", file)
            assert len(fingerprint) == 64


def test_admin_edit_is_kept_and_reported_while_the_rest_updates(pack):
    load_packs([pack])
    admin_edit(m.Question, "q-single", explanation="Edited in the admin.")
    edit(pack / "prelims" / "basics.yaml", "Relations date from 1952.", "From the file, 1952.")
    edit(pack / "prelims" / "basics.yaml", "Two of three are correct.", "Two are correct.")
    summary = load_packs([pack])
    assert m.Question.objects.get(slug="q-single").explanation == "Edited in the admin."
    assert m.Question.objects.get(slug="q-statements").explanation == "Two are correct."
    assert summary.counts["questions"]["updated"] == 1
    [kept] = summary.kept
    assert (kept.kind, kept.slug, kept.file, kept.fields) == (
        "questions", "q-single", "example/prelims/basics.yaml", ["explanation"]
    )  # fmt: skip
    assert kept.state == "both"  # the file changed too
    assert any("q-single (explanation)" in line for line in summary.lines())


def test_kept_item_stays_kept_on_every_load_until_taken(pack):
    load_packs([pack])
    admin_edit(m.Fact, "relations-1952", statement="Edited statement.")
    assert [d.slug for d in load_packs([pack]).kept] == ["relations-1952"]
    assert [d.slug for d in load_packs([pack]).kept] == ["relations-1952"]
    assert m.Fact.objects.get(slug="relations-1952").statement == "Edited statement."


def test_take_files_overwrites_admin_edits(pack, capsys):
    load_packs([pack])
    admin_edit(m.Flashcard, "card-relations-year", back="1953")
    call_command("load_content", str(pack))
    assert "card-relations-year (back)" in capsys.readouterr().out
    assert m.Flashcard.objects.get(slug="card-relations-year").back == "1953"
    call_command("load_content", str(pack), "--take-files")
    assert m.Flashcard.objects.get(slug="card-relations-year").back == "1952"
    assert not load_packs([pack]).kept  # taken: follows the file again


def test_follow_file_mark_lets_the_next_load_take_the_file(pack):
    load_packs([pack])
    card = admin_edit(m.Flashcard, "card-relations-year", back="1953")
    card.follow_file = True
    card.save()
    assert not load_packs([pack]).kept
    card.refresh_from_db()
    assert (card.back, card.follow_file) == ("1952", False)


def test_edits_to_options_and_citations_count_as_admin_edits(pack):
    load_packs([pack])
    choice = m.Choice.objects.get(question__slug="q-single", is_correct=True)
    choice.explanation = "Edited option."
    choice.save()
    m.Flashcard.objects.get(slug="card-first-2plus2").facts.clear()
    kept = {d.slug: d.fields for d in load_packs([pack]).kept}
    assert kept == {"q-single": ["choices"], "card-first-2plus2": ["facts"]}
    assert m.Choice.objects.get(pk=choice.pk).explanation == "Edited option."


def test_failed_validation_leaves_edits_and_provenance_untouched(pack):
    load_packs([pack])
    admin_edit(m.Question, "q-single", explanation="Edited in the admin.")
    before = list(m.Question.objects.values_list("slug", "loaded_fingerprint", "explanation"))
    edit(pack / "facts" / "basics.yaml", "topic: basics", "topic: nowhere")
    with pytest.raises(ContentInvalid):
        load_packs([pack], take_files=True)
    after = list(m.Question.objects.values_list("slug", "loaded_fingerprint", "explanation"))
    assert after == before


def test_item_made_in_the_admin_for_the_pack_is_not_retired(pack):
    load_packs([pack])
    topic = m.Topic.objects.get(slug="basics")
    made = m.Flashcard.objects.create(
        slug="admin-card", pack=topic.pack, topic=topic, front="Q?", back="A.",
        status=m.Status.PUBLISHED,
    )  # fmt: skip
    summary = load_packs([pack])
    made.refresh_from_db()
    assert (made.status, made.pack_file, summary.retired) == ("published", "", 0)
    assert [(d.slug, d.state) for d in summary.kept] == []


def test_removed_item_is_retired_unless_changed_in_the_admin(pack):
    load_packs([pack])
    admin_edit(m.Flashcard, "card-first-2plus2", text="Held in {{c1::2019}}.")
    text = (pack / "cards" / "basics.yaml").read_text()
    (pack / "cards" / "basics.yaml").write_text(text.split("- id: card-first-2plus2")[0])
    edit(pack / "prelims" / "basics.yaml", "- id: q-single", "- id: q-single-renamed")
    summary = load_packs([pack])
    kept = m.Flashcard.objects.get(slug="card-first-2plus2")
    assert (kept.status, kept.text) == ("published", "Held in {{c1::2019}}.")
    assert [(d.slug, d.state) for d in summary.kept] == []  # reported as only in the database
    gone = m.Question.objects.get(slug="q-single")
    assert (gone.status, gone.pack_file) == ("retired", "")


def test_items_loaded_before_provenance_are_compared_with_the_files(pack):
    """What migration 0009 leaves: pack items marked '<pack>/' with no fingerprint."""
    load_packs([pack])
    legacy = {"pack_file": "example/", "loaded_fingerprint": ""}
    for model in (m.Source, m.Topic, m.Fact, m.Flashcard, m.Question, m.MainsQuestion):
        model.objects.update(**legacy)
    loaded_at = m.Pack.objects.get().loaded_at
    m.Question.objects.filter(slug="q-single").update(
        explanation="Edited after the load.", updated_at=loaded_at + dt.timedelta(hours=1)
    )
    m.Flashcard.objects.filter(slug="card-relations-year").update(back="1953")  # no later save
    summary = load_packs([pack])
    assert [(d.slug, d.fields) for d in summary.kept] == [("q-single", ["explanation"])]
    assert m.Flashcard.objects.get(slug="card-relations-year").back == "1952"
    card = m.Flashcard.objects.get(slug="card-relations-year")
    assert (card.pack_file, len(card.loaded_fingerprint)) == ("example/cards/basics.yaml", 64)


def test_check_names_the_admin_edits_a_load_would_keep(pack, capsys):
    load_packs([pack])
    admin_edit(m.Question, "q-single", explanation="Edited in the admin.")
    call_command("load_content", str(pack), "--check")
    out = capsys.readouterr().out
    assert "example/prelims/basics.yaml: q-single (explanation)" in out
    assert "Content is valid" in out

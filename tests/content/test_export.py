"""export_content: the database's content of a pack, back in the pack's own files."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from content import models as m
from content.loader import load_packs
from content.packfiles.export import Export
from tests.content.conftest import SHIPPED_PACK
from tests.content.test_loader import pack as pack  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

CONTENT_GLOBS = ("pack.yaml", "notes/*.md", "*/*.yaml")


def content_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for g in CONTENT_GLOBS for p in root.glob(g)}


def snapshot() -> dict:
    """Every content row with its last change, to show that a load changed nothing."""
    return {
        model.__name__: sorted(model.objects.values_list("slug", "updated_at"))
        for model in (m.Topic, m.Fact, m.Flashcard, m.Question, m.MainsQuestion, m.Paper)
    } | {"notes": sorted(m.Note.objects.values_list("topic__slug", "body", "updated_at"))}


def test_shipped_pack_load_then_export_reproduces_the_files_byte_for_byte(tmp_path):
    load_packs([SHIPPED_PACK])
    call_command("export_content", "india-japan", "--out", str(tmp_path))
    exported, shipped = content_files(tmp_path), content_files(SHIPPED_PACK)
    assert len(shipped) == 48
    assert sorted(exported) == sorted(shipped)
    different = [name for name in shipped if exported[name] != shipped[name]]
    assert different == []


def test_shipped_pack_export_then_load_is_a_no_op(tmp_path):
    load_packs([SHIPPED_PACK])
    copy = tmp_path / "india-japan"
    shutil.copytree(SHIPPED_PACK, copy)
    call_command("export_content", str(copy))
    before = snapshot()
    summary = load_packs([copy])
    assert (summary.created, summary.updated, summary.retired, summary.kept) == (0, 0, 0, [])
    assert snapshot() == before


def test_admin_edits_and_new_items_go_back_to_the_files(pack, capsys, staff_client):
    load_packs([pack])
    question = m.Question.objects.get(slug="q-single")
    question.explanation = "Relations and the peace treaty both date from 1952."
    question.save()
    topic = m.Topic.objects.get(slug="basics")
    response = staff_client.post(
        reverse("admin:content_flashcard_add"),
        {
            "slug": "admin-card", "pack": topic.pack_id, "status": "draft",
            "topic": topic.pk, "kind": "basic", "front": "Who?", "back": "Both.",
            "facts": [m.Fact.objects.get(slug="relations-1952").pk],
        },
    )  # fmt: skip
    assert response.status_code == 302
    card = m.Flashcard.objects.get(slug="admin-card")
    assert card.made_in_admin
    call_command("export_content", str(pack))
    assert "wrote" in capsys.readouterr().out
    prelims = (pack / "prelims" / "basics.yaml").read_text()
    assert "explanation: Relations and the peace treaty both date from 1952." in prelims
    cards = (pack / "cards" / "basics.yaml").read_text()
    assert "- id: admin-card\n  topic: basics\n  front: Who?\n  back: Both.\n" in cards
    assert "  facts: [relations-1952]\n  status: draft\n" in cards

    before = snapshot()
    summary = load_packs([pack])
    assert (summary.created, summary.updated, summary.retired, summary.kept) == (0, 0, 0, [])
    assert snapshot() == before
    card.refresh_from_db()
    assert card.pack_file == "example/cards/basics.yaml"  # from now on, a pack item
    assert not load_packs([pack]).kept


def test_export_keeps_the_comments_and_order_of_the_file(pack):
    load_packs([pack])
    path = pack / "facts" / "basics.yaml"
    path.write_text("# Facts of the example.\n\n" + path.read_text())
    files = Export(m.Pack.objects.get(slug="example"), pack).files()
    assert files["facts/basics.yaml"].startswith("# Facts of the example.\n\n- id: relations-1952")


def test_unknown_pack_is_refused():
    with pytest.raises(CommandError, match="No pack 'nowhere'"):
        call_command("export_content", "nowhere")


def test_export_names_items_the_format_cannot_load_as_they_are(pack, capsys):
    load_packs([pack])
    topic = m.Topic.objects.get(slug="basics")
    m.Flashcard.objects.create(slug="half-made", pack=topic.pack, topic=topic, front="Only?")
    call_command("export_content", str(pack))
    assert "not loadable as it is: cards half-made" in capsys.readouterr().err
    assert "- id: half-made" in (pack / "cards" / "basics.yaml").read_text()


def test_a_learners_own_card_is_never_pack_content(pack, learner):
    load_packs([pack])
    own = m.Flashcard.objects.create(
        slug="own-card-1", owner=learner, front="Mine?", back="Yes.", status=m.Status.PUBLISHED
    )
    files = Export(m.Pack.objects.get(slug="example"), pack).files()
    assert not any("own-card-1" in text for text in files.values())
    summary = load_packs([pack])
    assert (summary.retired, summary.kept) == (0, [])
    own.refresh_from_db()
    assert (own.owner, own.pack_file, own.status) == (learner, "", "published")

"""Migration 0009 marks items loaded before provenance as coming from their pack."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("content", "0008_new_items_start_as_drafts")]
AFTER = [("content", "0009_provenance")]


def test_loaded_items_are_marked_with_their_pack_and_made_ones_left_alone():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Pack, Topic, Note = (apps.get_model("content", n) for n in ("Pack", "Topic", "Note"))
    pack = Pack.objects.create(slug="old", title="Old")
    loaded = Topic.objects.create(slug="loaded", title="Loaded", pack=pack)
    Note.objects.create(topic=loaded, body="x", file="old/notes/loaded.md")
    Topic.objects.create(slug="bare", title="No note", pack=pack)
    Topic.objects.create(slug="made", title="Made in the admin")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        Topic = apps.get_model("content", "Topic")
        files = dict(Topic.objects.values_list("slug", "pack_file"))
        assert files == {"loaded": "old/notes/loaded.md", "bare": "old/", "made": ""}
        assert set(Topic.objects.values_list("loaded_fingerprint", flat=True)) == {""}
    finally:  # back to the latest schema; the transactional test's flush removes the rows
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

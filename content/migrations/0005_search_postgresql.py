"""PostgreSQL only: the GIN index on the search vector, and pg_trgm for "did you mean".
SQLite cannot build the index (it searches the `terms` copy instead).

pg_trgm is created with TrigramExtension when the role may; where it may not (a managed
database without the extension allowed), the migration carries on without it and search
falls back to difflib for "did you mean" (content.search checks for the extension).
"""

import logging

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, transaction

logger = logging.getLogger(__name__)

GIN_VECTOR = (
    "CREATE INDEX IF NOT EXISTS content_searchentry_vector_gin "
    "ON content_searchentry USING gin (vector)"
)


class OptionalTrigramExtension(TrigramExtension):
    """CREATE EXTENSION pg_trgm if allowed; otherwise a warning (and difflib at run time)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                super().database_forwards(app_label, schema_editor, from_state, to_state)
        except Exception as exc:  # noqa: BLE001 - any refusal leaves search working
            logger.warning("pg_trgm not available (%s): typo suggestions use difflib.", exc)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # other apps may use pg_trgm: leave it installed


def vector_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GIN_VECTOR)


def drop_vector_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS content_searchentry_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("content", "0004_search_index")]

    operations = [
        migrations.RunPython(vector_index, drop_vector_index, elidable=False),
        OptionalTrigramExtension(),
    ]

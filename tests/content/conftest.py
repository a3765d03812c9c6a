"""The shipped pack, loaded once per test module that asks for it, and removed after."""

from pathlib import Path

import pytest
from django.conf import settings

from content import models as m
from content.loader import load_packs

SHIPPED_PACK = Path(settings.CONTENT_PACKS_DIR) / "india-japan"

# Deletion order: what protects an item goes first (papers hold questions; key points, options
# and claims belong to their items), so teardown never stops half-way on a ProtectedError and
# leaves the pack behind for the next module's tests.
TEARDOWN_ORDER = (
    m.SearchTerm, m.SearchEntry, m.Paper, m.KeyPoint, m.MainsQuestion, m.Choice, m.Statement,
    m.Pair, m.Question, m.Flashcard, m.Claim, m.Fact, m.Note, m.Topic, m.Source, m.Pack,
)  # fmt: skip


@pytest.fixture(scope="module")
def shipped_pack(django_db_setup, django_db_blocker):
    """Load content/packs/india-japan outside the per-test transaction (it is read-only for the
    tests that use it), then delete every content row it made."""
    with django_db_blocker.unblock():
        load_packs([SHIPPED_PACK])
        yield SHIPPED_PACK
        for model in TEARDOWN_ORDER:
            model.objects.all().delete()
        leftovers = {model.__name__ for model in TEARDOWN_ORDER if model.objects.exists()}
        assert not leftovers, f"the shipped pack was not removed: {leftovers}"

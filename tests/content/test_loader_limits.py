"""The loader cannot be bombed: aliases, custom tags, huge files and notes, non-UTF-8 text are
refused with file and line; the root cause comes first without follow-on echoes; the database
is untouched whenever a pack is refused."""

import time

import pytest

from content import models as m
from content.loader import load_packs
from content.loader.parse import MAX_FILE_BYTES, MAX_NOTE_BYTES
from tests.content.test_loader import edit, errors_of, pack, snapshot_db  # noqa: F401

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """\
- &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
- &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
- &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
- &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
- &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
- &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
- &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
- &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
- &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.fixture
def loaded(pack):  # noqa: F811
    """The example pack loaded once, so a refused reload can be checked against it."""
    load_packs([pack])
    return snapshot_db()


def test_nested_aliases_are_refused_at_once_and_nothing_is_written(pack, loaded):  # noqa: F811
    (pack / "cards" / "bomb.yaml").write_text(BILLION_LAUGHS)
    started = time.monotonic()
    errors = errors_of(pack)
    assert time.monotonic() - started < 5
    assert any("cards/bomb.yaml:1" in e and "anchors and aliases" in e for e in errors), errors
    assert snapshot_db() == loaded


def test_a_single_anchor_in_front_matter_is_refused(pack):  # noqa: F811
    edit(pack / "notes" / "basics.md", "title: Basics", "title: &t Basics")
    errors = errors_of(pack)
    assert any("notes/basics.md:3" in e and "anchors and aliases" in e for e in errors), errors
    assert m.Topic.objects.count() == 0


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!custom", "!!binary"])
def test_custom_and_python_tags_are_refused(pack, tag):  # noqa: F811
    edit(pack / "facts" / "basics.yaml", 'value: "1952"', f'value: {tag} "1952"')
    errors = errors_of(pack)
    assert any("facts/basics.yaml:" in e and "is not allowed" in e for e in errors), errors
    assert m.Fact.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_unread(pack, loaded):  # noqa: F811
    path = pack / "prelims" / "huge.yaml"
    path.write_text("# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    errors = errors_of(pack)
    assert any("prelims/huge.yaml" in e and "the limit is 1,000,000 bytes" in e for e in errors)
    assert snapshot_db() == loaded


def test_a_note_over_the_note_limit_is_refused(pack):  # noqa: F811
    path = pack / "notes" / "basics.md"
    path.write_text(path.read_text() + ("Padding sentence for a long note. " * 7000))
    assert path.stat().st_size > MAX_NOTE_BYTES
    errors = errors_of(pack)
    assert any("notes/basics.md" in e and "limit is 200,000" in e for e in errors), errors
    # Items of that topic are not reported as referring to an unknown topic.
    assert not any("unknown topic" in e for e in errors), errors
    assert m.Topic.objects.count() == 0


@pytest.mark.parametrize("folder", ["notes/basics.md", "facts/basics.yaml"])
def test_non_utf8_text_is_reported_with_file_and_line(pack, folder):  # noqa: F811
    path = pack / folder
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4] + " caf\xe9".encode("latin-1")
    path.write_bytes(b"\n".join(lines))
    errors = errors_of(pack)
    assert any(f"{folder}:5" in e and "not UTF-8" in e and "0xe9" in e for e in errors), errors
    assert m.Topic.objects.count() == 0


def test_a_broken_facts_file_is_reported_first_without_follow_on_errors(pack):  # noqa: F811
    path = pack / "facts" / "basics.yaml"
    path.write_text(path.read_text().replace("  topic: basics", "  topic: [basics", 1))
    errors = errors_of(pack)
    assert "facts/basics.yaml" in errors[0] and "malformed YAML" in errors[0], errors
    assert not any("unknown fact" in e for e in errors), errors
    assert "not checked until the unreadable file(s) above are fixed" in errors[-1]
    assert len(errors) == 2, errors

"""Test-series papers in a pack: loaded in order, validated like everything else (errors name
file, paper and field; nothing is written), frozen once learners have taken them."""

import shutil
from pathlib import Path

import pytest

from content import models as m
from content.loader import ContentInvalid, load_packs
from quizzes.models import Attempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parent / "packs" / "example"

PAPER = """\
- id: basics-sectional
  title: Sectional · Basics
  family: sectional
  minutes: 6
  cutoff: 4
  cutoff_note: A target for this short paper.
  questions: [q-pairs, q-single, q-ar]
"""


@pytest.fixture
def pack(tmp_path) -> Path:
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    (target / "papers").mkdir()
    (target / "papers" / "basics.yaml").write_text(PAPER)
    return target


def errors_of(pack_dir: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as exc:
        load_packs([pack_dir])
    return [str(e) for e in exc.value.errors]


def test_a_paper_loads_with_its_questions_in_order_and_a_second_load_changes_nothing(pack):
    summary = load_packs([pack])
    paper = m.Paper.objects.get(slug="basics-sectional")
    assert list(paper.items.values_list("question__slug", flat=True)) == [
        "q-pairs",
        "q-single",
        "q-ar",
    ]
    assert (paper.minutes, paper.family, paper.cutoff_marks) == (6, "sectional", 4)
    assert summary.counts["papers"]["created"] == 1
    again = load_packs([pack])
    assert (again.created, again.updated, again.retired) == (0, 0, 0)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "[q-pairs, q-single, q-ar]",
            "[q-pairs, q-nope]",
            "unknown question(s): q-nope",
        ),
        ("[q-pairs, q-single, q-ar]", "[q-pairs, q-pairs]", "questions: listed twice: q-pairs"),
        ("family: sectional", "family: full", "a full-length paper has exactly 100 questions"),
        ("minutes: 6", "minutes: 0", "minutes: Input should be greater than or equal to 1"),
        ("cutoff: 4", "cutoff: 40", "cutoff: 40 is more than the paper's 6 marks"),
        ("family: sectional", "family: weekly", "family: Input should be 'full' or 'sectional'"),
    ],
)
def test_a_broken_paper_names_file_paper_and_field_and_writes_nothing(pack, old, new, expected):
    path = pack / "papers" / "basics.yaml"
    path.write_text(path.read_text().replace(old, new))
    errors = errors_of(pack)
    assert any(
        "papers/basics.yaml" in e and "basics-sectional" in e and expected in e for e in errors
    ), errors
    assert not m.Paper.objects.exists() and not m.Question.objects.exists()


def test_a_published_paper_may_not_use_a_draft_question(pack):
    path = pack / "prelims" / "basics.yaml"
    text = path.read_text()
    path.write_text(text.replace("- id: q-single\n", "- id: q-single\n  status: draft\n", 1))
    errors = errors_of(pack)
    assert any("only published questions" in e and "q-single" in e for e in errors), errors


def test_questions_of_a_paper_learners_have_taken_cannot_change(pack):
    load_packs([pack])
    paper = m.Paper.objects.get()
    Attempt.objects.create(
        learner=UserFactory(), mode="mock", paper=paper, started_at=paper.created_at
    )
    path = pack / "papers" / "basics.yaml"
    path.write_text(path.read_text().replace("[q-pairs, q-single, q-ar]", "[q-single, q-ar]"))
    errors = errors_of(pack)
    assert any("learners have taken this paper" in e for e in errors), errors
    # Other fields may still change (a typo in the title).
    path.write_text(PAPER.replace("Sectional · Basics", "Sectional · The basics"))
    assert load_packs([pack]).updated == 1

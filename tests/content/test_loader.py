import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from content import models as m
from content.loader import ContentInvalid, load_packs

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parent / "packs" / "example"


@pytest.fixture
def pack(tmp_path) -> Path:
    """A writable copy of the example pack."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def errors_of(pack_dir: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as exc:
        load_packs([pack_dir])
    return [str(e) for e in exc.value.errors]


def snapshot_db() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (m.Source, m.Topic, m.Fact, m.Claim, m.Flashcard, m.Question, m.Choice,
                      m.Statement, m.Pair, m.MainsQuestion, m.KeyPoint)
    }  # fmt: skip


def test_valid_pack_loads_every_kind(pack):
    summary = load_packs([pack])
    assert summary.created == 13
    assert m.Topic.objects.get(slug="basics").note.body.startswith("## Context")
    assert m.Fact.objects.with_disputed().get(slug="first-2plus2").disputed
    assert not m.Fact.objects.with_disputed().get(slug="relations-1952").disputed
    assert m.Question.objects.count() == 5
    assert m.MainsQuestion.objects.get().word_limit == 150
    assert m.MainsQuestion.objects.get().minutes == 7


def test_second_load_reports_nothing_changed(pack):
    load_packs([pack])
    summary = load_packs([pack])
    assert (summary.created, summary.updated, summary.retired) == (0, 0, 0)
    assert summary.lines()[1] == "0 created, 0 updated, 0 retired."


def test_editing_one_question_updates_just_that_row(pack):
    load_packs([pack])
    before = dict(m.Question.objects.values_list("slug", "updated_at"))
    edit(pack / "prelims" / "basics.yaml", "Two of three are correct.", "Two are correct.")
    summary = load_packs([pack])
    assert summary.updated == 1
    after = dict(m.Question.objects.values_list("slug", "updated_at"))
    assert [s for s in after if after[s] != before[s]] == ["q-statements"]
    assert m.Question.objects.get(slug="q-statements").explanation == "Two are correct."


def test_editing_a_statement_truth_rederives_the_key(pack):
    load_packs([pack])
    edit(pack / "prelims" / "basics.yaml", "{text: C., true: false", "{text: C., true: true")
    load_packs([pack])
    question = m.Question.objects.with_parts().get(slug="q-how-many")
    assert question.options.texts[question.options.key] == "All three"


def test_removed_item_is_retired_not_deleted(pack):
    load_packs([pack])
    text = (pack / "cards" / "basics.yaml").read_text()
    (pack / "cards" / "basics.yaml").write_text(text.split("- id: card-first-2plus2")[0])
    summary = load_packs([pack])
    assert summary.retired == 1
    card = m.Flashcard.objects.get(slug="card-first-2plus2")
    assert card.status == m.Status.RETIRED


def test_check_writes_nothing(pack):
    summary = load_packs([pack], check=True)
    assert summary.items["questions"] == 5
    assert m.Question.objects.count() == 0


def test_statements_all_true_asking_incorrect_is_refused(pack):
    load_packs([pack])
    before = snapshot_db()
    edit(pack / "prelims" / "basics.yaml", "ask: correct", "ask: incorrect")
    edit(pack / "prelims" / "basics.yaml", "{text: The first 2+2 was held in 2018., true: false",
         "{text: The first 2+2 was held in 2018., true: true")  # fmt: skip
    errors = errors_of(pack)
    assert any(
        "prelims/basics.yaml" in e and "q-statements" in e and "no statement is false" in e
        for e in errors
    ), errors
    assert snapshot_db() == before


def test_single_question_with_two_correct_choices_is_refused(pack):
    edit(pack / "prelims" / "basics.yaml", '{text: "1947", correct: false',
         '{text: "1947", correct: true')  # fmt: skip
    errors = errors_of(pack)
    assert any("q-single" in e and "exactly one choice must be correct, found 2" in e
               for e in errors), errors  # fmt: skip
    assert m.Question.objects.count() == 0


def test_unknown_topic_and_source_references_are_named(pack):
    edit(pack / "facts" / "basics.yaml", "topic: basics", "topic: nowhere")
    edit(pack / "cards" / "basics.yaml", "facts: [relations-1952]", "facts: [no-such-fact]")
    edit(pack / "prelims" / "basics.yaml", "sources: [beta-2025]", "sources: [gamma-2030]")
    errors = errors_of(pack)
    assert any("relations-1952: topic: unknown topic 'nowhere'" in e for e in errors), errors
    assert any("card-relations-year: facts: unknown fact 'no-such-fact'" in e for e in errors)
    assert any("q-how-many: sources: unknown source 'gamma-2030'" in e for e in errors)


def test_duplicate_id_names_both_places(pack):
    edit(pack / "cards" / "basics.yaml", "id: card-first-2plus2", "id: card-relations-year")
    errors = errors_of(pack)
    assert any("card-relations-year: id: duplicate id: also used in" in e for e in errors)


def test_markdown_without_front_matter_is_refused(pack):
    (pack / "notes" / "extra.md").write_text("# Just a body\n")
    errors = errors_of(pack)
    assert any("notes/extra.md:1" in e and "no front matter" in e for e in errors), errors


def test_malformed_yaml_reports_the_line(pack):
    path = pack / "facts" / "basics.yaml"
    lines = path.read_text().splitlines()
    lines[3] = "  statement: [unclosed"
    path.write_text("\n".join(lines) + "\n")
    errors = errors_of(pack)
    assert any("facts/basics.yaml:" in e and "malformed YAML" in e for e in errors), errors
    line = int(next(e for e in errors if "malformed YAML" in e).split(":")[1])
    assert 4 <= line <= 6


def test_every_problem_is_reported_at_once(pack):
    edit(pack / "prelims" / "basics.yaml", "difficulty: easy", "difficulty: trivial")
    edit(pack / "mains" / "basics.yaml", "marks: 10", "marks: 12")
    edit(pack / "facts" / "basics.yaml", "resolution: Agreed", "notes: Agreed")
    errors = errors_of(pack)
    assert any("q-single: difficulty:" in e for e in errors)
    assert any("mq-basics: marks:" in e for e in errors)
    assert any("first-2plus2" in e and "notes" in e for e in errors)
    assert len(errors) >= 3


def test_disputed_fact_needs_a_resolution(pack):
    edit(
        pack / "facts" / "basics.yaml",
        "  resolution: Agreed in 2018, first held on 30 November 2019.\n",
        "",
    )
    errors = errors_of(pack)
    assert any("first-2plus2: resolution:" in e for e in errors), errors


def test_cloze_card_needs_exactly_one_deletion(pack):
    edit(pack / "cards" / "basics.yaml", "{{c1::November 2019}}", "November 2019")
    errors = errors_of(pack)
    assert any("card-first-2plus2: text: a cloze card needs exactly one deletion" in e
               for e in errors), errors  # fmt: skip


def test_assertion_reason_with_both_false_is_refused(pack):
    edit(pack / "prelims" / "basics.yaml", "Northeast connectivity., true: true",
         "Northeast connectivity., true: false")  # fmt: skip
    edit(pack / "prelims" / "basics.yaml", "Southeast Asia., true: true",
         "Southeast Asia., true: false")  # fmt: skip
    edit(pack / "prelims" / "basics.yaml", "explains: true", "explains: false")
    errors = errors_of(pack)
    assert any("q-ar" in e and "both statements are false" in e for e in errors), errors


def test_command_exits_1_and_lists_problems(pack, capsys):
    edit(pack / "facts" / "basics.yaml", "topic: basics", "topic: nowhere")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_content", str(pack))
    assert "unknown topic 'nowhere'" in capsys.readouterr().err


def test_command_check_prints_counts(pack, capsys):
    call_command("load_content", str(pack), "--check")
    out = capsys.readouterr().out
    assert "5 questions" in out and "Content is valid" in out
    assert m.Question.objects.count() == 0


def test_learner_ticks_on_key_points_survive_an_edit(pack, learner):
    from quizzes.models import MainsAnswer

    load_packs([pack])
    question = m.MainsQuestion.objects.get()
    answer = MainsAnswer.objects.create(
        learner=learner, question=question, text="x", started_at=question.created_at,
        saved_at=question.created_at,
    )  # fmt: skip
    point = question.key_points.get(order=1)
    answer.covered_points.add(point)
    edit(pack / "mains" / "basics.yaml", "Diplomatic relations in 1952.", "Relations in 1952.")
    load_packs([pack])
    point.refresh_from_db()
    assert point.text == "Relations in 1952."
    assert list(answer.covered_points.all()) == [point]


def test_shape_and_reference_errors_in_different_files_come_together(pack):
    edit(pack / "prelims" / "basics.yaml", "difficulty: easy", "difficulty: trivial")
    edit(pack / "cards" / "basics.yaml", "facts: [relations-1952]", "facts: [no-such-fact]")
    edit(pack / "mains" / "basics.yaml", "facts: [relations-1952]", "facts: [first-2plus2]")
    edit(
        pack / "facts" / "basics.yaml", "kind: date\n  date: 2019-11", "kind: era\n  date: 2019-11"
    )
    errors = errors_of(pack)
    assert any("q-single: difficulty:" in e for e in errors), errors
    assert any("card-relations-year: facts: unknown fact 'no-such-fact'" in e for e in errors)
    # first-2plus2 exists but is invalid: only its own error, no "unknown fact" echo.
    assert any("first-2plus2: kind:" in e for e in errors)
    assert not any("unknown fact 'first-2plus2'" in e for e in errors), errors


def test_card_in_another_pack_cites_the_sources_of_the_fact_it_uses(pack, tmp_path):
    load_packs([pack])
    other = tmp_path / "second"
    (other / "cards").mkdir(parents=True)
    (other / "pack.yaml").write_text(
        "slug: second\ntitle: Second\nsources:\n  - id: gamma-2025\n    title: Gamma\n"
    )
    (other / "cards" / "x.yaml").write_text(
        "- id: card-second\n  topic: basics\n  front: Year?\n  back: '1952'\n"
        "  facts: [relations-1952]\n"
    )
    load_packs([other])
    card = m.Flashcard.objects.get(slug="card-second")
    assert list(card.sources.values_list("slug", flat=True)) == ["alpha-2025"]


def test_model_answer_and_synonyms_are_loaded(pack):
    load_packs([pack])
    question = m.MainsQuestion.objects.get()
    assert question.model_answer.startswith("**Introduction.** India and Japan")
    points = list(question.key_points.all())
    assert points[0].synonyms == ["peace treaty"]
    assert points[1].synonyms == ["two plus two", "foreign and defence ministers"]


def test_editing_a_synonym_updates_the_key_point(pack):
    load_packs([pack])
    edit(pack / "mains" / "basics.yaml", "synonyms: [peace treaty]", "synonyms: [treaty of 1952]")
    summary = load_packs([pack])
    assert summary.counts["mains"]["updated"] == 1
    assert m.KeyPoint.objects.get(order=1).synonyms == ["treaty of 1952"]


def test_model_answer_and_synonyms_are_optional(pack):
    edit(pack / "mains" / "basics.yaml", "      synonyms: [peace treaty]\n", "")
    text = (pack / "mains" / "basics.yaml").read_text()
    (pack / "mains" / "basics.yaml").write_text(
        text.split("  model_answer: |")[0] + "  facts: [relations-1952]\n"
    )
    load_packs([pack])
    question = m.MainsQuestion.objects.get()
    assert question.model_answer == ""
    assert question.key_points.get(order=1).synonyms == []


def test_model_answer_over_the_word_limit_is_refused_and_nothing_written(pack):
    long_answer = "    " + " ".join(["word"] * 151) + "\n"
    edit(
        pack / "mains" / "basics.yaml",
        "    **Way forward.**",
        long_answer + "    **Way forward.**",
    )
    before = snapshot_db()
    errors = errors_of(pack)
    assert len(errors) == 1
    assert errors[0].startswith("example/mains/basics.yaml:1: mq-basics: model_answer: ")
    assert "over the 150-word limit" in errors[0]
    assert snapshot_db() == before


def test_citation_markers_do_not_count_as_words_of_the_model_answer():
    from content.schema import model_answer_words

    assert model_answer_words("**Intro.** Relations began in 1952 [relations-1952].") == 5
    assert model_answer_words("## Body\n- one [a](https://x.test) two") == 4


def test_model_answer_citing_an_unknown_source_or_fact_is_refused(pack):
    edit(pack / "mains" / "basics.yaml", "[first-2plus2]", "[no-such-fact]")
    errors = errors_of(pack)
    assert errors == [
        "example/mains/basics.yaml:1: mq-basics: model_answer: "
        "[no-such-fact] cites no source or fact of the packs"
    ]

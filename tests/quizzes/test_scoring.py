"""UPSC marking: pure functions, no database."""

from fractions import Fraction

import pytest

from quizzes import scoring


def test_right_answer_earns_two_marks():
    assert scoring.item_thirds(1, 1) == 6
    assert scoring.thirds_to_marks(6) == 2


def test_wrong_answer_costs_one_third_of_the_marks():
    assert scoring.item_thirds(0, 1) == -2
    assert scoring.thirds_to_marks(-2) == Fraction(-2, 3)


def test_blank_costs_nothing():
    assert scoring.item_thirds(None, 1) == 0


def test_tally_counts_and_scores_exactly():
    t = scoring.tally([(1, 1), (0, 1), (None, 2), (3, 3), (2, 0)])
    assert (t.correct, t.wrong, t.blank) == (2, 2, 1)
    assert t.questions == 5
    assert t.score_thirds == 2 * 6 - 2 * 2
    assert t.score == Fraction(8, 3)
    assert t.lost_thirds == 4
    assert t.accuracy == Fraction(1, 2)


def test_accuracy_is_none_when_nothing_attempted():
    assert scoring.tally([(None, 0), (None, 1)]).accuracy is None


@pytest.mark.parametrize(
    ("thirds", "shown"),
    [
        (0, "0.00"),
        (6, "2.00"),
        (-2, "-0.67"),  # never "-0.66": rounds the exact value, half away from zero
        (2, "0.67"),
        (1, "0.33"),
        (-1, "-0.33"),
        (26, "8.67"),  # 13 wrong answers cost 8.67 marks
        (4, "1.33"),
        (5, "1.67"),
        (600, "200.00"),
        (-200, "-66.67"),
        (299, "99.67"),
    ],
)
def test_marks_show_two_decimals_rounded_from_the_exact_value(thirds, shown):
    assert scoring.format_marks(thirds) == shown


def test_float_arithmetic_would_drift_but_thirds_stay_exact():
    # 300 wrong answers: 300 * -0.6666 in floats is not -200 exactly; thirds are.
    floats = sum([-2 / 3] * 300)
    assert floats != -200
    t = scoring.Tally(correct=0, wrong=300, blank=0)
    assert t.score == -200
    assert scoring.format_marks(t.score_thirds) == "-200.00"


def test_sum_of_many_mixed_answers_is_exact():
    answers = [(0, 0)] * 71 + [(1, 0)] * 19 + [(None, 0)] * 10
    t = scoring.tally(answers)
    assert t.score == Fraction(71 * 2) - Fraction(19 * 2, 3)
    assert scoring.format_marks(t.score_thirds) == "129.33"


def test_full_paper_gets_two_hours_and_25_questions_get_30_minutes():
    assert scoring.mock_seconds(100) == 120 * 60
    assert scoring.mock_seconds(25) == 30 * 60
    assert scoring.mock_seconds(10) == 12 * 60


def test_max_marks_are_two_per_question():
    assert scoring.max_thirds(100) == 600
    assert scoring.format_marks(scoring.max_thirds(100)) == "200.00"


def test_percent_rounds_half_up_and_handles_zero():
    assert scoring.percent(1, 3) == 33
    assert scoring.percent(2, 3) == 67
    assert scoring.percent(1, 8) == 13
    assert scoring.percent(-1, 3) == -33
    assert scoring.percent(1, 0) is None


def test_guidance_names_the_format_where_wrong_answers_cost_most():
    lines = scoring.guidance(
        overall=scoring.Tally(5, 15, 5),
        formats=[
            scoring.Group("statement", correct=2, wrong=13, blank=0),
            scoring.Group("single-answer", correct=3, wrong=2, blank=5),
        ],
        topics=[],
    )
    assert lines[0] == (
        "Your wrong answers in statement questions cost you 8.67 marks: "
        "attempt fewer guesses there."
    )
    assert "single-answer" not in " ".join(lines)  # 1.33 marks lost: below the threshold


def test_guidance_on_careless_slips_when_accuracy_is_high():
    lines = scoring.guidance(
        overall=scoring.Tally(20, 4, 1),
        formats=[scoring.Group("match-the-pairs", correct=12, wrong=4, blank=0)],
        topics=[],
    )
    assert lines[0].startswith("Your wrong answers in match-the-pairs questions cost you 2.67")
    assert "re-read" in lines[0]


def test_guidance_points_at_the_weakest_topic():
    lines = scoring.guidance(
        overall=scoring.Tally(6, 4, 0),
        formats=[],
        topics=[
            scoring.Group("Defence", correct=1, wrong=3, blank=0),
            scoring.Group("Trade", correct=5, wrong=1, blank=0),
        ],
    )
    assert any(line.startswith("Defence is your weakest topic (25% of attempted") for line in lines)


def test_guidance_never_calls_the_only_or_strongest_topic_the_weakest():
    alone = scoring.guidance(
        overall=scoring.Tally(1, 3, 0),
        formats=[],
        topics=[scoring.Group("Defence", correct=1, wrong=3, blank=0)],
    )
    tied = scoring.guidance(
        overall=scoring.Tally(2, 6, 0),
        formats=[],
        topics=[
            scoring.Group("Defence", correct=1, wrong=3, blank=0),
            scoring.Group("Trade", correct=1, wrong=3, blank=0),
        ],
    )
    assert not any("weakest topic" in line for line in alone + tied)


def test_guidance_asks_for_more_attempts_when_accurate_but_cautious():
    lines = scoring.guidance(
        overall=scoring.Tally(9, 1, 10), formats=[], topics=[], previous_thirds=None
    )
    assert any("You left 10 of 20 blank" in line for line in lines)


def test_guidance_compares_with_the_previous_mock_per_question():
    # 30/50 before (60%), now 40/50 (80%)
    lines = scoring.guidance(
        overall=scoring.Tally(20, 0, 5),
        formats=[],
        topics=[],
        previous_thirds=90,
        previous_questions=25,
    )
    assert lines[-1] == "Your score is up 20 percentage points on your previous mock."


def test_guidance_has_something_to_say_on_a_clean_sheet():
    lines = scoring.guidance(overall=scoring.Tally(5, 0, 0), formats=[], topics=[])
    assert lines == ["No weak spot stands out: keep the same approach and try a longer mock."]


def test_guidance_warns_about_guessing_when_accuracy_is_low_overall():
    lines = scoring.guidance(
        overall=scoring.Tally(1, 2, 2),
        formats=[scoring.Group("statement", correct=1, wrong=2, blank=0)],
        topics=[],
    )
    assert lines == [
        "Only 33% of your attempts were right and wrong answers cost you 1.33 marks: "
        "answer only when you can rule out at least two options."
    ]


def test_guidance_after_a_single_slip_points_to_the_review():
    lines = scoring.guidance(overall=scoring.Tally(4, 1, 0), formats=[], topics=[])
    assert lines[0].startswith("Read the explanations of the questions you got wrong")

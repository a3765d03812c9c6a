"""Rank, percentile, average, topper, cut-off and distribution from a score histogram."""

from fractions import Fraction

from quizzes import standing

# Scores in thirds of a mark: 6 = 2 marks (one right answer), -2 = -0.67.
BINS = {60: 1, 54: 2, 30: 3, 0: 3, -2: 1}  # 10 takers


def test_rank_counts_only_strictly_higher_scores_so_ties_share_a_rank():
    assert standing.rank_of(BINS, 60) == 1
    assert standing.rank_of(BINS, 54) == 2
    assert standing.rank_of(BINS, 30) == 4  # 1 + 2 above: "1, 2, 2, 4"
    assert standing.rank_of(BINS, -2) == 10


def test_a_score_nobody_has_is_placed_between_the_others():
    assert standing.rank_of(BINS, 40) == 4
    assert standing.rank_of(BINS, 100) == 1


def test_percentile_is_the_share_at_or_below_the_score_and_the_topper_has_100():
    assert standing.percentile_of(BINS, 60) == 100
    assert standing.percentile_of(BINS, 30) == 70  # 3 + 3 + 1 of 10
    assert standing.percentile_of(BINS, -2) == 10
    assert standing.percentile_of({}, 30) is None


def test_percentile_is_shown_with_two_decimals_rounded_half_up():
    assert standing.format_percentile(Fraction(200, 3)) == "66.67"
    assert standing.format_percentile(Fraction(100)) == "100.00"
    assert standing.format_percentile(Fraction(1, 800)) == "0.00"
    assert standing.format_percentile(None) == "—"


def test_average_and_topper():
    assert standing.average_thirds(BINS) == Fraction(60 + 108 + 90 + 0 - 2, 10)
    assert standing.topper_thirds(BINS) == 60
    assert standing.average_thirds({}) is None
    assert standing.topper_thirds({}) is None


def test_marks_are_formatted_from_thirds_with_a_true_minus_sign():
    assert standing.format_thirds(256) == "85.33"
    assert standing.format_thirds(-2) == "\u22120.67"
    assert standing.format_thirds(Fraction(1, 1000)) == "0.00"


def test_no_estimated_cutoff_below_the_minimum_number_of_takers():
    assert standing.estimated_cutoff_thirds(BINS) is None  # 10 < 20


def test_estimated_cutoff_is_the_score_the_top_fifteen_percent_reach():
    # 40 takers: the top 15% is the best 6; the 6th best score is the cut-off.
    bins = {90: 2, 80: 3, 70: 5, 10: 30}
    assert standing.estimated_cutoff_thirds(bins) == 70
    bins = {90: 6, 80: 4, 10: 30}
    assert standing.estimated_cutoff_thirds(bins) == 90


def test_authored_cutoff_wins_over_the_estimate_and_says_so():
    bins = {90: 2, 80: 3, 70: 5, 10: 30}
    authored = standing.standing(
        bins, question_count=25, score_thirds=80, authored_cutoff_thirds=75
    )
    assert (authored.cutoff_thirds, authored.cutoff_estimated) == (75, False)
    assert authored.clears(80) is True and authored.clears(72) is False
    estimated = standing.standing(bins, question_count=25, score_thirds=80)
    assert (estimated.cutoff_thirds, estimated.cutoff_estimated) == (70, True)
    none = standing.standing({10: 1}, question_count=25, score_thirds=10)
    assert none.cutoff_thirds is None and none.clears(10) is None


def test_distribution_bars_cover_zero_to_the_maximum_and_mark_the_learners_bar():
    # 25 questions: 50 marks, bars of 5 marks.
    bins = {3 * 12: 4, 3 * 31: 1, 3 * 50: 1}
    bars = standing.distribution(bins, question_count=25, mine_thirds=3 * 31)
    assert [(b.low, b.high) for b in bars][0] == (0, 5)
    assert bars[-1].high == 50 and len(bars) == 10
    assert [b.count for b in bars] == [0, 0, 4, 0, 0, 0, 1, 0, 0, 1]  # 50 goes in the last bar
    assert [b.mine for b in bars].index(True) == 6
    assert max(b.share for b in bars) == 1


def test_distribution_extends_below_zero_for_negative_scores():
    bars = standing.distribution({-20: 1, 30: 1}, question_count=25, mine_thirds=-20)
    assert bars[0].low == -10 and bars[0].mine  # -6.67 marks falls in [-10, -5)
    assert sum(b.count for b in bars) == 2


def test_full_paper_bars_are_twenty_marks_wide():
    assert standing.bucket_width(100) == 20
    assert standing.bucket_width(25) == 5


def test_standing_of_a_practice_score_places_it_without_counting_it():
    where = standing.standing(BINS, question_count=25, score_thirds=57)
    assert where.takers == 10 and where.rank == 2


def test_chart_places_the_cutoff_line_in_proportion():
    bars = standing.distribution({30: 1}, question_count=25)
    chart = standing.chart(bars, cutoff_thirds=75)  # 25 marks of 0..50
    assert chart.cutoff_x == chart.width / 2
    assert chart.step == 5 and len(chart.bars) == 10

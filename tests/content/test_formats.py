import pytest

from content import formats
from content.formats import AR_OPTIONS, FormatError, derive_options, prompt_for


def test_two_statements_use_the_standard_four_options():
    options = derive_options("statements", ask="correct", truths=[False, True])
    assert options.texts == ("1 only", "2 only", "Both 1 and 2", "Neither 1 nor 2")
    assert options.key_letter == "b"


def test_two_false_statements_key_is_neither():
    options = derive_options("statements", ask="correct", truths=[False, False])
    assert options.texts[options.key] == "Neither 1 nor 2"


def test_three_statements_options_contain_the_key_and_are_deterministic():
    a = derive_options("statements", ask="correct", truths=[True, False, True], seed="q1")
    b = derive_options("statements", ask="correct", truths=[True, False, True], seed="q1")
    assert a == b
    assert a.texts[a.key] == "1 and 3 only"
    assert len(set(a.texts)) == 4


def test_no_statement_is_settled_by_the_options_alone():
    for truths in ([True, False, False], [True, True, False, True], [False, True, False, False]):
        options = derive_options("statements", ask="correct", truths=truths, seed="x")
        for number in range(1, len(truths) + 1):
            containing = [t for t in options.texts if str(number) in t]
            assert 0 < len(containing) < 4, (truths, options.texts)


def test_incorrect_variant_keys_the_false_statements():
    options = derive_options("statements", ask="incorrect", truths=[True, False, True], seed="x")
    assert options.texts[options.key] == "2 only"
    assert prompt_for("statements", "incorrect").endswith("is/are not correct?")


def test_all_true_asking_incorrect_has_no_key():
    with pytest.raises(FormatError, match="no statement is false"):
        derive_options("statements", ask="incorrect", truths=[True, True, True], seed="x")


def test_how_many_three_statements():
    options = derive_options("statements", ask="how_many", truths=[True, False, False])
    assert options.texts == ("Only one", "Only two", "All three", "None")
    assert options.key_letter == "a"
    none = derive_options("statements", ask="how_many", truths=[False, False, False])
    assert none.texts[none.key] == "None"


def test_how_many_four_statements():
    options = derive_options("statements", ask="how_many", truths=[True, True, True, False])
    assert options.texts == ("Only one", "Only two", "Only three", "All four")
    assert options.key_letter == "c"
    with pytest.raises(FormatError):
        derive_options("statements", ask="how_many", truths=[False] * 4)


def test_how_many_pairs_wording_and_key():
    options = derive_options("pairs", ask="how_many", truths=[True, False, True, True])
    assert options.texts[options.key] == "Only three"
    assert prompt_for("pairs", "how_many") == (
        "How many of the pairs given above are correctly matched?"
    )


@pytest.mark.parametrize(
    ("s1", "s2", "explains", "letter"),
    [(True, True, True, "a"), (True, True, False, "b"), (True, False, None, "c"),
     (False, True, None, "d")],
)  # fmt: skip
def test_assertion_reason_keys(s1, s2, explains, letter):
    options = derive_options("assertion_reason", truths=[s1, s2], explains=explains)
    assert options.texts == AR_OPTIONS
    assert options.key_letter == letter


def test_assertion_reason_both_false_is_an_error():
    with pytest.raises(FormatError, match="both statements are false"):
        derive_options("assertion_reason", truths=[False, False])


@pytest.mark.parametrize(
    ("text", "true", "shown"),
    [
        ("Correct. Japan joined in 1956.", True, "Japan joined in 1956."),
        ("Incorrect. It was 1952.", False, "It was 1952."),
        ("Incorrect, because it came from Baekje.", False, "because it came from Baekje."),
        ("Correct — not a reason.", True, "— not a reason."),
        ("Correctly matched: both dates agree.", True, "Correctly matched: both dates agree."),
        # A verdict that disagrees with the key is left for an author to see.
        ("Correct. But the key says otherwise.", False, "Correct. But the key says otherwise."),
        ("Japan joined in 1956.", True, "Japan joined in 1956."),
        ("Correct.", True, "Correct."),
    ],
)
def test_an_explanation_does_not_repeat_the_verdict_badge(text, true, shown):
    assert formats.without_verdict(text, true=true) == shown

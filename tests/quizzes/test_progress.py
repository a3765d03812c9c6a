"""Progress: the pure helpers, the dashboard, history, export, account deletion, today panel."""

import csv
import datetime as dt
import io
import json
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile
from quizzes import progress
from quizzes.models import (
    Attempt,
    AttemptItem,
    Bookmark,
    CardState,
    MainsAnswer,
    NoteProgress,
    ReviewLog,
)
from quizzes.selectors.today import today_panel, yesterday_line
from tests.conftest import PASSWORD
from tests.factories import (
    MainsAnswerFactory,
    bulk_history,
    history_content,
)

pytestmark = pytest.mark.django_db

D = dt.date
KOLKATA = ZoneInfo("Asia/Kolkata")


# ---- pure helpers ------------------------------------------------------------------------------


def test_streak_counts_consecutive_days_up_to_today():
    days = [D(2025, 3, 1), D(2025, 3, 2), D(2025, 3, 3)]
    s = progress.streaks(days, D(2025, 3, 3))
    assert (s.current, s.longest, s.active_today) == (3, 3, True)


def test_streak_is_still_alive_until_midnight_when_yesterday_was_active():
    s = progress.streaks([D(2025, 3, 1), D(2025, 3, 2)], D(2025, 3, 3))
    assert (s.current, s.active_today) == (2, False)


def test_a_missed_day_breaks_the_streak_but_keeps_the_longest():
    days = [D(2025, 2, 1), D(2025, 2, 2), D(2025, 2, 3), D(2025, 2, 4), D(2025, 3, 2)]
    s = progress.streaks(days, D(2025, 3, 4))
    assert (s.current, s.longest) == (0, 4)


def test_streak_ignores_duplicates_and_future_dates():
    days = [D(2025, 3, 3), D(2025, 3, 3), D(2025, 3, 9)]
    assert progress.streaks(days, D(2025, 3, 3)).current == 1
    assert progress.streaks([], D(2025, 3, 3)).longest == 0


def test_mastery_combines_note_cards_and_prelims_with_the_stated_weights():
    m = progress.mastery(
        note_studied=True,
        cards_total=10,
        cards_seen=5,
        reviews=10,
        recalled=8,
        questions_total=10,
        questions_answered=10,
        answers=20,
        correct=15,
    )
    # 20*1 + 40*(0.5*0.8) + 40*(1.0*0.75) = 20 + 16 + 30
    assert m.percent == 66
    assert (m.cards, m.prelims, m.card_recall, m.accuracy) == (40, 75, 80, 75)
    assert m.level == "Building"
    assert "20% note studied + 40% cards + 40% Prelims" in progress.MASTERY_FORMULA


def test_mastery_leaves_out_parts_a_topic_does_not_have():
    m = progress.mastery(
        note_studied=True,
        cards_total=0,
        cards_seen=0,
        reviews=0,
        recalled=0,
        questions_total=4,
        questions_answered=8,  # retired questions answered earlier: coverage caps at 100%
        answers=8,
        correct=8,
    )
    assert m.percent == 100
    assert m.cards is None and m.question_coverage == 100
    nothing = progress.mastery(
        note_studied=False,
        cards_total=3,
        cards_seen=0,
        reviews=0,
        recalled=0,
        questions_total=3,
        questions_answered=0,
        answers=0,
        correct=0,
    )
    assert (nothing.percent, nothing.level, nothing.accuracy) == (0, "Not started", None)


def test_heatmap_covers_a_year_ending_today_with_relative_levels():
    today = D(2025, 6, 18)  # a Wednesday
    days = {
        today: progress.Activity(cards=40),
        today - dt.timedelta(days=1): progress.Activity(cards=5, questions=5),
        today - dt.timedelta(days=400): progress.Activity(cards=99),  # outside the window
    }
    heat = progress.heatmap(days, today)
    assert heat.cells[-1].day == today
    assert heat.cells[0].day.weekday() == 0  # columns start on Monday
    assert len(heat.cells) == 52 * 7 + 3
    levels = {c.day: c.level for c in heat.cells}
    assert levels[today] == 4 and levels[today - dt.timedelta(days=1)] == 1
    assert levels[today - dt.timedelta(days=2)] == 0
    assert "40 cards reviewed" in heat.cells[-1].title
    assert heat.active_days == 2
    assert heat.busiest == (today, days[today])
    assert [(r.month, r.cards, r.questions) for r in heat.month_rows] == [(D(2025, 6, 1), 45, 5)]
    assert [m.text for m in heat.months][-1] == "Jun"


def test_score_trend_draws_the_marks_lost_to_negative_marking_above_the_net_score():
    chart = progress.score_trend(
        [
            progress.MockPoint("1 Mar", net=40.0, gross=50.0, title="first"),
            progress.MockPoint("8 Mar", net=-10.0, gross=5.0, title="second"),
        ]
    )
    net = chart.series[0].points
    assert len(net) == 2 and net[0].y < net[1].y  # higher score, higher on the chart
    lost = [b for b in chart.bands if b.css == "bar-lost"]
    assert len(lost) == 2 and all(b.height > 0 for b in lost)
    assert chart.zero_y is not None  # a negative score shows the zero line
    assert [t.label for t in chart.y_ticks][0] == "-25%"


def test_score_dots_leave_a_gap_for_an_answer_without_a_score():
    chart = progress.score_dots(
        [
            progress.ScorePoint("1 Mar", 60.0, None, "a"),
            progress.ScorePoint("2 Mar", 70.0, 50.0, "b"),
        ]
    )
    self_series, mentor = chart.series
    assert len(self_series.points) == 2 and len(mentor.points) == 1
    assert "mentor 50%" in mentor.points[0].title


def test_negative_marking_costs_two_thirds_a_wrong_answer():
    assert progress.marks_lost_thirds(5) == 10  # 10/3 = 3.33 marks


# ---- the dashboard -----------------------------------------------------------------------------


@pytest.fixture
def content():
    return history_content()


def test_dashboard_needs_login(client):
    response = client.get(reverse("quizzes:progress"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_dashboard_for_a_new_learner_invites_them_to_start(learner_client, content):
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert "No weak spots yet" in html
    assert "No mock test submitted yet" in html
    assert "Set your exam date" in html
    assert '0 <span class="stat-unit">days</span>' in html


def test_dashboard_shows_streak_heatmap_mastery_scores_and_countdown(
    learner_client, learner, content
):
    now = timezone.now()
    bulk_history(learner, content, size=200, now=now)
    Profile.objects.filter(user=learner).update(exam_date=now.date() + dt.timedelta(days=30))
    response = learner_client.get(reverse("quizzes:progress"))
    assert response.status_code == 200
    ctx = response.context
    assert ctx["streak"].current >= 1
    assert ctx["totals"]["cards"] == 120
    assert ctx["totals"]["questions"] == 54 and ctx["totals"]["correct"] == 36
    assert ctx["countdown"]["days"] in (29, 30, 31)
    html = response.content.decode()
    # Charts are server-side SVG with a title, a description and a table beside them.
    assert html.count("<svg") >= 3
    assert '<title id="mock-chart-title">' in html and '<desc id="mock-chart-desc">' in html
    assert '<title id="heatmap-title">' in html
    # One square a day with its date and what was done (hover title), busiest days darkest.
    today = timezone.localdate(now, timezone=learner.profile.tzinfo)
    day_title = f"<title>{today.strftime('%a %-d %b %Y')}: "
    assert html.count('<rect class="heat-') >= 365 and day_title in html
    assert '<rect class="heat-4"' in html
    assert "Scores as a table" in html and "Activity as a table" in html
    assert "lost to negative marking" in html
    # Mastery per topic, with the formula explained.
    assert "Mastery = 20% note studied" in html
    for topic in content["topics"]:
        assert topic.title in html
    # Weak spots link straight to practice (a form that starts a set).
    assert reverse("quizzes:prelims-start") in html
    assert 'name="topics"' in html and 'name="kinds" value="single"' in html
    assert "Facts you miss most" in html


def test_dashboard_only_counts_the_learners_own_history(
    learner_client, learner, other_learner, content
):
    bulk_history(other_learner, content, size=300)
    ctx = learner_client.get(reverse("quizzes:progress")).context
    assert ctx["totals"] == {
        "cards": 0,
        "questions": 0,
        "correct": 0,
        "answers": 0,
        "accuracy": None,
    }
    assert ctx["mocks"]["rows"] == [] and ctx["mains"]["rows"] == []
    assert ctx["weak"] == {"topics": [], "kinds": [], "facts": []}


def test_days_are_counted_in_the_learners_time_zone(learner_client, learner, content):
    # 20:00 UTC is already the next day in Kolkata (UTC+5:30).
    Profile.objects.filter(user=learner).update(timezone="Asia/Kolkata")
    at = dt.datetime(2025, 3, 10, 20, 0, tzinfo=dt.UTC)
    ReviewLog.objects.create(
        learner=learner,
        card=content["cards"][0],
        rating=3,
        reviewed_at=at,
        state_after={},
        reps_before=0,
    )
    days = ReviewLog.objects.per_day(learner, since=at - dt.timedelta(days=1), tz=KOLKATA)
    assert list(days) == [D(2025, 3, 11)]


# ---- history -----------------------------------------------------------------------------------


def _titles(response):
    return [row.title for row in response.context["rows"]]


def test_history_lists_every_kind_newest_first_with_links(learner_client, learner, content):
    now = timezone.now()
    bulk_history(learner, content, size=70, now=now)
    response = learner_client.get(reverse("quizzes:history"))
    rows = response.context["rows"]
    kinds = {r.kind for r in rows}
    assert {"reviews", "practice", "mock", "mains"} <= kinds
    assert [r.key for r in rows] == sorted((r.key for r in rows), reverse=True)
    html = response.content.decode()
    attempt = Attempt.objects.filter(learner=learner).first()
    assert reverse("quizzes:attempt-result", args=[attempt.pk]) in html
    answer = MainsAnswer.objects.filter(learner=learner).first()
    assert reverse("quizzes:mains-answer", args=[answer.pk]) in html
    assert "?day=" in html  # a review session links to that day's ratings


def test_history_filters_by_kind_topic_and_date(learner_client, learner, content):
    now = timezone.now()
    bulk_history(learner, content, size=60, now=now)
    url = reverse("quizzes:history")
    mocks = learner_client.get(url, {"kind": "mock"}).context["rows"]
    assert mocks and {r.kind for r in mocks} == {"mock"}
    mains = learner_client.get(url, {"kind": "mains"}).context["rows"]
    assert mains and {r.kind for r in mains} == {"mains"}
    topic = content["topics"][1]
    rows = learner_client.get(url, {"kind": "mains", "topic": topic.slug}).context["rows"]
    expected = MainsAnswer.objects.filter(learner=learner, question__topic=topic).count()
    assert len(rows) == min(expected, 20)
    # A date range in the learner's time zone.
    day = timezone.localtime(now - dt.timedelta(days=1), KOLKATA).date()
    rows = learner_client.get(url, {"start": day, "end": day}).context["rows"]
    assert rows and all(timezone.localtime(r.when, KOLKATA).date() == day for r in rows)


def test_history_pages_by_cursor_without_gaps_or_repeats(learner_client, learner, content):
    bulk_history(learner, content, size=400)
    url = reverse("quizzes:history")
    seen, response, pages = [], learner_client.get(url), 0
    while True:
        pages += 1
        seen += [r.key for r in response.context["rows"]]
        older = response.context["older_url"]
        if not older or pages > 50:
            break
        response = learner_client.get(older)
    assert len(seen) == len(set(seen))
    assert seen == sorted(seen, reverse=True)
    sessions = ReviewLog.objects.filter(learner=learner).sessions(tz=KOLKATA).count()
    attempts = Attempt.objects.filter(learner=learner).count()
    answers = MainsAnswer.objects.filter(learner=learner).count()
    assert len(seen) == sessions + attempts + answers
    # "Newer" from the second page leads back to the first page.
    first = learner_client.get(url)
    second = learner_client.get(first.context["older_url"])
    back = learner_client.get(second.context["newer_url"])
    assert [r.key for r in back.context["rows"]] == [r.key for r in first.context["rows"]]


def test_history_htmx_returns_only_the_results_fragment(learner_client, learner, content):
    bulk_history(learner, content, size=20)
    response = learner_client.get(
        reverse("quizzes:history"), {"kind": "mock"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="history-results"')
    assert "<html" not in html
    # The page and the fragment share a URL: the Back button must not show the fragment.
    assert "HX-Request" in response["Vary"]


def test_history_refuses_a_tampered_page_link_or_reversed_dates(learner_client):
    url = reverse("quizzes:history")
    response = learner_client.get(url, {"before": "yesterday~9~x"})
    assert response.status_code == 400
    assert response.context["error"].startswith("That page link is broken")
    response = learner_client.get(url, {"start": "2025-03-10", "end": "2025-03-01"})
    assert response.status_code == 400
    assert learner_client.get(url, {"kind": "gossip"}).status_code == 400


def test_a_review_day_lists_that_days_ratings(learner_client, learner, content):
    now = timezone.now()
    bulk_history(learner, content, size=50, now=now)
    day = timezone.localtime(now - dt.timedelta(minutes=1), KOLKATA).date()
    response = learner_client.get(reverse("quizzes:history"), {"day": day.isoformat()})
    assert response.status_code == 200
    logs = response.context["day_logs"]
    assert logs and all(
        timezone.localtime(row["log"].reviewed_at, KOLKATA).date() == day for row in logs
    )


def test_history_never_shows_another_learners_rows(learner_client, learner, other_learner, content):
    bulk_history(other_learner, content, size=100)
    response = learner_client.get(reverse("quizzes:history"))
    assert response.context["rows"] == []
    day = timezone.localdate(timezone.now(), KOLKATA)
    response = learner_client.get(reverse("quizzes:history"), {"day": day.isoformat()})
    assert response.context["day_logs"] == []


# ---- export ------------------------------------------------------------------------------------


def test_export_page_offers_csv_and_json(learner_client):
    html = learner_client.get(reverse("quizzes:export")).content.decode()
    assert "format=zip" in html and "format=json" in html


def test_export_zip_has_one_csv_per_kind_with_only_the_learners_rows(
    learner_client, learner, other_learner, content
):
    bulk_history(learner, content, size=50)
    bulk_history(other_learner, content, size=80)
    response = learner_client.get(reverse("quizzes:export"), {"format": "zip"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name.split("/")[-1]: name for name in archive.namelist()}
    for kind in ("reviews", "attempts", "attempt_items", "mains_answers", "notes_studied"):
        assert f"{kind}.csv" in files

    def rows(kind):
        text = archive.read(files[f"{kind}.csv"]).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    assert len(rows("reviews")) == ReviewLog.objects.filter(learner=learner).count() == 30
    attempts = rows("attempts")
    assert {int(a["id"]) for a in attempts} == set(
        Attempt.objects.filter(learner=learner).values_list("pk", flat=True)
    )
    assert attempts[0]["marks_lost_to_negative_marking"] == "2.00"
    assert (
        len(rows("attempt_items")) == AttemptItem.objects.filter(attempt__learner=learner).count()
    )
    assert len(rows("mains_answers")) == 5
    assert len(rows("notes_studied")) == 2


def test_export_json_holds_the_same_history(learner_client, learner, content):
    bulk_history(learner, content, size=30)
    response = learner_client.get(reverse("quizzes:export"), {"format": "json"})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["user"]["username"] == learner.username
    assert data["profile"]["timezone"] == "Asia/Kolkata"
    assert len(data["reviews"]) == 18
    assert (
        len(data["attempt_items"]) == AttemptItem.objects.filter(attempt__learner=learner).count()
    )
    assert {"mains_answers", "notes_studied", "card_states", "bookmarks"} <= set(data)


def test_export_neutralises_spreadsheet_formulas_in_free_text(learner_client, learner):
    MainsAnswerFactory(learner=learner, text='=HYPERLINK("http://evil")')
    response = learner_client.get(reverse("quizzes:export"), {"format": "zip"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    name = next(n for n in archive.namelist() if n.endswith("mains_answers.csv"))
    row = next(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert row["text"].startswith("'=")


def test_export_refuses_an_unknown_format(learner_client):
    response = learner_client.get(reverse("quizzes:export"), {"format": "xls"})
    assert response.status_code == 400
    assert "format=zip" in response.content.decode()


# ---- query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [20, 20_000])
def test_progress_pages_query_counts_do_not_grow_with_history(
    learner_client, learner, content, size, django_assert_max_num_queries
):
    """Every page (and every kind of history page) has one bound for 20 and 20,000 rows."""
    bulk_history(learner, content, size=size)
    history = reverse("quizzes:history")
    older = learner_client.get(history).context["older_url"]
    newer = learner_client.get(older).context["newer_url"] if older else history
    today = timezone.localdate(timezone.now(), KOLKATA).isoformat()
    export = reverse("quizzes:export")
    pages = [
        # session + user + profile, then the dashboard's grouped queries (one of them: the
        # kinds of mock taken, so the trend compares like with like)
        (reverse("quizzes:progress"), {}, 19),
        # session, user, profile, topics for the filter, one query per kind
        (history, {}, 7),
        (older or history, {}, 7),
        (newer, {}, 7),
        (history, {"kind": "reviews"}, 5),
        (history, {"kind": "mock", "topic": content["topics"][0].slug}, 6),
        (history, {"start": today, "end": today}, 7),
        (history, {"day": today}, 5),
        # session, user, profile, one query per exported table (+ card marks, issue 20)
        (export, {"format": "zip"}, 12),
        (export, {"format": "json"}, 12),
        # home: + new Mains feedback (issue 18), + new cards ready today (issue 20)
        (reverse("home"), {}, 10),
    ]
    for url, params, limit in pages:
        with django_assert_max_num_queries(limit):
            response = learner_client.get(url, params)
        assert response.status_code == 200, url


# ---- account deletion removes everything -------------------------------------------------------


def test_deleting_the_account_removes_every_row_of_the_learners_history(
    learner_client, learner, other_learner, content
):
    bulk_history(learner, content, size=60)
    bulk_history(other_learner, content, size=60)
    Bookmark.objects.create(learner=learner, question=content["questions"][0])
    answer = MainsAnswer.objects.filter(learner=learner).first()
    answer.covered_points.set(answer.question.key_points.all())
    pk = learner.pk
    models = [
        (NoteProgress, "learner"),
        (CardState, "learner"),
        (ReviewLog, "learner"),
        (Attempt, "learner"),
        (AttemptItem, "attempt__learner"),
        (Bookmark, "learner"),
        (MainsAnswer, "learner"),
        (MainsAnswer.covered_points.through, "mainsanswer__learner"),
        (Profile, "user"),
    ]
    assert all(m.objects.filter(**{f: pk}).exists() for m, f in models)
    others = {m: m.objects.filter(**{f: other_learner.pk}).count() for m, f in models}

    response = learner_client.post(reverse("delete-account"), {"password": PASSWORD})
    assert response.status_code == 302
    for model, f in models:
        assert not model.objects.filter(**{f: pk}).exists(), model.__name__
    assert {m: m.objects.filter(**{f: other_learner.pk}).count() for m, f in models} == others


# ---- the home page's today panel ---------------------------------------------------------------


def test_yesterday_line_says_what_was_done_in_one_sentence():
    assert yesterday_line(42, 37, 10, 7, 1) == (
        "42 cards reviewed (88% recalled) · 10 questions answered (7 right) · "
        "1 Mains answer written"
    )
    assert yesterday_line(0, 0, 1, 1, 0) == "1 question answered (1 right)"
    assert yesterday_line(0, 0, 0, 0, 0) == "No study yesterday."


def test_today_panel_reports_yesterdays_results_in_the_learners_day(
    learner_client, learner, other_learner, content
):
    now = dt.datetime(2025, 3, 12, 6, 0, tzinfo=dt.UTC)  # 11:30 on 12 March in Kolkata
    yesterday = dt.datetime(2025, 3, 11, 12, 0, tzinfo=dt.UTC)
    for i, rating in enumerate([1, 3, 3, 4]):
        ReviewLog.objects.create(
            learner=learner,
            card=content["cards"][i],
            rating=rating,
            reviewed_at=yesterday,
            state_after={},
            reps_before=0,
        )
    # 19:00 UTC on 11 March is 00:30 on 12 March in Kolkata: today, not yesterday.
    ReviewLog.objects.create(
        learner=learner,
        card=content["cards"][5],
        rating=3,
        reviewed_at=dt.datetime(2025, 3, 11, 19, 0, tzinfo=dt.UTC),
        state_after={},
        reps_before=0,
    )
    MainsAnswerFactory(learner=learner, submitted_at=yesterday)
    MainsAnswerFactory(learner=other_learner, submitted_at=yesterday)
    panel = today_panel(learner, now)
    y = panel["yesterday"]
    assert (y["day"], y["cards"], y["recalled"], y["answers"]) == (D(2025, 3, 11), 4, 3, 1)
    assert y["line"] == "4 cards reviewed (75% recalled) · 1 Mains answer written"
    html = learner_client.get(reverse("home")).content.decode()
    assert "Yesterday:" in html


def test_dashboard_html_has_no_unrendered_template_tags(learner_client, learner, content):
    bulk_history(learner, content, size=40)
    html = learner_client.get(reverse("quizzes:progress")).content.decode()
    assert not re.search(r"{[{%]", html)

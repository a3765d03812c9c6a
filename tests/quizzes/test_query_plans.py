"""No learner page's SQL grows with other learners' rows (PostgreSQL query plans).

Every query a learner page (and the staff pages) sends is EXPLAINed with sequential scans
discouraged (`enable_seqscan = off`): if a history table is still read by a Seq Scan, no index
serves the query, and its cost grows with every other learner's history. The pages are checked
on two data sets, the second with ten times as many other learners with history.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import Attempt, MainsAnswer
from tests.factories import UserFactory, bulk_history, history_content

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]

HISTORY_TABLES = {
    "quizzes_reviewlog",
    "quizzes_cardstate",
    "quizzes_attempt",
    "quizzes_attemptitem",
    "quizzes_mainsanswer",
    "quizzes_noteprogress",
    "quizzes_cardmark",
    "quizzes_bookmark",
}


def seq_scans(plan: dict) -> set[str]:
    found = set()
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in HISTORY_TABLES:
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found |= seq_scans(child)
    return found


def scanned_tables(sql: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return seq_scans(plan[0]["Plan"])


def learner_pages(learner, content) -> list[str]:
    mock = Attempt.objects.filter(learner=learner, mode=Attempt.Mode.MOCK).first()
    answer = MainsAnswer.objects.filter(learner=learner).first()
    topic = content["topics"][0]
    return [
        "/",
        reverse("quizzes:topic-list"),
        topic.get_absolute_url(),
        reverse("quizzes:cards"),
        reverse("quizzes:review"),
        reverse("quizzes:cards-marked"),
        reverse("quizzes:prelims"),
        reverse("quizzes:attempt-result", args=[mock.pk]),
        reverse("quizzes:series"),
        reverse("quizzes:mains"),
        reverse("quizzes:mains-answer", args=[answer.pk]),
        reverse("quizzes:search") + "?q=japan",
        reverse("quizzes:progress"),
        reverse("quizzes:history"),
    ]


@pytest.mark.parametrize("others", [2, 20])
def test_learner_and_staff_pages_read_history_through_indexes(client, others):
    content = history_content()
    learner = UserFactory(username="asha")
    bulk_history(learner, content, size=120)
    for n in range(others):
        bulk_history(UserFactory(username=f"other{n}"), content, size=120)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    staff = UserFactory(username="mentor", is_staff=True)

    checks = [(learner, url) for url in learner_pages(learner, content)]
    checks += [
        (staff, reverse("quizzes:staff-learners")),
        (staff, reverse("quizzes:staff-learner", args=[learner.pk])),
    ]
    problems, explained = [], 0
    for user, url in checks:
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            tables = scanned_tables(sql)
            explained += 1
            if tables:
                problems.append(f"{url}: Seq Scan on {sorted(tables)} in {sql[:300]}")
    assert explained > 3 * len(checks)  # every page's reads were looked at
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_query_no_index_serves():
    from quizzes.models import ReviewLog

    unindexed = str(ReviewLog.objects.filter(duration_ms=8000).values("pk").query)
    assert scanned_tables(unindexed) == {"quizzes_reviewlog"}
    learner_scoped = str(ReviewLog.objects.filter(learner_id=1).values("pk").query)
    assert scanned_tables(learner_scoped) == set()

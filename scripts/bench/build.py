"""Build the benchmark's data set in the (empty) database DATABASE_URL names.

Run by scripts/bench/run.py as `python -m scripts.bench.build` with scripts.bench.settings.
Three steps, each printed with its time:

1. The real thing, small: migrate, load the shipped pack, `seed_demo` learners played through
   the services (reviews, practice, mocks, Mains), plus, through the same services, every
   seeded learner takes the shipped test-series papers and writes a few more Mains answers.
2. Multiplied in bulk SQL (INSERT ... SELECT over generate_series, never the services): each
   seeded learner is copied COPIES times with new ids. The first FULL_COPIES copies keep the
   whole history (heavy learners: the benchmark logs in as them); the others keep their card
   states, profile, notes and Mains answers but only a sample of reviews and attempts (lighter
   learners), except the first sectional paper, which every copy keeps: 10,000 takers.
3. The counters kept on write are recomputed from the copied rows (test-series histograms and
   per-question shares; the per-learner daily counters), then VACUUM ANALYZE.
"""

from __future__ import annotations

import os
import random
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scripts.bench.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

SEEDS = int(os.environ.get("BENCH_SEEDS", "24"))  # demo + learner-01 ... (seed_demo)
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "10000"))
FULL_COPIES = int(os.environ.get("BENCH_FULL_COPIES", "45"))
REVIEW_SAMPLE = 20  # a light copy keeps one review in 20 ...
ATTEMPT_SAMPLE = 8  # ... and one attempt in 8
EXTRA_MAINS = 3  # more Mains answers per seeded learner (through the service)

_t0 = time.monotonic()


def say(message: str) -> None:
    print(f"  [{time.monotonic() - _t0:6.1f} s] {message}", flush=True)


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def scalar(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


# ---- 1. the real thing, small ----------------------------------------------------------------


def seed() -> list[int]:
    call_command("migrate", "--noinput", verbosity=0)
    say("migrated")
    call_command("load_content", verbosity=0)
    say("content pack loaded")
    call_command("seed_demo", "--learners", str(SEEDS - 1), verbosity=0)
    users = get_user_model().objects.filter(is_staff=False).order_by("pk")
    ids = list(users.values_list("pk", flat=True))
    say(f"seed_demo: {len(ids)} learners with six weeks of history (through the services)")
    take_papers(users)
    write_more_mains(users)
    return ids


def take_papers(users) -> None:
    """Every seeded learner takes every shipped paper, answering like seed_demo does."""
    from content.models import Paper
    from quizzes.services import prelims as prelims_service
    from quizzes.services.series import paper_attempt_start

    papers = list(Paper.objects.published().order_by("pk"))
    now = timezone.now()
    for n, user in enumerate(users):
        rng = random.Random(f"papers-{user.username}")
        skill = rng.uniform(0.35, 0.75)
        for p, paper in enumerate(papers):
            t = now - dt_days(1 + (n + p) % 5, hours=rng.randint(0, 6))
            if paper.window(t) != "open":
                continue
            attempt = paper_attempt_start(learner=user, paper=paper, now=t)
            for order, key in attempt.items.values_list("order", "key"):
                t += dt_seconds(rng.randint(20, 70))
                if rng.random() < 0.15:
                    continue  # left blank
                right = rng.random() < skill
                chosen = key if right else rng.choice([i for i in range(4) if i != key])
                prelims_service.attempt_answer(
                    attempt_id=attempt.pk,
                    learner=user,
                    order=order,
                    action=prelims_service.PrelimsAction.SAVE,
                    chosen=chosen,
                    seconds=30,
                    now=t,
                )
            prelims_service.attempt_submit(attempt_id=attempt.pk, learner=user, now=t)
    say(f"every seeded learner took the {len(papers)} shipped papers (through the services)")


def write_more_mains(users) -> None:
    from content.models import MainsQuestion
    from quizzes.services import mains as mains_service

    questions = list(MainsQuestion.objects.published().order_by("pk"))
    now = timezone.now()
    for user in users:
        rng = random.Random(f"mains-{user.username}")
        # A question the learner answered already (seed_demo) would be refused as answered
        # "after the page was opened" when the earlier answer is newer than the made-up date.
        answered = set(user.mains_answers.values_list("question_id", flat=True))
        fresh = [q for q in questions if q.pk not in answered]
        for question in rng.sample(fresh, min(EXTRA_MAINS, len(fresh))):
            t = now - dt_days(rng.randint(1, 20))
            text = " ".join([question.text, *rng.sample(LOREM, 8)])
            mains_service.answer_submit(
                learner=user,
                question=question,
                text=text,
                answer_id=None,
                opened_at=t - dt_seconds(question.minutes * 60),
                base_seconds=0,
                now=t,
            )
    say(f"{EXTRA_MAINS} more Mains answers per seeded learner (through the service)")


LOREM = (
    "Japan is India's largest source of official development assistance.",
    "The Special Strategic and Global Partnership dates from 2014.",
    "The Mumbai-Ahmedabad high speed rail is financed by a soft loan.",
    "The Act East Forum coordinates projects in the North East.",
    "Both countries are members of the Quad with the United States and Australia.",
    "The 2+2 dialogue brings together foreign and defence ministers.",
    "Supply chain resilience is a shared concern after the pandemic.",
    "Civil nuclear cooperation was agreed in 2016.",
    "Malabar naval exercises include the Japan Maritime Self-Defense Force.",
    "Investment targets were raised at the annual summit.",
    "Way forward: timely delivery of projects and deeper people-to-people ties.",
    "Critics point to slow implementation and a narrow trade basket.",
)


def dt_days(days: int, hours: int = 0):
    import datetime as dt

    return dt.timedelta(days=days, hours=hours)


def dt_seconds(seconds: int):
    import datetime as dt

    return dt.timedelta(seconds=seconds)


# ---- 2. multiplied in bulk SQL ---------------------------------------------------------------


def quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def copy_table(table: str, replace: dict[str, str], source: str, where: str = "TRUE") -> int:
    """INSERT INTO table SELECT ... FROM generate_series(1, copies) k JOIN <source rows> r:
    every column as it is unless `replace` gives an expression (in terms of k and r)."""
    names = columns(table)
    select = ", ".join(replace.get(name, f'r."{name}"') for name in names)
    return sql(
        f"INSERT INTO {table} ({quoted(names)}) "
        f"SELECT {select} FROM generate_series(1, {COPIES}) AS k "
        f"JOIN {source} AS r ON TRUE WHERE {where}"
    )


def multiply(seed_ids: list[int]) -> None:
    global COPIES
    COPIES = -(-(LEARNERS - len(seed_ids)) // len(seed_ids))
    seeds = "(" + ",".join(str(i) for i in seed_ids) + ")"
    stride = {
        name: scalar(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        for name, table in (
            ("user", "auth_user"),
            ("attempt", "quizzes_attempt"),
            ("item", "quizzes_attemptitem"),
            ("answer", "quizzes_mainsanswer"),
        )
    }
    user = f"k * {stride['user']} + r.{{}}"
    attempt = f"k * {stride['attempt']} + r.{{}}"
    answer = f"k * {stride['answer']} + r.{{}}"

    def new_id(table: str) -> str:
        return f"k * {scalar(f'SELECT COALESCE(MAX(id), 0) + 1 FROM {table}')} + r.id"

    full = f"k <= {FULL_COPIES}"
    first_paper = scalar("SELECT MIN(id) FROM content_paper WHERE family = 'sectional'") or 0
    keep_attempt = (
        f"({full} OR r.paper_id = {first_paper} OR (r.paper_id IS NULL "
        f"AND r.id % {ATTEMPT_SAMPLE} = k % {ATTEMPT_SAMPLE}))"
    )
    steps = [
        (
            "auth_user",
            {
                "id": user.format("id"),
                "username": "r.username || '-' || k",
                "email": "k || '.' || r.email",
                "last_login": "NULL",
            },
            "auth_user",
            f"r.id IN {seeds}",
        ),
        (
            "studyapp_profile",
            {"id": new_id("studyapp_profile"), "user_id": user.format("user_id")},
            "studyapp_profile",
            f"r.user_id IN {seeds}",
        ),
        (
            "quizzes_noteprogress",
            {"id": new_id("quizzes_noteprogress"), "learner_id": user.format("learner_id")},
            "quizzes_noteprogress",
            f"r.learner_id IN {seeds}",
        ),
        (
            "quizzes_cardstate",
            {"id": new_id("quizzes_cardstate"), "learner_id": user.format("learner_id")},
            "quizzes_cardstate",
            f"r.learner_id IN {seeds}",
        ),
        (
            "quizzes_reviewlog",
            {"id": new_id("quizzes_reviewlog"), "learner_id": user.format("learner_id")},
            "quizzes_reviewlog",
            f"r.learner_id IN {seeds} AND ({full} OR r.id % {REVIEW_SAMPLE} = k % {REVIEW_SAMPLE})",
        ),
        (
            "quizzes_attempt",
            {"id": attempt.format("id"), "learner_id": user.format("learner_id")},
            "quizzes_attempt",
            f"r.learner_id IN {seeds} AND {keep_attempt}",
        ),
        (
            "quizzes_attemptitem",
            {"id": new_id("quizzes_attemptitem"), "attempt_id": attempt.format("attempt_id")},
            "quizzes_attemptitem JOIN quizzes_attempt a ON a.id = quizzes_attemptitem.attempt_id",
            f"a.learner_id IN {seeds} AND {keep_attempt.replace('r.', 'a.')}",
        ),
        (
            "quizzes_mainsanswer",
            {"id": answer.format("id"), "learner_id": user.format("learner_id")},
            "quizzes_mainsanswer",
            f"r.learner_id IN {seeds}",
        ),
        (
            "quizzes_mainsanswer_covered_points",
            {
                "id": new_id("quizzes_mainsanswer_covered_points"),
                "mainsanswer_id": answer.format("mainsanswer_id"),
            },
            "quizzes_mainsanswer_covered_points JOIN quizzes_mainsanswer m "
            "ON m.id = quizzes_mainsanswer_covered_points.mainsanswer_id",
            f"m.learner_id IN {seeds}",
        ),
        (
            "quizzes_bookmark",
            {"id": new_id("quizzes_bookmark"), "learner_id": user.format("learner_id")},
            "quizzes_bookmark",
            f"r.learner_id IN {seeds}",
        ),
    ]
    for table, replace, source, where in steps:
        if " JOIN " in source:
            count = copy_table_joined(table, replace, where)
        else:
            count = copy_table(table, replace, source, where)
        say(f"{table}: +{count:,} rows")
    # The heavy learners (the seeds and their full copies): the benchmark logs in as them.
    sql(
        "CREATE TABLE bench_pool AS SELECT id AS user_id FROM auth_user "
        f"WHERE NOT is_staff AND id < {(FULL_COPIES + 1) * stride['user']}"
    )
    for table in (
        "auth_user",
        "studyapp_profile",
        "quizzes_noteprogress",
        "quizzes_cardstate",
        "quizzes_reviewlog",
        "quizzes_attempt",
        "quizzes_attemptitem",
        "quizzes_mainsanswer",
        "quizzes_mainsanswer_covered_points",
        "quizzes_bookmark",
    ):
        sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def copy_table_joined(table: str, replace: dict[str, str], where: str) -> int:
    """copy_table for a child table whose rows are chosen by their parent (items by their
    attempt, covered points by their answer): the parent is joined as `a`/`m`."""
    names = columns(table)
    select = ", ".join(replace.get(name, f'r."{name}"') for name in names)
    parent, column = (
        ("quizzes_attempt a", "attempt_id")
        if table == "quizzes_attemptitem"
        else ("quizzes_mainsanswer m", "mainsanswer_id")
    )
    alias = parent.split()[1]
    return sql(
        f"INSERT INTO {table} ({quoted(names)}) "
        f"SELECT {select} FROM generate_series(1, {COPIES}) AS k "
        f"JOIN {table} AS r ON TRUE JOIN {parent} ON {alias}.id = r.{column} WHERE {where}"
    )


# ---- 3. counters -----------------------------------------------------------------------------


def recount() -> None:
    """The counters the services keep on write, recomputed from the copied rows."""
    sql("DELETE FROM quizzes_paperscore")
    sql(
        "INSERT INTO quizzes_paperscore (paper_id, score_thirds, takers) "
        "SELECT paper_id, score_thirds, COUNT(*) FROM quizzes_attempt "
        "WHERE ranked AND submitted_at IS NOT NULL AND score_thirds IS NOT NULL "
        "GROUP BY paper_id, score_thirds"
    )
    sql("DELETE FROM quizzes_paperquestionstat")
    sql(
        "INSERT INTO quizzes_paperquestionstat (paper_id, question_id, picks_0, picks_1, "
        'picks_2, picks_3, blank, "right") '
        "SELECT a.paper_id, i.question_id, "
        "COUNT(*) FILTER (WHERE i.chosen = 0), COUNT(*) FILTER (WHERE i.chosen = 1), "
        "COUNT(*) FILTER (WHERE i.chosen = 2), COUNT(*) FILTER (WHERE i.chosen = 3), "
        "COUNT(*) FILTER (WHERE i.chosen IS NULL), COUNT(*) FILTER (WHERE i.chosen = i.key) "
        "FROM quizzes_attemptitem i JOIN quizzes_attempt a ON a.id = i.attempt_id "
        "WHERE a.ranked AND a.submitted_at IS NOT NULL AND a.score_thirds IS NOT NULL "
        "GROUP BY a.paper_id, i.question_id"
    )
    say("test-series counters recounted")
    from quizzes.services.activity import recount as activity_recount

    say(f"activity counters of {activity_recount():,} profiles recounted (staff list)")
    try:
        from quizzes.services.learner_days import learner_days_rebuild
    except ImportError:
        return
    learner_days_rebuild()
    say("per-learner daily counters rebuilt")


def main() -> None:
    with transaction.atomic():
        seed_ids = seed()
        multiply(seed_ids)
        recount()
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say("VACUUM ANALYZE")
    for table in (
        "auth_user",
        "quizzes_reviewlog",
        "quizzes_cardstate",
        "quizzes_attempt",
        "quizzes_attemptitem",
        "quizzes_mainsanswer",
    ):
        say(f"{table}: {scalar(f'SELECT COUNT(*) FROM {table}'):,} rows")


if __name__ == "__main__":
    main()

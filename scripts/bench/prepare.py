"""Prepare one benchmark run in the run database (a copy of the built data set): sessions for a
pool of heavy learners and a staff member, fresh targets for the writes, and one request file
per page for the load tool.

Run by scripts/bench/run.py as `python -m scripts.bench.prepare OUT_DIR`. Each line of a
request file is tab-separated: method, path, session cookie, htmx (0/1), form body. GET files
are cycled through; write files hold one fresh target per line (a due card at its current
review count, an open mock's question, a draft, an open mock to submit), used at most once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scripts.bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,  # noqa: E402
)
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from content.models import Flashcard, MainsQuestion, Paper, Topic, visible_q  # noqa: E402
from quizzes.models import Attempt, CardState, MainsAnswer  # noqa: E402

POOL = int(os.environ.get("BENCH_POOL", "300"))
CSRF_SECRET = "benchCsrfSecret0123456789abcdefg"  # 32 characters: Django's unmasked secret
RATE_PER_LEARNER = 40
SUBMITS_PER_LEARNER = 12
User = get_user_model()


def session_for(user) -> str:
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "studyapp.auth.ProfileBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; csrftoken={CSRF_SECRET}"


def line(method: str, path: str, cookie: str, body: dict | None = None, htmx=False) -> str:
    return "\t".join([method, path, cookie, "1" if htmx else "0", urlencode(body or {})])


def interleave(per_learner: list[list[str]]) -> list[str]:
    """Round-robin over learners, so consecutive targets belong to different learners."""
    out = []
    for i in range(max((len(x) for x in per_learner), default=0)):
        out.extend(x[i] for x in per_learner if i < len(x))
    return out


def open_mocks(learners: list, per_learner: int, now: dt.datetime) -> dict[int, list[int]]:
    """{learner id: ids of `per_learner` open 25-question mocks}, cloned in SQL from a
    submitted mock's items (some answered), with a deadline two hours ahead."""
    template = (
        Attempt.objects.filter(mode=Attempt.Mode.MOCK, paper=None, question_count=25)
        .exclude(submitted_at=None)
        .order_by("pk")
        .first()
    )
    base = Attempt.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    ids = {}
    rows = []
    for n, learner in enumerate(learners):
        ids[learner.pk] = [base + n * per_learner + i for i in range(per_learner)]
        rows.extend((pk, learner.pk) for pk in ids[learner.pk])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_open (id bigint, learner_id bigint) ON COMMIT DROP")
        cursor.executemany("INSERT INTO bench_open VALUES (%s, %s)", rows)
        cursor.execute(
            "INSERT INTO quizzes_attempt (id, learner_id, mode, title, settings, started_at, "
            "deadline, submitted_at, auto_submitted, score_thirds, correct_count, wrong_count, "
            "blank_count, question_count, paper_id, ranked, family) "
            "SELECT o.id, o.learner_id, 'mock', a.title, a.settings, %s, %s, NULL, false, NULL, "
            "0, 0, 0, a.question_count, NULL, false, a.family "
            "FROM bench_open o JOIN quizzes_attempt a ON a.id = %s",
            [now - dt.timedelta(minutes=5), now + dt.timedelta(hours=2), template.pk],
        )
        cursor.execute(
            'INSERT INTO quizzes_attemptitem (attempt_id, question_id, "order", snapshot, key, '
            "chosen, is_correct, visited, marked_for_review, seconds_spent, answered_at) "
            'SELECT o.id, i.question_id, i."order", i.snapshot, i.key, '
            'CASE WHEN (o.id + i."order") %% 3 = 0 THEN NULL '
            'WHEN (o.id + i."order") %% 3 = 1 THEN i.key ELSE (i.key + 1) %% 4 END, '
            'NULL, true, false, 40, CASE WHEN (o.id + i."order") %% 3 = 0 THEN NULL ELSE %s END '
            "FROM bench_open o JOIN quizzes_attemptitem i ON i.attempt_id = %s",
            [now - dt.timedelta(minutes=2), template.pk],
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('quizzes_attempt', 'id'), "
            "(SELECT MAX(id) FROM quizzes_attempt))"
        )
    return ids


@transaction.atomic
def main(out: Path) -> None:
    now = timezone.now()
    rng = random.Random(7)
    out.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT user_id FROM bench_pool ORDER BY user_id")
        heavy = [row[0] for row in cursor.fetchall()]
    pool = list(User.objects.filter(pk__in=rng.sample(heavy, min(POOL, len(heavy)))).order_by("pk"))
    cookies = {u.pk: session_for(u) for u in pool}
    staff, _ = User.objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "email": "staff@bench.invalid"}
    )
    staff_cookie = session_for(staff)
    topics = list(Topic.objects.visible().values_list("slug", flat=True))
    # The first sectional paper: every learner of the data set took it (10,000 takers).
    paper = Paper.objects.filter(family="sectional").order_by("pk").first()
    latest = {}
    ranked = {}
    for a in Attempt.objects.filter(learner__in=pool, submitted_at__isnull=False).order_by(
        "submitted_at"
    ):
        if a.paper_id is None:
            latest[a.learner_id] = a.pk
        elif a.paper_id == paper.pk and a.ranked:
            ranked[a.learner_id] = a.pk

    gets = {
        "bare view": lambda u: line("GET", "/bench/bare/", cookies[u.pk]),
        "/": lambda u: line("GET", "/", cookies[u.pk]),
        "/topics/": lambda u: line("GET", "/topics/", cookies[u.pk]),
        "/topics/<slug>/": lambda u: line("GET", f"/topics/{rng.choice(topics)}/", cookies[u.pk]),
        "/cards/": lambda u: line("GET", "/cards/", cookies[u.pk]),
        "/cards/review/": lambda u: line("GET", "/cards/review/", cookies[u.pk]),
        "/prelims/": lambda u: line("GET", "/prelims/", cookies[u.pk]),
        "/prelims/attempts/<id>/result/": lambda u: (
            line("GET", f"/prelims/attempts/{latest[u.pk]}/result/", cookies[u.pk])
            if u.pk in latest
            else None
        ),
        "/tests/": lambda u: line("GET", "/tests/", cookies[u.pk]),
        "/tests/<slug>/": lambda u: line("GET", f"/tests/{paper.slug}/", cookies[u.pk]),
        "paper result (rank)": lambda u: (
            line("GET", f"/prelims/attempts/{ranked[u.pk]}/result/", cookies[u.pk])
            if u.pk in ranked
            else None
        ),
        "/mains/": lambda u: line("GET", "/mains/", cookies[u.pk]),
        "/search/?q=japan": lambda u: line("GET", "/search/?q=japan", cookies[u.pk]),
        "/progress/": lambda u: line("GET", "/progress/", cookies[u.pk]),
        "/progress/history/": lambda u: line("GET", "/progress/history/", cookies[u.pk]),
        "/staff/learners/": lambda u: line("GET", "/staff/learners/", staff_cookie),
        "/staff/learners/<id>/": lambda u: line("GET", f"/staff/learners/{u.pk}/", staff_cookie),
    }
    pages = []
    for name, make in gets.items():
        lines = [x for x in (make(u) for u in pool) if x]
        pages.append(write(out, name, "GET", lines))

    # Writes: fresh targets only.
    cards = list(
        CardState.objects.filter(visible_q(Flashcard, "card"), learner__in=pool)
        .order_by("learner", "card")
        .values_list("pk", "learner_id", "card_id", "reps")
    )
    chosen_states, rate = [], {u.pk: [] for u in pool}
    for pk, learner_id, card_id, reps in cards:
        if len(rate[learner_id]) < RATE_PER_LEARNER:
            chosen_states.append(pk)
            rate[learner_id].append(
                line(
                    "POST",
                    "/cards/review/rate/",
                    cookies[learner_id],
                    {"card": card_id, "reps": reps, "rating": rng.choice("2334")},
                    htmx=True,
                )
            )
    # The chosen cards come due an hour ago, so each rating is accepted (a real write).
    CardState.objects.filter(pk__in=chosen_states).update(due=now - dt.timedelta(hours=1))
    pages.append(write(out, "rate a card", "POST", interleave(list(rate.values()))))

    mocks = open_mocks(pool, SUBMITS_PER_LEARNER + 1, now)
    answers = [
        [
            line(
                "POST",
                f"/prelims/attempts/{mocks[u.pk][0]}/answer/",
                cookies[u.pk],
                {"order": order, "choice": (order + n) % 4, "action": "save"},
                htmx=True,
            )
            for n in range(3)
            for order in range(1, 26)
        ]
        for u in pool
    ]
    pages.append(write(out, "answer a mock item", "POST", interleave(answers)))

    question = MainsQuestion.objects.visible().order_by("pk").first()
    drafts = {}
    for u in pool:
        drafts[u.pk] = MainsAnswer.objects.create(
            learner=u, question=question, text="", started_at=now, saved_at=now
        ).pk
    autosaves = [
        [
            line(
                "POST",
                f"/mains/{question.pk}/autosave/",
                cookies[u.pk],
                {
                    "text": f"Draft {n} of {u.username}: Japan's ODA in the North East. " * 8,
                    "answer": drafts[u.pk],
                    "opened_at": f"{now.timestamp() - 300:.3f}",
                    "base_seconds": 0,
                },
                htmx=True,
            )
            for n in range(25)
        ]
        for u in pool
    ]
    pages.append(write(out, "autosave Mains", "POST", interleave(autosaves)))
    submits = [
        [line("POST", f"/prelims/attempts/{pk}/submit/", cookies[u.pk]) for pk in mocks[u.pk][1:]]
        for u in pool
    ]
    pages.append(write(out, "submit a mock", "POST", interleave(submits)))
    (out / "pages.json").write_text(json.dumps({"csrf": CSRF_SECRET, "pages": pages}, indent=1))
    print(f"  {len(pool)} learners with sessions, {len(pages)} request files in {out}")


def write(out: Path, name: str, method: str, lines: list[str]) -> dict:
    slug = "".join(c if c.isalnum() else "-" for c in name).strip("-") or "root"
    path = out / f"{slug}.tsv"
    path.write_text("\n".join(lines) + "\n")
    return {"name": name, "method": method, "file": str(path), "count": len(lines)}


if __name__ == "__main__":
    main(Path(sys.argv[1]))

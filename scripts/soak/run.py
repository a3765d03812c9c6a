"""`make soak`: two gunicorn servers sharing PostgreSQL and Redis sessions, 64 learners doing
the real mix for five minutes (locust, headless), one server killed (SIGKILL) and restarted
mid-run, then every acknowledged write reconciled against the database.

Not part of CI. Needs PostgreSQL (SOAK_DATABASE_URL, default the local server) and Redis
(SOAK_REDIS_URL). Knobs: SOAK_USERS (64), SOAK_SECONDS (300).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
USERS = int(os.environ.get("SOAK_USERS", "64"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "300"))
PORTS = (8101, 8102)
PG = os.environ.get("SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/studyapp_soak")
REDIS = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/7")
OUT = Path(os.environ.get("SOAK_OUT", "/tmp/studyapp-soak"))
PASSWORD = "soak-password-2025"

ENV = {
    **os.environ,
    "DATABASE_URL": PG,
    "REDIS_URL": REDIS,
    "DEBUG": "false",
    "SECRET_KEY": "soak-only-4Lq9Wz2Xr7Nb5Vc1Mk8Jd3Hf6Gt0Ys2Ua9",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def prepare() -> None:
    import psycopg

    base, name = PG.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    manage("migrate", "--noinput", "-v", "0")
    manage("load_content")
    manage("collectstatic", "--noinput", "-v", "0")
    script = (
        "from django.contrib.auth import get_user_model; from profiles.models import Profile;"
        f"U = get_user_model(); h = U(); h.set_password('{PASSWORD}'); p = h.password;"
        "users = U.objects.bulk_create([U(username=f'soak{n:03d}', password=p,"
        f" email=f'soak{{n:03d}}@example.com') for n in range({USERS})]);"
        "Profile.objects.bulk_create([Profile(user=u) for u in users])"
    )
    manage("shell", "-c", script)


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "studyapp.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--timeout", "30", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=ENV, start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn on port {port} did not start")


def stop(server: subprocess.Popen, sig=signal.SIGTERM) -> None:
    try:
        os.killpg(server.pid, sig)
    except ProcessLookupError:
        return
    server.wait(timeout=30)


def reconcile(acks_path: Path) -> dict[str, tuple[int, int]]:
    """(acknowledged, found in the database) per kind of write."""
    os.environ.update({k: ENV[k] for k in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from quizzes.models import AttemptItem, MainsAnswer, ReviewLog

    acks = [json.loads(line) for line in acks_path.read_text().splitlines() if line.strip()]
    ratings = [a for a in acks if a["kind"] == "rating"]
    kept = set(ReviewLog.objects.values_list("learner__username", "card_id", "reps_before"))
    found_ratings = sum((a["learner"], a["card"], a["reps"]) in kept for a in ratings)
    # Each answer post overwrites the item's choice: the last acknowledged one must be there.
    last_answer: dict[tuple[int, int], int] = {}
    for a in acks:
        if a["kind"] == "answer":
            last_answer[(a["attempt"], a["order"])] = a["choice"]
    chosen = {
        (i.attempt_id, i.order): i.chosen
        for i in AttemptItem.objects.filter(attempt_id__in={k[0] for k in last_answer})
    }
    found_answers = sum(chosen.get(k) == v for k, v in last_answer.items())
    last_draft: dict[int, dict] = {}
    for a in acks:
        if a["kind"] == "draft" and a["t"] >= last_draft.get(a["answer"], {"t": 0})["t"]:
            last_draft[a["answer"]] = a
    texts = dict(MainsAnswer.objects.filter(pk__in=last_draft).values_list("pk", "text"))
    # The draft holds the last acknowledged text, or one sent after it by the same learner
    # (saved, but its response never arrived): anything else would be a lost write.
    sent = {a["text"]: a["t"] for a in acks if a["kind"] == "draft-sent"}
    found_drafts = sum(
        texts.get(pk) == a["text"] or sent.get(texts.get(pk), -1) >= a["t"]
        for pk, a in last_draft.items()
    )
    return {
        "card ratings": (len(ratings), found_ratings),
        "Prelims answers (last per question)": (len(last_answer), found_answers),
        "Mains drafts (last per answer)": (len(last_draft), found_drafts),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    acks = OUT / "acks.jsonl"
    acks.unlink(missing_ok=True)
    print(f"== preparing {PG} and {REDIS}")
    prepare()
    servers = {port: start_server(port) for port in PORTS}
    hosts = ",".join(f"http://127.0.0.1:{p}" for p in PORTS)
    print(f"== {USERS} learners for {SECONDS} s on {hosts}")
    load = subprocess.Popen(
        [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
         "-u", str(USERS), "-r", "16", "-t", f"{SECONDS}s", "--host", hosts.split(",")[0],
         "--csv", str(OUT / "soak"), "--only-summary", "--stop-timeout", "10"],
        cwd=ROOT, env={**ENV, "SOAK_HOSTS": hosts, "SOAK_ACKS": str(acks),
                       "SOAK_PASSWORD": PASSWORD},
    )  # fmt: skip
    time.sleep(SECONDS * 0.4)
    victim = PORTS[0]
    print(f"== kill -9 the server on port {victim} (t={SECONDS * 0.4:.0f} s)")
    stop(servers[victim], signal.SIGKILL)
    time.sleep(15)
    print(f"== restart the server on port {victim}")
    servers[victim] = start_server(victim)
    load.wait()
    for server in servers.values():
        stop(server)
    with open(OUT / "soak_stats.csv", encoding="utf-8") as f:
        total = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    results = reconcile(acks)
    lost = sum(acked - found for acked, found in results.values())
    print("\n== soak results")
    print(f"requests {total['Request Count']}, errors {total['Failure Count']}, "
          f"p50 {total['50%']} ms, p99 {total['99%']} ms, "
          f"{float(total['Requests/s']):.1f} req/s")  # fmt: skip
    for kind, (acked, found) in results.items():
        print(f"{kind}: {acked} acknowledged, {found} in the database, {acked - found} lost")
    print(f"lost writes: {lost}")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()

"""`make bench`: the learner pages and writes under load on a large PostgreSQL data set, each
compared with a bare template view served by the same gunicorn in the same run.

1. The data set (scripts/bench/build.py) is built once into the template database
   `studyapp_bench_seed` and rebuilt only when its fingerprint changes (migrations, the content
   pack, the builder, seed_demo, the knobs) or it is older than BENCH_SEED_MAX_DAYS (its
   history is relative to the day it was built). Each run copies it into `studyapp_bench`
   (CREATE DATABASE ... TEMPLATE: seconds), then prepare.py makes sessions and write targets.
2. gunicorn, 2 sync workers, production settings plus the bare view and a SQL-timing header
   (scripts.bench.settings); wrk (with requests.lua) at 16 connections per page for
   BENCH_SECONDS (default 10), or locust headless when wrk is not installed.
3. A few plain requests per page read the SQL headers (queries, SQL ms per request).
4. One table on stdout, the same as JSON in .bench/latest.json. gunicorn is stopped and the
   run database dropped at the end, on failure and on Ctrl-C.

Knobs: BENCH_SECONDS, BENCH_CONNECTIONS (16), BENCH_PAGES (comma-separated names to run only
some), BENCH_DATABASE_URL (else DATABASE_URL if PostgreSQL, else postgres://postgres@127.0.0.1),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/9 when reachable; "none" for local memory).
BENCH_PAGE_CACHE ("on": learner pages cached and each page's learners viewed once before it
is timed; "off": every request builds its page). The SQL columns come from first views.
`make bench-clean` (run.py --clean) drops the bench databases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OUT = ROOT / ".bench"
PY = sys.executable
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SEED_MAX_DAYS = float(os.environ.get("BENCH_SEED_MAX_DAYS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8199"))
SAMPLES = 5
# "on": learner pages cached as the site runs (studyapp.freshness), each page's learners viewed
# once before it is timed (a warm cache: repeat views, no write in between); "off": every
# request builds its page (what a first view after a write costs).
PAGE_CACHE = os.environ.get("BENCH_PAGE_CACHE", "on").lower() not in ("off", "false", "0")
SEED_DB, RUN_DB = "studyapp_bench_seed", "studyapp_bench"


def server_url() -> str:
    """The PostgreSQL server (URL without a database name)."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url.rsplit("/", 1)[0]


def redis_url() -> str:
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    if url == "none":
        return ""
    host, _, port = url.split("//", 1)[1].split("/", 1)[0].partition(":")
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError:
        print(f"  (no Redis at {url}: local-memory cache, database sessions)")
        return ""
    return url


def env(database: str, redis: str = "") -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{server_url()}/{database}",
        "REDIS_URL": redis,
        "DJANGO_SETTINGS_MODULE": "scripts.bench.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-8Tz3Qw6Xn1Lp5Rv9Ck2Hj7Fd4Gs0Ym",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
        "PAGE_CACHE": "true" if PAGE_CACHE else "false",
    }


def admin(*statements: str):
    """Run statements on the server's `postgres` database (autocommit); the last one's rows."""
    import psycopg

    with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as conn:
        rows = None
        for statement in statements:
            cursor = conn.execute(statement)
            rows = cursor.fetchall() if cursor.description else None
        return rows


# ---- the data set ----------------------------------------------------------------------------


def fingerprint() -> str:
    digest = hashlib.sha256()
    files = sorted(
        [
            *ROOT.glob("*/migrations/*.py"),
            *(ROOT / "content" / "packs").rglob("*"),
            HERE / "build.py",
            ROOT / "quizzes" / "management" / "commands" / "seed_demo.py",
        ]
    )
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    for knob in ("BENCH_SEEDS", "BENCH_LEARNERS", "BENCH_FULL_COPIES"):
        digest.update(f"{knob}={os.environ.get(knob, '')}".encode())
    return digest.hexdigest()[:16]


def seed_comment() -> str:
    rows = admin(
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{SEED_DB}'"
    )
    return (rows[0][0] or "") if rows else ""


def ensure_seed() -> None:
    want = fingerprint()
    have = seed_comment()
    if have:
        print_, built = have.split(" ", 1) if " " in have else (have, "")
        age = (time.time() - float(built or 0)) / 86400
        if print_ == want and age <= SEED_MAX_DAYS:
            print(f"== data set: reusing {SEED_DB} (fingerprint {want}, {age:.1f} days old)")
            return
        reason = "older than BENCH_SEED_MAX_DAYS" if print_ == want else "fingerprint changed"
        print(f"== data set: rebuilding {SEED_DB} ({reason})")
    else:
        print(f"== data set: building {SEED_DB} (first run: a few minutes)")
    building = f"{SEED_DB}_build"
    admin(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)', f'CREATE DATABASE "{building}"')
    subprocess.run([PY, "-m", "scripts.bench.build"], cwd=ROOT, env=env(building), check=True)
    admin(
        f'DROP DATABASE IF EXISTS "{SEED_DB}" WITH (FORCE)',
        f'ALTER DATABASE "{building}" RENAME TO "{SEED_DB}"',
        f"COMMENT ON DATABASE \"{SEED_DB}\" IS '{want} {time.time():.0f}'",
    )


def create_run_db() -> None:
    start = time.monotonic()
    admin(
        f'DROP DATABASE IF EXISTS "{RUN_DB}" WITH (FORCE)',
        f'CREATE DATABASE "{RUN_DB}" TEMPLATE "{SEED_DB}" STRATEGY FILE_COPY',
    )
    print(f"== run database {RUN_DB} copied from {SEED_DB} in {time.monotonic() - start:.1f} s")


def drop_run_db() -> None:
    try:
        admin(f'DROP DATABASE IF EXISTS "{RUN_DB}" WITH (FORCE)')
    except Exception as exc:  # noqa: BLE001 - cleanup reports and goes on
        print(f"  (could not drop {RUN_DB}: {exc})")


def clean() -> None:
    for name in (RUN_DB, SEED_DB, f"{SEED_DB}_build"):
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped {name} (if it existed)")
    shutil.rmtree(OUT / "requests", ignore_errors=True)


# ---- the server --------------------------------------------------------------------------------


def start_server(run_env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "studyapp.wsgi", "-b", f"127.0.0.1:{PORT}",
         "-w", "2", "--timeout", "60", "--access-logfile", "/dev/null",
         "--error-logfile", str(OUT / "gunicorn.log")],
        cwd=ROOT, env=run_env, start_new_session=True,
    )  # fmt: skip
    for _ in range(150):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}): see {OUT}/gunicorn.log")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start: see .bench/gunicorn.log")


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)


# ---- measuring -------------------------------------------------------------------------------


def parse_line(text: str) -> tuple[str, str, dict, bytes | None]:
    method, path, cookie, htmx, body = text.rstrip("\n").split("\t", 4)
    headers = {"Cookie": cookie}
    if htmx == "1":
        headers["HX-Request"] = "true"
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Accept"] = "text/html,application/json"
    return method, path, headers, body.encode() if method == "POST" else None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def sample(page: dict, lines: list[str], csrf: str) -> dict:
    """SAMPLES plain requests (the first is a warm-up): status, SQL queries and ms."""
    statuses, queries, sql_ms = [], [], []
    for n, text in enumerate(lines[: SAMPLES + 1]):
        method, path, headers, body = parse_line(text)
        if method == "POST":
            headers["X-CSRFToken"] = csrf
        req = urllib.request.Request(
            f"http://127.0.0.1:{PORT}{path}", data=body, headers=headers, method=method
        )
        try:
            response = OPENER.open(req, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        statuses.append(response.status)
        if n:
            queries.append(int(response.headers.get("X-Bench-Queries", 0)))
            sql_ms.append(float(response.headers.get("X-Bench-SQL-ms", 0)))
        response.read()
    ok = all(200 <= s < 400 for s in statuses) and (
        page["method"] == "POST" or all(s == 200 for s in statuses)
    )
    return {
        "statuses": sorted(set(statuses)),
        "ok": ok,
        "queries": statistics.median(queries) if queries else None,
        "sql_ms": statistics.median(sql_ms) if sql_ms else None,
    }


def warm(lines: list[str]) -> float:
    """View each distinct GET line once (4 at a time), so the timed run sees a warm cache."""
    from concurrent.futures import ThreadPoolExecutor

    def view(text: str) -> None:
        _, path, headers, _ = parse_line(text)
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers)
        with contextlib.suppress(urllib.error.HTTPError), OPENER.open(request, timeout=30) as r:
            r.read()

    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(view, sorted(set(lines))))
    return time.monotonic() - started


def load_wrk(page: dict, path: Path, csrf: str) -> dict:
    threads = 2
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s",
         "-s", str(HERE / "requests.lua"), f"http://127.0.0.1:{PORT}",
         "--", str(path), csrf, str(threads)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH "))
    data = json.loads(line[6:])
    seconds = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "rps": data["requests"] / seconds,
        "p50_ms": data["p50_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "errors": data["status_errors"] + data["socket_errors"],
    }


def load_locust(page: dict, path: Path, csrf: str) -> dict:
    stats = OUT / "locust"
    subprocess.run(
        [str(Path(PY).parent / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
         "-u", str(CONNECTIONS), "-r", str(CONNECTIONS), "-t", f"{SECONDS}s",
         "--host", f"http://127.0.0.1:{PORT}", "--csv", str(stats), "--only-summary"],
        cwd=ROOT, env={**os.environ, "BENCH_FILE": str(path), "BENCH_CSRF": csrf},
        check=True, capture_output=True,
    )  # fmt: skip
    import csv

    with open(f"{stats}_stats.csv", encoding="utf-8") as f:
        total = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    return {
        "requests": int(total["Request Count"]),
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p99_ms": float(total["99%"]),
        "errors": int(total["Failure Count"]),
    }


def target(name: str, method: str) -> tuple[float, float]:
    """(minimum share of the bare view in %, maximum p99 in ms) from issue 13."""
    if method == "POST":
        return 20, 0
    if name.startswith("/staff/"):
        return 0, 150
    return 30, 100


def table(rows: list[dict], bare_rps: float) -> str:
    head = ("page", "req/s", "p50", "p99", "% of bare", "SQL q", "SQL ms", "errors", "target")
    lines = [
        "| " + " | ".join(head) + " |",
        "| " + " | ".join(["---"] + ["---:"] * (len(head) - 2) + ["---"]) + " |",
    ]
    for r in rows:
        share, p99 = target(r["name"], r["method"])
        goals = []
        if share and r["name"] != "bare view":
            goals.append(f"≥{share} %")
        if p99:
            goals.append(f"p99≤{p99}")
        met = (not share or r["name"] == "bare view" or r["share"] >= share) and (
            not p99 or r["p99_ms"] <= p99
        )
        verdict = ("met" if met and not r["errors"] else "MISSED") if goals else ""
        r["target"] = {"share": share, "p99_ms": p99, "met": bool(goals) and met}
        sql_q = "" if r["queries"] is None else f"{r['queries']:g}"
        sql_ms = "" if r["sql_ms"] is None else f"{r['sql_ms']:.1f}"
        lines.append(
            f"| `{r['name']}` | {r['rps']:.0f} | {r['p50_ms']:.0f} ms | {r['p99_ms']:.0f} ms | "
            f"{r['share']:.0f} % | {sql_q} | {sql_ms} | {r['errors']} | "
            f"{' '.join(goals)} {verdict}".rstrip()
            + " |"
        )
    return "\n".join(lines)


def counts(run_env: dict) -> dict:
    import psycopg

    with psycopg.connect(run_env["DATABASE_URL"]) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in (
                "auth_user",
                "quizzes_reviewlog",
                "quizzes_cardstate",
                "quizzes_attemptitem",
                "quizzes_mainsanswer",
            )
        }


def main() -> None:
    if "--clean" in sys.argv:
        clean()
        return
    OUT.mkdir(exist_ok=True)
    started = time.monotonic()
    load = load_wrk if shutil.which("wrk") else load_locust
    print(f"== load tool: {'wrk' if load is load_wrk else 'locust (no wrk on PATH)'}")
    server = None

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        ensure_seed()
        create_run_db()
        redis = redis_url()
        run_env = env(RUN_DB, redis)
        if redis:
            import redis as redis_client

            redis_client.Redis.from_url(redis).flushdb()
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT, env=run_env, check=True,
        )  # fmt: skip
        subprocess.run(
            [PY, "-m", "scripts.bench.prepare", str(OUT / "requests")],
            cwd=ROOT, env=run_env, check=True,
        )  # fmt: skip
        size = counts(run_env)
        print("== data set: " + ", ".join(f"{t} {n:,}" for t, n in size.items()))
        spec = json.loads((OUT / "requests" / "pages.json").read_text())
        csrf, pages = spec["csrf"], spec["pages"]
        only = [p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()]
        if only:
            pages = [p for p in pages if p["name"] in only or p["name"] == "bare view"]
        # The bare view runs first and last; its mean is the yardstick (the machine may drift).
        pages = [*pages, {**pages[0], "name": "bare view (again)"}]
        server = start_server(run_env)
        print(f"== gunicorn (2 workers) on :{PORT}; {CONNECTIONS} connections, {SECONDS} s a page")
        print(
            "== page cache on: each GET page's learners viewed once before it is timed"
            if PAGE_CACHE
            else "== page cache off: every request builds its page"
        )
        rows = []
        for page in pages:
            path = Path(page["file"])
            lines = path.read_text().splitlines()
            if page["method"] == "POST":
                # Sample on targets the load run will not reach (the end of the file).
                checked = sample(page, lines[-(SAMPLES + 1) :], csrf)
                (path.parent / f"{path.stem}.load.tsv").write_text(
                    "\n".join(lines[: -(SAMPLES + 1)]) + "\n"
                )
                path = path.parent / f"{path.stem}.load.tsv"
            else:
                checked = sample(page, lines, csrf)  # first views: the SQL a page build costs
                if PAGE_CACHE and not page["name"].startswith("bare view"):
                    warm(lines)
            if not checked["ok"]:
                print(f"  !! {page['name']}: status {checked['statuses']} on the plain requests")
            measured = load(page, path, csrf)
            row = {"name": page["name"], "method": page["method"], **measured, **checked}
            rows.append(row)
            print(
                f"  {page['name']:32} {row['rps']:7.0f} req/s  p50 {row['p50_ms']:6.0f} ms  "
                f"p99 {row['p99_ms']:6.0f} ms  SQL {row['queries']} q {row['sql_ms']} ms  "
                f"errors {row['errors']}",
                flush=True,
            )
        bare_rows = [r for r in rows if r["name"].startswith("bare view")]
        bare = statistics.mean(r["rps"] for r in bare_rows)
        rows = [r for r in rows if r["name"] != "bare view (again)"]
        rows[0]["rps"] = bare
        for r in rows:
            r["share"] = 100 * r["rps"] / bare
        text = table(rows, bare)
        print(f"\n== results (bare view: mean of {len(bare_rows)} runs, {bare:.0f} req/s)\n")
        print(text)
        machine = f"{platform.node()}, {os.cpu_count()} CPUs, {platform.platform()}"
        report = {
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine,
            "load_average": os.getloadavg(),
            "tool": "wrk" if load is load_wrk else "locust",
            "connections": CONNECTIONS,
            "seconds": SECONDS,
            "cache": "redis" if redis else "local memory",
            "page_cache": "on (warmed)" if PAGE_CACHE else "off",
            "data_set": size,
            "bare_rps": bare,
            "pages": rows,
            "table": text,
        }
        (OUT / "latest.json").write_text(json.dumps(report, indent=1))
        missed = [r["name"] for r in rows if r["target"]["share"] and not r["target"]["met"]]
        print(f"\n{machine}; load average {os.getloadavg()[0]:.1f}")
        print(f"written to .bench/latest.json in {time.monotonic() - started:.0f} s")
        if missed:
            print(f"targets missed: {', '.join(missed)}")
    except KeyboardInterrupt:
        print("\n== interrupted: cleaning up")
        sys.exit(130)
    finally:
        stop_server(server)
        drop_run_db()


if __name__ == "__main__":
    main()

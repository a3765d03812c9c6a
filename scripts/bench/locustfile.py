"""`make bench` without wrk: locust headless replays one request file (see prepare.py) the way
requests.lua does: GET lines cycled through, write targets each used once. A response that is
not 2xx/3xx is a failure (counted as an error in the table)."""

from __future__ import annotations

import itertools
import os

from locust import FastHttpUser, constant, task

CSRF = os.environ["BENCH_CSRF"]
with open(os.environ["BENCH_FILE"], encoding="utf-8") as f:
    LINES = [line.rstrip("\n").split("\t", 4) for line in f if line.strip()]
_next = itertools.cycle(LINES)


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task
    def replay(self):
        method, path, cookie, htmx, body = next(_next)
        headers = {"Cookie": cookie}
        if htmx == "1":
            headers["HX-Request"] = "true"
        if method == "POST":
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": CSRF,
                    "Accept": "text/html,application/json",
                }
            )
        with self.client.request(
            method,
            path,
            headers=headers,
            data=body if method == "POST" else None,
            name="page",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if 200 <= response.status_code < 400:
                response.success()
            else:
                response.failure(str(response.status_code))

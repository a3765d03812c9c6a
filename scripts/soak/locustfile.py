"""The soak's learners (locust): the real mix against two app servers, every acknowledged
write logged for the reconciliation.

Each learner logs in on one server (by number), and on a connection error switches to the
other: the soak kills one mid-run. Writes acknowledged by the server (a 2xx/3xx) are appended
to $SOAK_ACKS (JSON lines): card ratings by (learner, card, reps shown), Prelims answers by
(attempt, order, choice), Mains drafts by (answer id, text).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, task
from requests.exceptions import ConnectionError as RequestsConnectionError

HOSTS = os.environ["SOAK_HOSTS"].split(",")
ACKS = os.environ["SOAK_ACKS"]
PASSWORD = os.environ.get("SOAK_PASSWORD", "soak-password-2025")
_numbers = itertools.count()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CARD = re.compile(r'name="card" value="(\d+)"')
REPS = re.compile(r'name="reps" value="(\d+)"')
TOPIC = re.compile(r'href="/topics/([\w-]+)/"')
MAINS = re.compile(r'href="/mains/(\d+)/write/"')
ATTEMPT = re.compile(r"/prelims/attempts/(\d+)/")


def ack(record: dict) -> None:
    with open(ACKS, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


class Learner(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.number = next(_numbers)
        self.username = f"soak{self.number:03d}"
        self.server = self.number % len(HOSTS)
        self.topics: list[str] = []
        self.mains: list[str] = []
        self.login()

    # --- plumbing: one server, the other when it is down ---------------------------------

    def url(self, path: str) -> str:
        return HOSTS[self.server] + path

    def request(self, method: str, path: str, name: str, **kwargs):
        for _ in range(len(HOSTS)):
            try:
                with self.client.request(
                    method, self.url(path), name=name, catch_response=True, **kwargs
                ) as response:
                    if response.status_code >= 500 or response.status_code == 0:
                        response.failure(f"{response.status_code}")
                    else:
                        response.success()
                    if response.status_code == 0 and isinstance(
                        response.error, RequestsConnectionError
                    ):
                        raise response.error
                    return response
            except RequestsConnectionError:
                self.server = (self.server + 1) % len(HOSTS)  # sessions are in Redis: go on
        return None

    def csrf(self, html: str) -> str:
        match = CSRF.search(html)
        return match.group(1) if match else ""

    def login(self):
        page = self.request("GET", "/accounts/login/", "login page")
        if page is None:
            return
        self.request(
            "POST",
            "/accounts/login/",
            "login",
            data={"username": self.username, "password": PASSWORD,
                  "csrfmiddlewaretoken": self.csrf(page.text)},
            headers={"Referer": self.url("/accounts/login/")},
            allow_redirects=False,
        )  # fmt: skip

    def post(self, path: str, name: str, data: dict, referer: str, **kwargs):
        token = self.client.cookies.get("csrftoken", "")
        headers = {"Referer": self.url(referer), "X-CSRFToken": token, **kwargs.pop("headers", {})}
        return self.request(
            "POST", path, name, data={**data, "csrfmiddlewaretoken": token}, headers=headers,
            allow_redirects=False, **kwargs,
        )  # fmt: skip

    # --- the mix -------------------------------------------------------------------------

    @task(3)
    def home_and_topics(self):
        self.request("GET", "/", "home")
        page = self.request("GET", "/topics/", "topics")
        if page is not None and page.status_code == 200:
            self.topics = TOPIC.findall(page.text) or self.topics
        if self.topics:
            self.request("GET", f"/topics/{random.choice(self.topics)}/", "topic note")

    @task(5)
    def review_a_card(self):
        page = self.request("GET", "/cards/review/", "review")
        if page is None or page.status_code != 200:
            return
        card, reps = CARD.search(page.text), REPS.search(page.text)
        if not (card and reps):
            return
        response = self.post(
            "/cards/review/rate/", "rate",
            {"card": card.group(1), "reps": reps.group(1), "rating": random.choice("1334")},
            "/cards/review/",
        )  # fmt: skip
        if response is not None and response.status_code in (200, 302):
            ack({"kind": "rating", "learner": self.username, "card": int(card.group(1)),
                 "reps": int(reps.group(1))})  # fmt: skip

    @task(2)
    def practice(self):
        self.request("GET", "/prelims/", "prelims")
        start = self.post(
            "/prelims/start/", "start practice", {"mode": "practice", "count": "5", "pool": "all"},
            "/prelims/",
        )  # fmt: skip
        if start is None or start.status_code != 302:
            return
        match = ATTEMPT.search(start.headers.get("Location", ""))
        if not match:
            return
        attempt = match.group(1)
        self.request("GET", f"/prelims/attempts/{attempt}/", "attempt")
        for order in range(1, 4):
            choice = random.randrange(4)
            response = self.post(
                f"/prelims/attempts/{attempt}/answer/", "answer",
                {"order": str(order), "choice": str(choice), "action": "check"},
                f"/prelims/attempts/{attempt}/",
            )  # fmt: skip
            if response is not None and response.status_code in (200, 302):
                ack({"kind": "answer", "attempt": int(attempt), "order": order,
                     "choice": choice})  # fmt: skip

    @task(2)
    def write_mains(self):
        if not self.mains:
            page = self.request("GET", "/mains/", "mains")
            if page is None or page.status_code != 200:
                return
            self.mains = MAINS.findall(page.text)
            if not self.mains:
                return
        question = random.choice(self.mains)
        self.request("GET", f"/mains/{question}/write/", "mains write")
        answer_id = ""
        for n in range(3):
            text = (
                f"{self.username} draft {time.time():.3f} point {n}: Japan's ODA in the Northeast."
            )
            sent = time.time()
            # Logged before sending: a save the server made but whose answer was lost (server
            # killed, client timeout) may legitimately be newer than the last acknowledged one.
            ack({"kind": "draft-sent", "text": text, "t": sent})
            response = self.post(
                f"/mains/{question}/autosave/", "autosave",
                {"text": text, "answer": answer_id, "opened_at": f"{time.time() - 60:.3f}",
                 "base_seconds": "0"},
                f"/mains/{question}/write/", headers={"Accept": "application/json"},
            )  # fmt: skip
            if response is None or response.status_code != 200:
                return
            try:
                answer_id = str(response.json()["answer"])
            except (ValueError, KeyError):
                return
            ack({"kind": "draft", "answer": int(answer_id), "text": text, "t": sent})

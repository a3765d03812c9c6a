"""No input reaches a 500: hostile values in every GET parameter and form field of every learner
and staff URL (a Hypothesis property test; runs on SQLite and, with DATABASE_URL, PostgreSQL).

Nothing here lists pages by hand. The URL patterns come from the resolver (so a page added
tomorrow is covered tomorrow); a concrete URL for each comes from crawling the pages a learner
and a mentor see (real ids, real links); the parameters of a URL are the query keys of links
to it, the fields of every form that targets it, and the names its view reads from
request.GET/POST. Each parameter gets a fixed set of hostile values (far dates, unicode
digits, NUL, long strings) plus a few generated ones, deterministically (derandomize=True).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profiles.models import Profile
from quizzes import models as qm
from quizzes.services.prelims import attempt_start
from tests.factories import (
    MainsAnswerFactory,
    StaffFactory,
    UserFactory,
    bulk_history,
    history_content,
)

pytestmark = pytest.mark.django_db

# Pages that are not a learner's or a mentor's: Django admin (its own forms and tests), logging
# out (it would end the crawl's session).
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"logout"}

HOSTILE = [
    "9999-12-31",
    "0001-01-01",
    "²",  # passes str.isdigit(), int() refuses it
    "١٢",  # Arabic-Indic digits: int() accepts them
    "\x00",
    "x" * 5000,
    "-99999999999999999999999",
    "🙂'\"<b>",
]
GENERATED = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
)
GENERATED_EXAMPLES = 2


def _patterns(resolvers=None, prefix="", namespace=""):
    """(full name, route) for every named URL pattern, recursively."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            full_ns = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if entry.name not in EXCLUDED_NAMES:
                yield name, prefix + str(entry.pattern)


URL_PATTERNS = dict(_patterns())


# --- the crawl ---------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _PageParser(HTMLParser):
    """Links and forms (with their fields' default values) of one page."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("action") or self.base, (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "option" and self._select and not self._form.fields.get(self._select):
            self._form.fields[self._select] = a.get("value") or ""
        elif not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in {"submit", "button", "image", "reset"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                self._form.fields.setdefault(a["name"], "")
            else:
                self._form.fields[a["name"]] = a.get("value") or ""
        elif tag in {"input", "button"} and a.get("value") is not None:
            self._form.fields.setdefault(a["name"], a["value"])
        elif tag == "select":
            self._select = a["name"]
            self._form.fields.setdefault(a["name"], "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.fields[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


@dataclass
class Target:
    """What the crawl learned about one URL name."""

    path: str = ""
    get_params: dict[str, str] = field(default_factory=dict)
    post_forms: list[dict[str, str]] = field(default_factory=list)


def _name_of(path: str) -> tuple[str, str] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, path


def _crawl(clients: list[Client]) -> dict[str, Target]:
    """Visit every argument-free page, then each page they link to, once per URL name."""
    targets: dict[str, Target] = {}
    queue = [
        route_to_path(route)
        for name, route in URL_PATTERNS.items()
        if "<" not in route and not route.startswith("accounts/")
    ]
    seen: set[str] = set()
    crawled: set[str] = set()  # one page per URL name is enough
    while queue:
        path = queue.pop(0)
        found = _name_of(path)
        if path in seen or not found or found[0] in crawled:
            continue
        seen.add(path)
        crawled.add(found[0])
        for client in clients:
            response = client.get(path)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                break
        else:
            continue
        parser = _PageParser(path)
        parser.feed(response.content.decode())
        for href in parser.links:
            url = urlsplit(href)
            if url.netloc or not url.path.startswith("/"):
                continue
            found = _name_of(url.path)
            if not found:
                continue
            name, concrete = found
            target = targets.setdefault(name, Target(path=concrete))
            target.get_params.update(dict(parse_qsl(url.query, keep_blank_values=True)))
            queue.append(concrete)
        for form in parser.forms:
            found = _name_of(urlsplit(form.action).path)
            if not found:
                continue
            name, concrete = found
            target = targets.setdefault(name, Target(path=concrete))
            if form.method == "post":
                target.post_forms.append(form.fields)
            else:
                target.get_params.update(form.fields)
    return targets


def route_to_path(route: str) -> str:
    return "/" + route.replace("^", "").replace("$", "")


_SOURCE_NAMES = re.compile(r"request\.(GET|POST)(?:\.get(?:list)?\(\s*|\[)[\"']([\w-]+)[\"']")


def _names_read_by_view(path: str) -> dict[str, set[str]]:
    """GET/POST names the view function reads itself (request.GET.get("x"), request.POST["y"])."""
    func = inspect.unwrap(resolve(path).func)
    func = getattr(func, "view_class", func)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return {"GET": set(), "POST": set()}
    names: dict[str, set[str]] = {"GET": set(), "POST": set()}
    for method, name in _SOURCE_NAMES.findall(source):
        names[method].add(name)
    return names


# --- the world the crawl walks -----------------------------------------------------------


@pytest.fixture
def world():
    """A learner with some weeks of history, an open mock and a draft; a mentor."""
    learner = UserFactory(username="asha")
    Profile.objects.filter(user=learner).update(exam_date=dt.date(2030, 5, 26))
    content = history_content(topics=2, cards=3, questions=10)
    bulk_history(learner, content, size=40)
    attempt_start(learner=learner, mode=qm.Attempt.Mode.MOCK, count=5)
    MainsAnswerFactory(learner=learner, question=content["mains"][0], submitted_at=None)
    MainsAnswerFactory(learner=learner, question=content["mains"][1])
    staff = StaffFactory(username="mentor")
    # A 500 must come back as a response to count, not as an exception in the test.
    learner_client = Client(raise_request_exception=False)
    staff_client = Client(raise_request_exception=False)
    learner_client.force_login(learner)
    staff_client.force_login(staff)
    targets = _crawl([learner_client, staff_client])
    return {"learner": learner_client, "staff": staff_client, "targets": targets}


def _fallback_path(route: str) -> str:
    """A path for a pattern the crawl never reached: ids of 1, slugs of 'x'."""
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<(?:slug|str|path):\w+>|<\w+>", "x", path)
    return route_to_path(path)


def _client_for(world, path: str) -> Client:
    """The learner, unless only the mentor may open the page."""
    response = world["learner"].get(path)
    if response.status_code in {302, 403} and "/accounts/login/" in response.get("Location", "/"):
        return world["staff"]
    if response.status_code == 403:
        return world["staff"]
    return world["learner"]


def _refused_cleanly(response) -> bool:
    return response.status_code < 500


def test_no_input_to_any_learner_or_staff_page_gives_a_server_error(world):
    # The crawl must find real ids, or the pages behind them would only ever answer 404.
    found = world["targets"]
    for name in ("quizzes:topic-detail", "quizzes:attempt", "quizzes:mains-answer"):
        assert name in found and found[name].path != _fallback_path(URL_PATTERNS[name]), name
    assert "quizzes:staff-learner" in found

    failures: list[str] = []
    for name in sorted(URL_PATTERNS):
        failures += _fuzz_page(world, name)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])


def _fuzz_page(world, name: str) -> list[str]:
    target = world["targets"].get(name) or Target(path=_fallback_path(URL_PATTERNS[name]))
    path = target.path
    read = _names_read_by_view(path)
    get_params = dict(target.get_params)
    for extra in read["GET"]:
        get_params.setdefault(extra, "")
    post_forms = list(target.post_forms)
    if read["POST"] and not post_forms:
        post_forms = [dict.fromkeys(read["POST"], "")]
    client = _client_for(world, path)
    failures: list[str] = []
    failed: set[tuple[str, str]] = set()

    def check(method: str, data: dict[str, str], param: str, value: str) -> None:
        cache.clear()  # throttles must not hide what is behind them
        response = getattr(client, method)(path, {**data, param: value})
        if not _refused_cleanly(response) and (method, param) not in failed:
            failed.add((method, param))  # one line per parameter: the first value that broke it
            failures.append(
                f"{name}: {method.upper()} {path} {param}={value[:30]!r} → {response.status_code}"
            )

    def fuzz(method: str, data: dict[str, str], param: str) -> None:
        for value in HOSTILE:
            check(method, data, param, value)

        @settings(
            max_examples=GENERATED_EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(value=GENERATED)
        def generated(value):
            check(method, data, param, value)

        generated()

    baseline = client.get(path, get_params)
    if not _refused_cleanly(baseline):
        failures.append(f"{name}: GET {path} → {baseline.status_code}")
    for param in get_params:
        fuzz("get", get_params, param)
    for fields in post_forms[:1]:  # forms repeated down a page (one per row) share a shape
        for param in fields:
            if param != "csrfmiddlewaretoken":
                fuzz("post", fields, param)
    return failures

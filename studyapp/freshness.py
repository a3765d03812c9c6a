"""The page cache and the versions behind it: a learner's page is rebuilt after any write to
their rows or to the study material, on every worker, with or without Redis.

- Each learner's profile carries `data_version`; the one `ContentVersion` row counts changes to
  the study material. Both are read with the user (studyapp.auth: no query of their own).
- A write moves them forward: model signals catch every save and delete (services, admin,
  shell); `learner_changed()` and `content_changed()` are called where code writes with a bulk
  statement; the middleware `versions_after_writes` adds the user after any POST of theirs and
  the content after any POST to the admin. In a request the versions move once, after the
  view (one UPDATE however many rows it wrote), or within the UPDATE that records the
  learner's activity when nothing writes after it; outside a request (commands, tests), at once.
- `cached_render(request, template, name, build, now=..., parts=...)` keeps a rendered page
  under both versions, the learner's settings, the path and the minute (or, for a page that
  says when time alone next changes it, until then): a page never shows data older than the
  learner's last write or the last content edit, and shows what time alone changes (cards
  coming due, a new day) within a minute. What other learners' writes change
  is keyed by its own count (ranks: `parts=(takers,)`) or, on the staff list, kept for the
  minute; `content_cached()` keeps data of the study material alone (search results).
- A request that itself wrote builds afresh (its versions move after it ends).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

# Entries outlive their minute by a little (then they can never be asked for again).
TTL = 150

_local = threading.local()


def _state() -> dict:
    """This thread's request: whether one is running, and what it changed ("moved": learner
    ids and "content"; moved at its end, and never served from the cache meanwhile)."""
    if not hasattr(_local, "state"):
        _local.state = {"in_request": False, "moved": set(), "inline": set()}
    return _local.state


def _moved() -> set:
    return _state()["moved"]


# ---- moving versions forward --------------------------------------------------------------------


def learner_changed(user_id: int | None) -> None:
    """The learner's rows changed: their version moves, at the end of the request (one UPDATE
    for all of its writes), or at once outside a request (a command, the shell, a test)."""
    if user_id is None:
        return
    _moved().add(user_id)
    _state()["inline"].discard(user_id)  # written after any inline move: move again at the end
    if not _state()["in_request"]:
        _flush()


def moved_inline(user_id: int) -> None:
    """A service's own UPDATE of the learner's profile just moved their version too
    (quizzes.services.activity): the end of the request need not move it again, unless any
    statement writes after it (`versions_after_writes` watches them)."""
    if _state()["in_request"]:
        _moved().add(user_id)
        _state()["inline"].add(user_id)


@contextlib.contextmanager
def unkept_writes():
    """Writes to rows no kept page shows (the attempt palette's "visited" marks: the attempt
    page is never kept): they move no version, nor undo an inline move before them."""
    state = _state()
    state["unkept"] = True
    try:
        yield
    finally:
        state["unkept"] = False


def attempt_changed(attempt_id: int | None) -> None:
    """An attempt's rows changed: its learner's version moves (found in the same UPDATE)."""
    if attempt_id is None:
        return
    _moved().add(("attempt", attempt_id))
    if not _state()["in_request"]:
        _flush()


def content_changed() -> None:
    """The study material changed: every learner's cached page data is rebuilt."""
    _moved().add("content")
    if not _state()["in_request"]:
        _flush()


def _flush() -> None:
    from profiles.models import Profile
    from quizzes.models import Attempt
    from studyapp.models import ContentVersion

    moved = _moved()
    users = [pk for pk in moved if isinstance(pk, int) and pk not in _state()["inline"]]
    attempts = [key[1] for key in moved if isinstance(key, tuple)]
    if users or attempts:
        match = Q(user_id__in=users)
        if attempts:
            match |= Q(user_id__in=Attempt.objects.filter(pk__in=attempts).values("learner_id"))
        Profile.objects.filter(match).update(data_version=F("data_version") + 1)
    if "content" in moved and not ContentVersion.objects.filter(pk=1).update(value=F("value") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"value": 1})
    if not _state()["in_request"]:
        moved.clear()


# ---- which writes move which version -----------------------------------------------------------


def _on_write(sender, instance, **kwargs) -> None:
    from django.contrib.auth import get_user_model

    from content.models import Flashcard
    from profiles.models import Profile
    from quizzes.models import AttemptItem

    if kwargs.get("raw"):  # fixtures
        return
    if isinstance(instance, Flashcard) and instance.owner_id:
        learner_changed(instance.owner_id)  # a learner's own card: nobody else's pages
    elif sender._meta.app_label == "content":
        content_changed()
    elif isinstance(instance, AttemptItem):
        if AttemptItem._meta.get_field("attempt").is_cached(instance):
            learner_changed(instance.attempt.learner_id)
        else:
            attempt_changed(instance.attempt_id)
    elif isinstance(instance, Profile):
        learner_changed(instance.user_id)
    elif isinstance(instance, get_user_model()):
        learner_changed(instance.pk)
    elif sender._meta.app_label == "quizzes" and hasattr(instance, "learner_id"):
        learner_changed(instance.learner_id)


def _on_m2m(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and sender._meta.app_label == "content":
        content_changed()


# Deleting these comes in bulk (an account with its history, an own card with its ratings,
# the search index): a delete signal would make Django load every row first, so the code
# that deletes them calls learner_changed() or content_changed() instead.
NO_DELETE_SIGNAL = {
    "quizzes.reviewlog",
    "quizzes.cardstate",
    "quizzes.attemptitem",
    "content.searchentry",
    "content.searchterm",
}
WATCHED_APPS = {"content", "quizzes", "profiles"}


def connect() -> None:
    """Called once from StudyappConfig.ready()."""
    from django.apps import apps

    post_save.connect(_on_write, dispatch_uid="freshness-save")
    for model in apps.get_models():
        label = model._meta.label_lower
        if label not in NO_DELETE_SIGNAL and (
            model._meta.app_label in WATCHED_APPS or label == "auth.user"
        ):
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"freshness-delete-{model}")
    m2m_changed.connect(_on_m2m, dispatch_uid="freshness-m2m")


WRITES = ("INSERT", "UPDATE", "DELETE")


def versions_after_writes(get_response):
    """Moves the versions a request changed once, after the view (its transactions have
    committed by then): the learners whose rows its writes touched; the user after any
    non-GET request of theirs (whatever the view wrote, bulk statements included); the
    content after any non-GET request to the admin (its bulk actions too)."""

    def watch(execute, sql, params, many, context):
        state = _state()
        inline = state["inline"]
        if inline and not state.get("unkept") and sql.lstrip()[:6].upper() in WRITES:
            inline.clear()  # written after the inline move: move at the end after all
        return execute(sql, params, many, context)

    def middleware(request):
        state = _state()
        state["in_request"], state["moved"], state["inline"] = True, set(), set()
        try:
            with connection.execute_wrapper(watch):
                response = get_response(request)
        finally:
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                user = getattr(request, "_cached_user", None)
                if user is not None and user.is_authenticated:
                    state["moved"].add(user.pk)
                if request.path.startswith("/admin/"):
                    state["moved"].add("content")
            state["in_request"] = False
            if state["moved"]:
                _flush()
            state["moved"], state["inline"] = set(), set()
        return response

    return middleware


# ---- reading through the cache -----------------------------------------------------------------


def content_version(user) -> int:
    """The content version read with the user (studyapp.auth), else one small query."""
    value = getattr(user, "content_version", None)
    if value is None:
        from studyapp.models import ContentVersion

        value = ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0
        user.content_version = value
    return value


# Rendered in place of the CSRF token in a kept page; each request puts its own token back.
CSRF_STANDIN = "csrf-token-standin-0f6c2e9a4b7d1358aa90c4e2b6d8f1a3c5e7092b4d6f8a1c3e5b7d9f"


# `changes_at` of a page that time alone changes at any minute (relative times, countdowns).
EVERY_MINUTE = "minute"
# How long a page that time does not change (or not soon) is kept at most.
LONG_TTL = 3600


def cached_render(
    request,
    template: str,
    name: str,
    build,
    *,
    now: dt.datetime,
    parts=(),
    status: int = 200,
    changes_at=EVERY_MINUTE,
) -> HttpResponse:
    """`render(request, template, build())`, kept per learner under both versions, their
    settings, the full path and `parts`; `build` returns the context, or (context, status).
    The page is kept with a stand-in for the CSRF token, so every request gets its own; a
    request with flash messages to show, one that wrote, or one that is not a GET renders
    afresh.

    Time: by default the page is kept for the learner's minute. `changes_at=None` is a page
    time never changes (kept up to LONG_TTL); a callable `changes_at(now)` gives the next
    moment time alone changes the page (a card coming due, the learner's midnight; None: none
    soon), and the page is kept until then."""
    learner = request.user
    profile = _profile_of(learner)
    moved = _moved()
    messages = getattr(request, "_messages", None)
    if (
        not settings.PAGE_CACHE
        or request.method != "GET"
        or profile is None
        or learner.pk in moved
        or "content" in moved
        or (messages is not None and len(messages))
    ):
        context, status = _with_status(build(), status)
        return render(request, template, context, status=status)
    timed = changes_at == EVERY_MINUTE
    when = _minute(now, learner.pk) if timed else "-"
    key = (
        f"html:{name}:{_learner_key(learner, profile)}:{when}:"
        f"{_digest((template, request.get_full_path(), parts))}"
    )
    hit = cache.get(key)
    if hit is None:
        ttl = TTL if timed else _seconds_until(changes_at(now) if changes_at else None, now)
        context, status = _with_status(build(), status)
        context = {**context, "csrf_token": CSRF_STANDIN}
        hit = (status, render_to_string(template, context, request))
        if ttl > 0:
            cache.set(key, hit, ttl)
    status, html = hit
    return HttpResponse(html.replace(CSRF_STANDIN, get_token(request)), status=status)


def _minute(now: dt.datetime, user_id: int) -> int:
    """The minute of `now`, each learner's starting at their own second (their id modulo 60),
    so keys do not all change at once (a rush of rebuilds every minute on the minute)."""
    return int((now.timestamp() + user_id % 60) // 60)


def _seconds_until(moment: dt.datetime | None, now: dt.datetime) -> int:
    """Whole seconds from `now` until `moment` (rounded down: never kept past it), at most
    LONG_TTL; 0 (not kept) when it is less than a second away."""
    if moment is None:
        return LONG_TTL
    return max(0, min(LONG_TTL, int((moment - now).total_seconds())))


def _with_status(built, status: int) -> tuple[dict, int]:
    return built if isinstance(built, tuple) else (built, status)


def content_cached(user, name: str, build, *, parts=()):
    """What `build()` returns for `parts` from the study material alone (the same for every
    learner), kept while the content version stays."""
    if not settings.PAGE_CACHE or "content" in _moved():
        return build()
    key = f"content:{name}:{content_version(user)}:{_digest(parts)}"
    return _through_cache(key, build, ttl=3600)


def _digest(parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _through_cache(key: str, build, ttl: int = TTL):
    hit = cache.get(key)  # a 1-tuple, so a built None is kept too
    if hit is None:
        hit = (build(),)
        cache.set(key, hit, ttl)
    return hit[0]


# The learner's settings that pages read: part of every key, so even a change made with a bulk
# statement (no signal) shows at once.
SETTINGS = ("timezone", "daily_new_cards", "extra_new_cards", "extra_new_day",
            "desired_retention", "exam_date", "public_name")  # fmt: skip


def learner_settings(profile) -> tuple:
    """The learner's settings pages read (SETTINGS), as one comparable value."""
    return tuple(getattr(profile, name) for name in SETTINGS)


def _learner_key(learner, profile) -> str:
    settings = learner_settings(profile)
    return (
        f"{learner.pk}:{profile.data_version}:{content_version(learner)}:"
        f"{_digest((settings, learner.is_staff, learner.username))}"
    )


def _profile_of(user):
    """The user's profile (loaded with them), made on first use (an account made in the admin
    has none yet); None when there is no user to key by."""
    from profiles.models import Profile

    if not user.is_authenticated:
        return None
    return Profile.objects.for_user(user)

"""A cache backend that only counts: django-ratelimit's store when REDIS_URL is not set.

django-ratelimit needs a cache that every worker and server shares and that increments
atomically; Django's local-memory cache is per process and its database cache increments by
read-then-write. This backend keeps each counter in a `ThrottleCount` row and increments it
with one `UPDATE ... SET count = count + 1`, so two gunicorn workers (or two servers on one
PostgreSQL) share every limit. It implements what django-ratelimit calls (add, incr, get) and
the rest of the cache API plainly; it stores integers only.
"""

from __future__ import annotations

import random

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

# Expired counters are deleted now and then by an `add` (one in CULL_ONE_IN), not per request.
CULL_ONE_IN = 50
# A counter with no timeout (None) lives this long: a throttle window is never longer.
LONGEST = 7 * 24 * 3600


class DatabaseCounterCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def _expires(self, timeout):
        seconds = self.get_backend_timeout(timeout)
        seconds = LONGEST if seconds is None else seconds
        return timezone.now() + timezone.timedelta(seconds=seconds)

    @staticmethod
    def _rows():
        from studyapp.models import ThrottleCount

        return ThrottleCount.objects

    def _live(self, key, version):
        return self._rows().filter(
            key=self.make_and_validate_key(key, version=version), expires__gt=timezone.now()
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Start a counter unless a live one exists; True if this call started it."""
        key = self.make_and_validate_key(key, version=version)
        now = timezone.now()
        rows = self._rows()
        if random.randrange(CULL_ONE_IN) == 0:
            rows.filter(expires__lte=now).delete()
        else:
            rows.filter(key=key, expires__lte=now).delete()
        try:
            with transaction.atomic():
                rows.create(key=key, count=int(value), expires=self._expires(timeout))
        except IntegrityError:
            return False
        return True

    def incr(self, key, delta=1, version=None):
        """Add `delta` in one UPDATE (atomic on every database); ValueError if there is none."""
        live = self._live(key, version)
        if not live.update(count=F("count") + delta):
            raise ValueError(f"Key '{key}' not found")
        return live.values_list("count", flat=True).first() or 0

    def get(self, key, default=None, version=None):
        count = self._live(key, version).values_list("count", flat=True).first()
        return default if count is None else count

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.delete(key, version=version)
        self.add(key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return bool(self._live(key, version).update(expires=self._expires(timeout)))

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return bool(self._rows().filter(key=key).delete()[0])

    def clear(self):
        self._rows().all().delete()

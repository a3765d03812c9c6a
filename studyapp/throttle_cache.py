"""A cache backend that only counts: django-ratelimit's store when REDIS_URL is not set.

django-ratelimit needs a cache that every worker and server shares and that increments
atomically; Django's local-memory cache is per process and its database cache increments by
read-then-write. This backend keeps each counter in a `ThrottleCount` row, starts it with one
upsert and increments it with one `UPDATE ... SET count = count + 1 ... RETURNING count`, so
two gunicorn workers (or two servers on one PostgreSQL) share every limit. It implements what
django-ratelimit calls (add, incr, get) and the rest of the cache API plainly; it stores
integers only.
"""

from __future__ import annotations

import random

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.utils import timezone

# Expired counters are deleted now and then by an `add` (one in CULL_ONE_IN), not per request.
CULL_ONE_IN = 50
# A counter with no timeout (None) lives this long: a throttle window is never longer.
LONGEST = 7 * 24 * 3600


class DatabaseCounterCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def _expires(self, timeout):
        """The expiry time of a counter set now for `timeout` seconds (None: LONGEST). Not
        BaseCache.get_backend_timeout, which returns an absolute epoch time."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        seconds = LONGEST if timeout is None else max(0, min(int(timeout), LONGEST))
        return timezone.now() + timezone.timedelta(seconds=seconds)

    @staticmethod
    def _rows():
        from studyapp.models import ThrottleCount

        return ThrottleCount.objects

    def _live(self, key, version):
        return self._rows().filter(
            key=self.make_and_validate_key(key, version=version), expires__gt=timezone.now()
        )

    @staticmethod
    def _execute(sql: str, params: list):
        from django.db import connection

        from studyapp.models import ThrottleCount

        table = connection.ops.quote_name(ThrottleCount._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql.format(table=table), params)
            return cursor.rowcount, (cursor.fetchone() if "RETURNING" in sql else None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Start a counter unless a live one exists; True if this call started it. One upsert
        (an expired counter is restarted in place), the same on SQLite and PostgreSQL."""
        key = self.make_and_validate_key(key, version=version)
        now = timezone.now()
        if random.randrange(CULL_ONE_IN) == 0:
            self._rows().filter(expires__lte=now).delete()
        started, _ = self._execute(
            "INSERT INTO {table} (key, count, expires) VALUES (%s, %s, %s) "
            "ON CONFLICT (key) DO UPDATE SET count = excluded.count, expires = excluded.expires "
            "WHERE {table}.expires <= %s",
            [key, int(value), self._expires(timeout), now],
        )
        return started == 1

    def incr(self, key, delta=1, version=None):
        """Add `delta` and read the new count in one UPDATE ... RETURNING (atomic on every
        database); ValueError if there is no live counter."""
        key = self.make_and_validate_key(key, version=version)
        _, row = self._execute(
            "UPDATE {table} SET count = count + %s WHERE key = %s AND expires > %s RETURNING count",
            [int(delta), key, timezone.now()],
        )
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return row[0]

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

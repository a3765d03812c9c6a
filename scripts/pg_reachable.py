"""Exit 0 when the PostgreSQL server named by a DATABASE_URL accepts connections, else 1.

Used by `make test` to decide whether to run the suite on PostgreSQL too. It connects to the
server's `postgres` database: the test database is created by pytest-django, and the database
named in the URL need not exist yet.
"""

import sys
from urllib.parse import urlsplit

import psycopg


def main(url: str) -> int:
    where = urlsplit(url)
    label = f"{where.hostname or 'localhost'}:{where.port or 5432}"
    try:
        psycopg.connect(url, dbname="postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"PostgreSQL at {label} is not reachable: {first_line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

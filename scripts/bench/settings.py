"""Settings of `make bench` only: the production settings plus two things the site never has.

- a bare view (`/bench/bare/`, in this module's ROOT_URLCONF only): a small template and one
  COUNT query, the yardstick every page's throughput is compared with in the same run;
- a middleware that times the SQL of each request and reports it in two response headers
  (X-Bench-Queries, X-Bench-SQL-ms), which the harness samples per page.
"""

from studyapp.settings import *  # noqa: F403
from studyapp.settings import BASE_DIR, MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "scripts.bench.urls"
MIDDLEWARE = ["scripts.bench.views.sql_timing", *MIDDLEWARE]
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "scripts" / "bench" / "templates"]

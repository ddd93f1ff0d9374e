"""Where the Python of one request goes (issue 18): the list, detail and dashboard paths profiled in-process.

    .venv/bin/python bench/generate.py --scale 0.05 --database-url sqlite:////tmp/speed/bench.sqlite3
    .venv/bin/python bench/profile_requests.py --database-url sqlite:////tmp/speed/bench.sqlite3 --var /tmp/speed/var

Each path is asked through Django's test client (the whole middleware stack, the production settings as
bench/run.py starts the server with, no network) as the user a client would be: a bearer token for the API, a
session for the pages. For each path it prints the queries one request runs, the median and p95 of `--runs`
requests (after 3 warm-ups), and, from pyinstrument sampling `--profile-runs` more, the ten functions with the most
time of their own and the ten with the most time including what they call (each function counted once per
stack). Nothing is written to the database beyond what the requests themselves write (sessions, last-used times of
the tokens it issues).
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import run as bench_run  # noqa: E402 - bench/run.py: credentials made as a login makes them


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "opsmon-profile"),
                        help="OPSMON_VAR_DIR (static files are collected here once)")
    parser.add_argument("--runs", type=int, default=50, help="timed requests per path (after 3 warm-ups)")
    parser.add_argument("--profile-runs", type=int, default=40, help="requests per path under the profiler")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--only", default="", help="comma-separated names of the paths to run (default: all)")
    parser.add_argument("--redis-url", default="", help="REDIS_URL for the run (the cache on Redis)")
    return parser.parse_args(argv)


def configure(url: str, var: str, redis_url: str) -> None:
    os.environ.update({
        "DATABASE_URL": url, "OPSMON_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "opsmon.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false", "LOG_LEVEL": "WARNING", "REDIS_URL": redis_url,
    })
    import django
    django.setup()
    from django.conf import settings
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        from django.core.management import call_command
        call_command("collectstatic", interactive=False, verbosity=0)


def cases(users) -> list[tuple[str, str, str, str]]:
    """(name, path, user, "token" | "session")."""
    from opsmon.opportunities.models import Opportunity
    opp = Opportunity.objects.filter(owner_id=users["rep1"]["id"]).order_by("-created_at").values_list(
        "pk", flat=True).first()
    return [
        ("api-list-rep1", "/api/v1/opportunities?page_size=50", "rep1", "token"),
        ("api-list-market1", "/api/v1/opportunities?page_size=50", "market1", "token"),
        ("html-list-rep1", "/opportunities/", "rep1", "session"),
        ("api-detail-rep1", f"/api/v1/opportunities/{opp}", "rep1", "token"),
        ("html-detail-rep1", f"/opportunities/{opp}/", "rep1", "session"),
        ("api-funnel-rep1", "/api/v1/insights/funnel", "rep1", "token"),
        ("html-projects-head1", "/projects/", "head1", "session"),
        ("html-bids-head1", "/bids/", "head1", "session"),
        ("html-contracts-head1", "/contracts/", "head1", "session"),
    ]


def client_for(cred: dict, how: str):
    from django.test import Client
    client = Client()
    if how == "session":
        client.cookies["sessionid"] = cred["session"]
        return client, {}
    return client, {"HTTP_AUTHORIZATION": f"Bearer {cred['token']}"}


def queries(client, path, headers) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True, **headers)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return len([q for q in captured.captured_queries if not q["sql"].startswith(skip)])


def timings(client, path, headers, runs: int) -> list[float]:
    for _ in range(3):
        client.get(path, secure=True, **headers)
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path, secure=True, **headers)
        out.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return out


def _where(identifier: str) -> str:
    function, _, rest = identifier.partition("\x00")
    filename, _, line = rest.partition("\x00")
    for prefix in (str(ROOT / ".venv/lib/python3.11/site-packages") + "/", str(ROOT) + "/", sys.prefix):
        if filename.startswith(prefix):
            filename = filename[len(prefix):]
            break
    return f"{function} ({filename}:{line})"


def profile(client, path, headers, runs: int, top: int) -> tuple[list, list, float]:
    """(own-time top, cumulative top, total seconds) over `runs` requests."""
    from pyinstrument import Profiler
    from pyinstrument.frame_info import frame_info_get_identifier
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(runs):
        client.get(path, secure=True, **headers)
    profiler.stop()
    session = profiler.last_session
    own, cumulative = Counter(), Counter()
    total = 0.0
    for stack, seconds in session.frame_records:
        identifiers = [frame_info_get_identifier(f) for f in stack]
        total += seconds
        own[_where(identifiers[-1])] += seconds
        for where in {_where(i) for i in identifiers}:
            cumulative[where] += seconds
    # The trunk every request passes through (test client, handler, each middleware) is on nearly every stack:
    # left out of the cumulative list, which then starts where the paths differ.
    branches = Counter({k: v for k, v in cumulative.items() if v < 0.9 * total})
    return own.most_common(top), branches.most_common(top), total


def main(argv=None):
    args = parse_args(argv)
    configure(args.database_url, args.var, args.redis_url)
    from opsmon.opportunities.models import Opportunity
    print(f"{Opportunity.objects.count():,} opportunities; {args.runs} timed runs and {args.profile_runs} profiled "
          f"per path; Python {sys.version.split()[0]}")
    users = bench_run.credentials(["rep1", "market1", "head1"])
    only = set(filter(None, args.only.split(",")))
    rows = []
    for name, path, who, how in cases(users):
        if only and name not in only:
            continue
        client, headers = client_for(users[who], how)
        try:
            first = queries(client, path, headers)  # the process's first (copies loaded, token use noted)
        except Exception as exc:  # noqa: BLE001 - one broken path must not hide the others' figures
            print(f"\n== {name}: GET {path} as {who} failed: {exc!r:.300}")
            continue
        samples = sorted(timings(client, path, headers, args.runs))
        n = queries(client, path, headers)  # any later one
        median = statistics.median(samples) * 1000
        p95 = samples[min(len(samples) - 1, -(-95 * len(samples) // 100) - 1)] * 1000
        own, cumulative, total = profile(client, path, headers, args.profile_runs, args.top)
        rows.append((name, first, n, median, p95))
        print(f"\n== {name}: GET {path} as {who} ({how}): {first} queries first, then {n}; median {median:.1f} ms, "
              f"p95 {p95:.1f} ms; "
              f"profiled {total / args.profile_runs * 1000:.1f} ms per request")
        print(f"   top {args.top} by own time (ms per request):")
        for where, seconds in own:
            print(f"   {seconds / args.profile_runs * 1000:7.2f}  {where}")
        print(f"   top {args.top} by cumulative time, below the trunk every request shares (ms per request):")
        for where, seconds in cumulative:
            print(f"   {seconds / args.profile_runs * 1000:7.2f}  {where}")
    print("\n| path | queries (first request) | queries (later) | median ms | p95 ms |\n|---|---|---|---|---|")
    for name, first, n, median, p95 in rows:
        print(f"| {name} | {first} | {n} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()

"""Where an uncached public read spends its time (issue 18): each endpoint requested in-process
through Django's test client with the public cache off, production settings, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimsite_bench \\
        .venv/bin/python bench/profile_reads.py --repeat 30 [--top 12]

The database must already hold the claims (bench/api.py fills it). For each endpoint of
bench/api.py (filtered list with count, dump page, one claim, battle summary, battle page) it
prints the median time per request, the part of it spent in the database (queries and their
count), the rest (Python: filters, serialising, rendering) and the CPU time of this process
(less sensitive than wall time to other jobs on a shared machine; cProfile's overhead
included), then cProfile's figures over --repeat requests: the project's functions by
cumulative time, then every function by its own time, so that they say what to change.
"""

import argparse
import cProfile
import gc
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/claimsite_bench")
from bench.common import production_env  # noqa: E402

os.environ.update(production_env())
os.environ["PUBLIC_CACHE_SECONDS"] = "0"  # every request computes its answer
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.common import QueryTimer, static_collect  # noqa: E402
from claims.models import Claim  # noqa: E402


def read_paths() -> dict[str, str]:
    """bench/api.py's endpoints, on the busiest battle + side + category."""
    from bench.api import busiest_group

    group = busiest_group()
    battle = group["battle__slug"]
    query = urlencode({"battle": battle, "side": group["side"], "category": group["category"]})
    claim_id = (
        Claim.objects.filter(status=Claim.Status.APPROVED, battle__slug=battle)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return {
        "list": f"/api/v1/claims/?{query}",
        "dump": f"/api/v1/claims/dump/?{query}&page_size=100",
        "claim": f"/api/v1/claims/{claim_id}/",
        "summary": f"/api/v1/battles/{battle}/summary/",
        "battle page": f"/battles/{battle}/",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--only", help="profile only this endpoint (a key of read_paths)")
    args = parser.parse_args()
    static_collect()  # production settings serve static files from a manifest
    client = Client(HTTP_ACCEPT="application/json", HTTP_HOST="127.0.0.1")
    for name, path in read_paths().items():
        if args.only and name != args.only:
            continue
        for _ in range(3):  # warm connections, templates and the planner's caches
            assert client.get(path).status_code == 200, path
        gc.freeze()  # as gunicorn.conf.py does once the app is loaded
        timer = QueryTimer()
        times, cpu_times = [], []
        profile = cProfile.Profile()
        with connection.execute_wrapper(timer):
            for _ in range(args.repeat):
                started, cpu_started = time.perf_counter(), time.process_time()
                profile.enable()
                response = client.get(path)
                profile.disable()
                times.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu_started)
        median_ms = statistics.median(times) * 1000
        db_ms = timer.seconds / args.repeat * 1000
        print(
            f"\n== {name}: {path}\n   median {median_ms:.1f} ms, slowest {max(times) * 1000:.1f} "
            f"ms; database {db_ms:.1f} ms in {timer.count / args.repeat:.0f} queries, "
            f"the rest {median_ms - db_ms:.1f} ms; this process's CPU "
            f"{statistics.median(cpu_times) * 1000:.1f} ms; {len(response.content):,} bytes"
        )
        stats = pstats.Stats(profile)
        # The project's own functions by cumulative time (what calls the cost), then every
        # function by its own time (where the cost is).
        stats.sort_stats("cumulative").print_stats(r"/claims/", args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load-tests the public API on PostgreSQL with a real HTTP server and a real load tool.

Issue 5's targets at 1,000,000 approved claims: the claims list filtered by battle + side +
category answers with p99 under 50 ms, the battle summary under 100 ms, and a CSV export of
one battle streams at least 50,000 rows/s.

    createdb -h 127.0.0.1 -U postgres claimsite_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimsite_bench \\
        .venv/bin/python bench/api.py --claims 1000000

Steps: migrate; load the reference data if there is none; top the approved claims up to
--claims with `manage.py generate_demo_data` (only what is missing, so a second run starts at
once); VACUUM ANALYZE; serve the app with gunicorn on 127.0.0.1 (production settings; the
cache in Redis at BENCH_REDIS_URL, emptied first; throttling lifted so that it measures the
app, not the throttle; --no-cache computes every answer, as the first request after a change
does); run wrk (apt-get install -y wrk) on the filtered list and on the summary of the
busiest battle; download that battle's CSV export --csv-runs times, counting rows. Prints
requests/s, p50 and p99 latency and rows/s, writes them as JSON to --output, stops the
gunicorn it started (by its pid) and exits 1 when a target is missed.
"""

import argparse
import csv
import http.client
import io
import os
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/claimsite_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsite.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from bench.common import (  # noqa: E402
    database_fill,
    redis_cache_use,
    results_report,
    server_start,
    server_stop,
    wrk_run,
)
from claims.models import Claim  # noqa: E402

TARGETS = {"list_p99_ms": 50.0, "summary_p99_ms": 100.0, "csv_rows_per_s": 50_000.0}


def busiest_group() -> dict:
    """The battle, side and category with the most approved claims: the heaviest filter."""
    return (
        Claim.objects.filter(status=Claim.Status.APPROVED, battle__isnull=False)
        .values("battle__slug", "side", "category")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )


def csv_run(*, port: int, path: str) -> dict:
    """Downloads a CSV export as a client would, parsing every row as it arrives."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    if response.status != 200:
        sys.exit(f"GET {path} answered {response.status}: {response.read()[:300]!r}")
    first_byte = time.perf_counter() - started
    rows = sum(1 for _ in csv.reader(io.TextIOWrapper(response, encoding="utf-8"))) - 1
    seconds = time.perf_counter() - started
    conn.close()
    return {
        "path": path,
        "rows": rows,
        "seconds": round(seconds, 3),
        "first_byte_ms": round(first_byte * 1000, 1),
        "rows_per_s": round(rows / seconds),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per endpoint")
    # As many connections as workers: latency of the app, not of a queue in front of it.
    parser.add_argument("--connections", type=int, default=None, help="default: --workers")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--csv-runs", type=int, default=3)
    parser.add_argument(
        "--no-cache", action="store_true", help="PUBLIC_CACHE_SECONDS=0: compute every read"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "api.json")
    args = parser.parse_args()
    args.connections = args.connections or args.workers
    args.threads = min(args.threads, args.connections)  # wrk needs a connection per thread
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    total = database_fill(claims=args.claims, seed=args.seed)
    group = busiest_group()
    battle, side, category = group["battle__slug"], group["side"], group["category"]
    battle_claims = Claim.objects.filter(status=Claim.Status.APPROVED, battle__slug=battle).count()
    print(
        f"{total:,} approved claims; busiest filter: battle={battle} side={side} "
        f"category={category} ({group['n']:,} claims; {battle_claims:,} in the battle)",
        flush=True,
    )
    connection.close()  # the server's workers get the database to themselves

    redis_cache_use()
    if args.no_cache:
        os.environ["PUBLIC_CACHE_SECONDS"] = "0"
    pidfile = ROOT / "run" / "bench-api-gunicorn.pid"  # run/ is ignored by git
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    server = server_start(port=args.port, workers=args.workers, pidfile=pidfile)
    try:
        load = {"seconds": args.seconds, "connections": args.connections, "threads": args.threads}
        filtered = "/api/v1/claims/?" + urlencode(
            {"battle": battle, "side": side, "category": category}
        )
        results = {
            "claims": total,
            "filter": {"battle": battle, "side": side, "category": category, "n": group["n"]},
            "battle_claims": battle_claims,
            "workers": args.workers,
            "public_cache": not args.no_cache,
            "list": wrk_run(port=args.port, path=filtered, **load),
            "summary": wrk_run(port=args.port, path=f"/api/v1/battles/{battle}/summary/", **load),
        }
        export = "/api/v1/claims/?" + urlencode({"battle": battle, "format": "csv"})
        runs = [csv_run(port=args.port, path=export) for _ in range(args.csv_runs)]
        results["csv"] = sorted(runs, key=lambda run: run["rows_per_s"])[len(runs) // 2]
        results["csv"]["rows_per_s_all_runs"] = [run["rows_per_s"] for run in runs]
    finally:
        server_stop(server)

    print(f"\n{'endpoint':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name in ("list", "summary"):
        r = results[name]
        print(
            f"{name:<10} {r['requests_per_s']:>9.1f} {r['p50_ms']:>8.2f} "
            f"{r['p99_ms']:>8.2f} {r['errors']:>7}"
        )
    c = results["csv"]
    print(
        f"csv export: {c['rows']:,} rows in {c['seconds']} s = {c['rows_per_s']:,} rows/s "
        f"(first byte after {c['first_byte_ms']} ms; runs {c['rows_per_s_all_runs']})"
    )
    missed = []
    if results["list"]["p99_ms"] > TARGETS["list_p99_ms"]:
        missed.append(f"list p99 {results['list']['p99_ms']} ms > {TARGETS['list_p99_ms']}")
    if results["summary"]["p99_ms"] > TARGETS["summary_p99_ms"]:
        missed.append(
            f"summary p99 {results['summary']['p99_ms']} ms > {TARGETS['summary_p99_ms']}"
        )
    if c["rows_per_s"] < TARGETS["csv_rows_per_s"]:
        missed.append(f"csv {c['rows_per_s']:,} rows/s < {TARGETS['csv_rows_per_s']:,.0f}")
    if any(results[name]["errors"] for name in ("list", "summary")):
        missed.append("non-2xx answers under load")
    return results_report(results, targets=TARGETS, missed=missed, output=args.output)


if __name__ == "__main__":
    sys.exit(main())

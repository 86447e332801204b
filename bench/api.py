"""Load-tests the public API on PostgreSQL with a real HTTP server and a real load tool, side
by side with Datasette serving the same claims from SQLite (issue 18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimsite_bench_{claims} \\
        .venv/bin/python bench/api.py --claims 100000 --claims 1000000

For each --claims (its own database: `{claims}` in DATABASE_URL names it; create it first
with createdb): migrate, load the reference data, top the approved claims up with `manage.py
generate_demo_data` (only what is missing), VACUUM ANALYZE; copy the same claims into SQLite
(run/datasette/, kept until the count changes) and serve it with Datasette 0.65.5, immutable
and without facet suggestions, installed by the bench into bench/.venv-datasette (not a
project dependency); serve the app with gunicorn (production settings, cache in Redis at
BENCH_REDIS_URL, throttling lifted). Then, public cache off and then on, for each endpoint,
wrk (apt-get install -y wrk) on the project and on Datasette in turn, A B A B (--rounds), on
the same shape of filter (battle + side + category) on the busiest battle, and --single
sequential requests to each for the latency of one request; the CSV export of that battle
is streamed from both. It prints requests/s, p50 and p99, the ratio project / Datasette,
and with several sizes how each endpoint's cost changes with the table; figures go as JSON
to --output. Issue 18's targets (cache off, largest size: list, dump page, one claim and
summary at 2x Datasette's requests/s or more, one request's p99 under 50 ms): exit 1 when
one is missed.

The endpoints compared (the same rows on both sides):
- list: /api/v1/claims/?battle=&side=&category= (50 a page, with the count) against
  Datasette's table JSON with the same filters and _size=50 (with its count);
- dump: claims/dump/ with the same filters and page_size=--dump-page-size against the table
  JSON with _size the same and _nocount=1;
- claim: /api/v1/claims/<id>/ against /db/table/<id>.json;
- summary: /api/v1/battles/<slug>/summary/ against the SQL aggregate per category and side;
- battle page: /battles/<slug>/ against Datasette's HTML table of the battle's claims.

`bench/api.py --issue5 --claims N` runs issue 5's older check alone: p99 of the filtered list
under 50 ms and of the summary under 100 ms with as many connections as workers, and a CSV
export at 50,000 rows/s or more.
"""

import argparse
import csv
import http.client
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Each size is measured by a child process whose DATABASE_URL names that size's database.
DATABASE_URL_TEMPLATE = os.environ.get(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/claimsite_bench"
)
os.environ["DATABASE_URL"] = DATABASE_URL_TEMPLATE
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
    static_collect,
    wrk_run,
)
from bench.datasette import datasette_start, sqlite_build  # noqa: E402
from claims.models import Battle, Claim  # noqa: E402

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


def issue5_run() -> int:
    """Issue 5's targets, as before issue 18: `bench/api.py --issue5 ...`."""
    parser = argparse.ArgumentParser(description="Issue 5's targets")
    parser.add_argument("--issue5", action="store_true")
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


# Issue 18: cache off, at the largest size, each of these at least this many times
# Datasette's requests/s, and one request's p99 under SINGLE_P99_MS.
RATIO_TARGETS = {"list": 2.0, "dump": 2.0, "claim": 2.0, "summary": 2.0}
SINGLE_P99_MS = 50.0
DATASETTE_DB = "claims"  # the SQLite file's name: Datasette's database path


def compared_paths(*, group: dict, battle_id: int, claim_id: int, dump_page_size: int):
    """(endpoint, the project's path, Datasette's path) on the same rows."""
    battle, side, category = group["battle__slug"], group["side"], group["category"]
    ours = urlencode({"battle": battle, "side": side, "category": category})
    theirs = urlencode({"battle_id": battle_id, "side": side, "category": category})
    table = f"/{DATASETTE_DB}/claims_claim"
    aggregate = (
        "select category, side, count(*) as claims_count, "
        "min(coalesce(figure_low, figure_high)) as figure_min, "
        "max(coalesce(figure_high, figure_low)) as figure_max, max(claim_date) as latest "
        "from claims_claim where battle_id = :battle group by category, side"
    )
    return [
        ("list", f"/api/v1/claims/?{ours}", f"{table}.json?{theirs}&_size=50"),
        (
            "dump",
            f"/api/v1/claims/dump/?{ours}&page_size={dump_page_size}",
            f"{table}.json?{theirs}&_size={dump_page_size}&_nocount=1",
        ),
        ("claim", f"/api/v1/claims/{claim_id}/", f"{table}/{claim_id}.json"),
        (
            "summary",
            f"/api/v1/battles/{battle}/summary/",
            f"/{DATASETTE_DB}.json?" + urlencode({"sql": aggregate, "battle": battle_id}),
        ),
        ("battle page", f"/battles/{battle}/", f"{table}?battle_id={battle_id}"),
    ]


def single_latency(*, port: int, path: str, requests: int) -> dict:
    """One request at a time on one kept-alive connection: p50 and p99 in ms."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    try:
        for _ in range(requests):
            started = time.perf_counter()
            conn.request("GET", path, headers={"Accept": "application/json"})
            response = conn.getresponse()
            response.read()
            times.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                sys.exit(f"GET {path} answered {response.status}")
    finally:
        conn.close()
    times.sort()
    return {
        "p50_ms": round(times[len(times) // 2], 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
    }


def side_by_side(args, *, port: int, datasette_port: int, paths) -> dict:
    """Every endpoint on the project (A) and Datasette (B), A B A B, under wrk, then one
    request at a time."""
    load = {"seconds": args.seconds, "connections": args.connections, "threads": args.threads}
    figures = {}
    for name, ours, theirs in paths:
        runs: dict[str, list[dict]] = {"project": [], "datasette": []}
        for _ in range(args.rounds):
            runs["project"].append(wrk_run(port=port, path=ours, **load))
            runs["datasette"].append(wrk_run(port=datasette_port, path=theirs, **load))
        figures[name] = {
            side: {
                "requests_per_s": [run["requests_per_s"] for run in side_runs],
                "p50_ms": [run["p50_ms"] for run in side_runs],
                "p99_ms": [run["p99_ms"] for run in side_runs],
                "errors": sum(run["errors"] + run["socket_errors"] for run in side_runs),
                "path": side_runs[0]["path"],
            }
            for side, side_runs in runs.items()
        }
        # Let the requests wrk left queued drain first: one request alone is measured.
        time.sleep(2)
        figures[name]["project"]["single"] = single_latency(
            port=port, path=ours, requests=args.single
        )
        figures[name]["datasette"]["single"] = single_latency(
            port=datasette_port, path=theirs, requests=args.single
        )
        project = figures[name]["project"]["requests_per_s"]
        datasette = figures[name]["datasette"]["requests_per_s"]
        # None: Datasette answered nothing in time (wrk counts a request past 2 s as an error).
        figures[name]["ratio"] = round(sum(project) / sum(datasette), 2) if sum(datasette) else None
        print(f"  {name:<12} {row_text(figures[name])}", flush=True)
    return figures


def row_text(endpoint: dict) -> str:
    def runs(values: list[float]) -> str:
        return "–".join(f"{v:.0f}" for v in (min(values), max(values)))

    project, datasette = endpoint["project"], endpoint["datasette"]
    ratio = "n/a" if endpoint["ratio"] is None else f"{endpoint['ratio']:.2f}x"
    return (
        f"{runs(project['requests_per_s']):>10} {runs(project['p50_ms']):>10} "
        f"{project['single']['p99_ms']:>8.1f} {project['errors']:>5} | "
        f"{runs(datasette['requests_per_s']):>10} {runs(datasette['p50_ms']):>10} "
        f"{datasette['single']['p99_ms']:>8.1f} {datasette['errors']:>5} | {ratio:>6}"
    )


# "1 p99": one request at a time; "err": non-2xx answers and requests past wrk's 2 s.
HEADER = (
    f"  {'endpoint':<12} {'req/s':>10} {'p50 ms':>10} {'1 p99':>8} {'err':>5} | {'req/s':>10} "
    f"{'p50 ms':>10} {'1 p99':>8} {'err':>5} | {'ratio':>6}\n"
    f"  {'':<12} {'project':^36} | {'Datasette':^36} |"
)


def one_size(args) -> dict:
    """The comparison at one size (this process's database)."""
    total = database_fill(claims=args.claims[0], seed=args.seed)
    group = busiest_group()
    battle = Battle.objects.get(slug=group["battle__slug"])
    claim_id = (
        Claim.objects.filter(status=Claim.Status.APPROVED, battle=battle)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    print(
        f"{total:,} approved claims; busiest filter: battle={battle.slug} side={group['side']} "
        f"category={group['category']} ({group['n']:,} claims)",
        flush=True,
    )
    sqlite = sqlite_build(
        ROOT / "run" / "datasette" / str(total) / f"{DATASETTE_DB}.db", claims=total
    )
    connection.close()  # the server's workers get the database to themselves
    paths = compared_paths(
        group=group, battle_id=battle.pk, claim_id=claim_id, dump_page_size=args.dump_page_size
    )
    results: dict = {"claims": total, "filter": group, "rounds": args.rounds, "modes": {}}
    static_collect()  # production settings serve the battle page's static files from a manifest
    datasette = datasette_start(database=sqlite, port=args.datasette_port)
    pidfile = ROOT / "run" / "bench-api-gunicorn.pid"  # run/ is ignored by git
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    try:
        for mode, cache_seconds in (("cache off", "0"), ("cache on", "300")):
            redis_cache_use()
            os.environ["PUBLIC_CACHE_SECONDS"] = cache_seconds
            server = server_start(port=args.port, workers=args.workers, pidfile=pidfile)
            try:
                print(f"\n{total:,} claims, public cache {mode[6:]}:\n{HEADER}", flush=True)
                results["modes"][mode] = side_by_side(
                    args, port=args.port, datasette_port=args.datasette_port, paths=paths
                )
                if mode == "cache off":
                    results["csv"] = csv_side_by_side(args, battle=battle)
            finally:
                server_stop(server)
    finally:
        server_stop(datasette)
    return results


def csv_side_by_side(args, *, battle: Battle) -> dict:
    """The battle's CSV export from both, A B A B: rows/s and first byte."""
    ours = "/api/v1/claims/?" + urlencode({"battle": battle.slug, "format": "csv"})
    theirs = f"/{DATASETTE_DB}/claims_claim.csv?battle_id={battle.pk}&_stream=on&_size=max"
    runs: dict[str, list[dict]] = {"project": [], "datasette": []}
    for _ in range(args.rounds):
        runs["project"].append(csv_run(port=args.port, path=ours))
        runs["datasette"].append(csv_run(port=args.datasette_port, path=theirs))
    for side, side_runs in runs.items():
        print(
            f"  csv {side:<9} {side_runs[0]['rows']:,} rows: "
            + ", ".join(
                f"{run['rows_per_s']:,} rows/s (first byte {run['first_byte_ms']} ms)"
                for run in side_runs
            ),
            flush=True,
        )
    return runs


def scaling_report(sizes: list[dict]) -> None:
    """Each endpoint's uncached requests/s and single-request p50 at every size."""
    print("\nScaling, public cache off (project req/s, one request's p50 ms):")
    names = list(sizes[0]["modes"]["cache off"])
    print(f"  {'endpoint':<12}" + "".join(f"{size['claims']:>22,}" for size in sizes))
    for name in names:
        cells = []
        for size in sizes:
            project = size["modes"]["cache off"][name]["project"]
            rate = max(project["requests_per_s"])
            cells.append(f"{rate:>10.0f} r/s {project['single']['p50_ms']:>6.1f} ms")
        print(f"  {name:<12}" + "".join(f"{cell:>22}" for cell in cells))


def targets_missed(results: dict) -> list[str]:
    missed = []
    for name, ratio in RATIO_TARGETS.items():
        endpoint = results["modes"]["cache off"][name]
        if endpoint["ratio"] is not None and endpoint["ratio"] < ratio:
            missed.append(f"{name}: {endpoint['ratio']}x Datasette's req/s < {ratio}x")
        p99 = endpoint["project"]["single"]["p99_ms"]
        if p99 > SINGLE_P99_MS:
            missed.append(f"{name}: one request's p99 {p99} ms > {SINGLE_P99_MS}")
    for mode in results["modes"].values():
        for name, endpoint in mode.items():
            if endpoint["project"]["errors"]:
                missed.append(f"{name}: {endpoint['project']['errors']} errors under load")
    return missed


def main() -> int:
    if "--issue5" in sys.argv:
        return issue5_run()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, action="append", help="repeat for several sizes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--datasette-port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per run")
    parser.add_argument("--rounds", type=int, default=2, help="A B rounds per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--single", type=int, default=100, help="sequential requests")
    parser.add_argument("--dump-page-size", type=int, default=100)
    parser.add_argument("--one-size", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--output", type=Path, default=ROOT / "bench" / "results" / "api-vs-datasette.json"
    )
    args = parser.parse_args()
    args.claims = args.claims or [1_000_000]
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    if args.one_size:
        results = one_size(args)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=2) + "\n")
        return 0
    if len(args.claims) > 1 and "{claims}" not in DATABASE_URL_TEMPLATE:
        sys.exit("Several sizes need a database each: put {claims} in DATABASE_URL.")
    sizes = []
    for claims in sorted(args.claims):
        part = args.output.with_name(f"{args.output.stem}-{claims}.json")
        child = _without_option(_without_option(sys.argv[1:], "--claims"), "--output")
        command = [sys.executable, __file__, *child, "--one-size", "--claims", str(claims)]
        env = {**os.environ, "DATABASE_URL": DATABASE_URL_TEMPLATE.format(claims=claims)}
        subprocess.run([*command, "--output", str(part)], env=env, check=True)
        sizes.append(json.loads(part.read_text()))
    results = sizes[-1]
    for size in sizes:
        for mode, figures in size["modes"].items():
            print(f"\n{size['claims']:,} claims, public cache {mode[6:]}:\n{HEADER}")
            for name, endpoint in figures.items():
                print(f"  {name:<12} {row_text(endpoint)}")
    if len(sizes) > 1:
        scaling_report(sizes)
    return results_report(
        {"sizes": sizes},
        targets={"ratio": RATIO_TARGETS, "single_p99_ms": SINGLE_P99_MS},
        missed=targets_missed(results),
        output=args.output,
    )


def _without_option(argv: list[str], option: str) -> list[str]:
    """argv without `option VALUE` (every time it occurs)."""
    kept, skip = [], False
    for argument in argv:
        if skip:
            skip = False
        elif argument == option:
            skip = True
        elif not argument.startswith(f"{option}="):
            kept.append(argument)
    return kept


if __name__ == "__main__":
    sys.exit(main())

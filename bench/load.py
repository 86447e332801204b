"""Load test: many clients at once on a mix of public pages and API calls, through gunicorn and
PostgreSQL holding --claims approved claims.

Issue 7's target at 1,000,000 claims, 100 concurrent clients for 60 s: zero errors and p99
under 250 ms.

    createdb -h 127.0.0.1 -U postgres claimsite_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimsite_bench \\
        .venv/bin/python bench/load.py --claims 1000000 --seconds 60 --connections 100

A client is a researcher or a tool: it waits --think-ms on average (uniformly between half and
one and a half times that) after each answer before its next request; --think-ms 0 makes every
client ask again at once, which measures how much the server can take at most. The server runs
as in production, with the cache in Redis (BENCH_REDIS_URL, emptied first). Without --cold the
addresses were just checked and are cached; --cold empties the cache just before the load (as
a new deployment with an empty Redis), so the run starts with every answer to compute.
--edit-every S has an editor at work during the load: claims of the busiest battle are sent
back to draft before it, and one is approved every S seconds during it, through the services
(each approval makes every cached public read out of date; the rest are approved after).

Steps: fill the database as bench/api.py does (migrate, reference data, generate_demo_data
for what is missing, ANALYZE); pick real addresses from it (busy and quiet battles, claims,
sources, filters, searches) and weigh them (MIX); check each one answers 200 once; serve the
app with gunicorn on 127.0.0.1 (production settings, throttling lifted); run wrk with a Lua
script that picks an address at random for every request, bounded by --seconds. Prints
requests/s, p50 and p99 latency and errors (answers other than 2xx/3xx, and socket errors),
writes them as JSON to --output, stops its gunicorn (by pid) and exits 1 when the target is
missed.
"""

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/claimsite_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsite.settings.local")
# The editor of --edit-every must tell the server's cache about its changes.
os.environ.setdefault("REDIS_URL", os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from bench.common import (  # noqa: E402
    access_log_slowest,
    database_fill,
    http_get,
    redis_cache_use,
    results_report,
    server_start,
    server_stop,
    static_collect,
    wrk_figures,
    wrk_output,
)
from claims.models import Battle, Claim, Source  # noqa: E402
from claims.services import claim_approve, claim_return_to_draft  # noqa: E402

TARGETS = {"p99_ms": 250.0, "errors": 0}
# How often each kind of request comes, out of 100: mostly reading, as researchers and tools do.
MIX = {
    "home": 10,
    "battle_page": 15,
    "battle_page_filtered": 5,
    "claim_page": 10,
    "source_page": 5,
    "search": 5,
    "api_claims_filtered": 15,
    "api_claim": 10,
    "api_battle_summary": 10,
    "api_battles": 5,
    "api_claims_page": 10,
}
SAMPLE = 20  # addresses of each kind


def addresses(*, seed: int) -> dict[str, list[str]]:
    """Real addresses of each kind in MIX, read from the database."""
    rng = random.Random(seed)
    approved = Claim.objects.filter(status=Claim.Status.APPROVED)
    battles = list(
        Battle.objects.annotate(n=Count("claims")).order_by("-n").values_list("slug", flat=True)
    )
    busy, quiet = battles[:5], battles[-5:]
    max_id = approved.order_by("-pk").values_list("pk", flat=True).first() or 0
    claim_ids = list(
        approved.filter(pk__in=[rng.randint(1, max_id) for _ in range(SAMPLE * 20)]).values_list(
            "pk", flat=True
        )[:SAMPLE]
    )
    sources = list(
        Source.objects.filter(claims__status=Claim.Status.APPROVED)
        .distinct()
        .values_list("slug", flat=True)[:SAMPLE]
    )
    groups = list(
        approved.filter(battle__slug__in=busy)
        .values_list("battle__slug", "side", "category")
        .distinct()[:SAMPLE]
    )
    names = list(Battle.objects.values_list("name", flat=True)[:SAMPLE])
    return {
        "home": ["/"],
        "battle_page": [f"/battles/{slug}/" for slug in busy + quiet],
        "battle_page_filtered": [
            f"/battles/{slug}/?" + urlencode({"side": side, "category": category})
            for slug, side, category in groups
        ],
        "claim_page": [f"/claims/{pk}/" for pk in claim_ids],
        "source_page": [f"/sources/{slug}/" for slug in sources],
        "search": ["/search/?" + urlencode({"q": name.split()[-1]}) for name in names],
        "api_claims_filtered": [
            "/api/v1/claims/?" + urlencode({"battle": slug, "side": side, "category": category})
            for slug, side, category in groups
        ],
        "api_claim": [f"/api/v1/claims/{pk}/" for pk in claim_ids],
        "api_battle_summary": [f"/api/v1/battles/{slug}/summary/" for slug in busy + quiet],
        "api_battles": ["/api/v1/battles/"],
        "api_claims_page": [f"/api/v1/claims/?page={n}" for n in range(1, 6)],
    }


def bench_editor():
    from django.contrib.auth import get_user_model

    editor, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    return editor


def review_queue_prepare(count: int) -> list[int]:
    """Sends `count` approved claims of the busiest battle back to draft, as if the extractor
    had just proposed them: the queue the editor of --edit-every works through."""
    editor = bench_editor()
    busiest = Battle.objects.annotate(n=Count("claims")).order_by("-n").first()
    ids = list(
        Claim.objects.filter(status=Claim.Status.APPROVED, battle=busiest)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    for claim_id in ids:
        claim_return_to_draft(claim=claim_id, user=editor, note="bench: review queue")
    return ids


def editor_at_work(
    *, every: float, queue: list[int], stop: threading.Event, approved: list[int]
) -> None:
    """Until `stop`, approves the next claim of `queue` every `every` seconds, through the
    services, as an editor reviewing would; then approves the rest, so that the database is
    as it was."""
    editor = bench_editor()
    try:
        while queue and not stop.wait(every):
            claim_approve(claim=queue[0], user=editor, note="bench")
            approved.append(queue.pop(0))
    finally:
        for claim_id in queue:
            claim_approve(claim=claim_id, user=editor, note="bench")
        connection.close()


def weighted_paths(kinds: dict[str, list[str]]) -> list[str]:
    """A list in which each kind of request takes its MIX share of the entries."""
    paths: list[str] = []
    for kind, weight in MIX.items():
        found = kinds[kind]
        if not found:
            sys.exit(f"No address of kind {kind}: is the database filled?")
        paths += [found[i % len(found)] for i in range(weight * 10)]
    return paths


def lua_script(paths: list[str], directory: Path, *, think_ms: int) -> Path:
    """wrk script: each request picks one of `paths` at random; each thread seeds apart; each
    connection waits think_ms on average before its next request (wrk's delay())."""
    listed = ",\n".join(json.dumps(path) for path in paths)
    script = directory / "load.lua"
    think = (
        f"function delay()\n  return math.random({think_ms // 2}, {think_ms * 3 // 2})\nend\n"
        if think_ms > 0
        else ""
    )
    script.write_text(
        f"local paths = {{\n{listed}\n}}\n"
        "local counter = 0\n"
        "function setup(thread)\n"
        "  thread:set('id', counter)\n"
        "  counter = counter + 1\n"
        "end\n"
        "function init(args)\n"
        "  math.randomseed(os.time() * 1000 + id)\n"
        "end\n"
        "function request()\n"
        "  return wrk.format('GET', paths[math.random(#paths)])\n"
        "end\n" + think
    )
    return script


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--think-ms", type=int, default=1000, help="0: no pause")
    parser.add_argument("--cold", action="store_true", help="empty the cache before the load")
    parser.add_argument(
        "--edit-every",
        type=float,
        default=0,
        help="seconds between an editor's approvals; 0: none",
    )

    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    total = database_fill(claims=args.claims, seed=args.seed)
    # Before the addresses are picked: none of them may be a claim the editor has yet to approve.
    queue = review_queue_prepare(int(args.seconds / args.edit_every) + 1) if args.edit_every else []
    kinds = addresses(seed=args.seed)
    paths = weighted_paths(kinds)
    connection.close()  # the server's workers get the database to themselves
    print(
        f"{total:,} approved claims; {len(set(paths))} addresses over {len(MIX)} kinds; "
        f"{args.connections} clients (pausing {args.think_ms} ms on average) for "
        f"{args.seconds} s on {args.workers} gunicorn workers; cache "
        + ("emptied before the load" if args.cold else "warm")
        + (f"; an editor approves a claim every {args.edit_every:g} s" if args.edit_every else ""),
        flush=True,
    )

    static_collect()
    redis_cache_use()
    pidfile = ROOT / "run" / "bench-load-gunicorn.pid"  # run/ is ignored by git
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    access_log = pidfile.with_name("bench-load-access.log")
    server = server_start(
        port=args.port, workers=args.workers, pidfile=pidfile, access_log=access_log
    )
    try:
        for path in sorted(set(paths)):  # each answers once before the load, and warms up
            status, body = http_get(args.port, path)
            if status != 200:
                sys.exit(f"GET {path} answered {status}: {body[:300]!r}")
        if args.cold:
            redis_cache_use()
        access_log.write_text("")  # the load's requests only (gunicorn appends)
        stop_editing, changes = threading.Event(), []
        editor = threading.Thread(
            target=editor_at_work,
            kwargs={
                "every": args.edit_every,
                "queue": queue,
                "stop": stop_editing,
                "approved": changes,
            },
        )
        editor.start()
        with tempfile.TemporaryDirectory() as directory:
            output = wrk_output(
                url=f"http://127.0.0.1:{args.port}",
                seconds=args.seconds,
                connections=args.connections,
                threads=min(args.threads, args.connections),
                script=lua_script(paths, Path(directory), think_ms=args.think_ms),
                # Queueing shows as latency up to 10 s; only slower answers count as errors.
                timeout=10,
            )
    finally:
        stop_editing.set()
        if editor.is_alive():
            editor.join()
        server_stop(server)

    figures = wrk_figures(output)
    slowest = access_log_slowest(access_log)
    print("Slowest answers:", ", ".join(f"{path} {ms:.0f} ms" for ms, path in slowest))
    if changes:
        print(f"The editor approved {len(changes)} claims during the load.")
    results = {
        "claims": total,
        "seconds": args.seconds,
        "connections": args.connections,
        "workers": args.workers,
        "think_ms": args.think_ms,
        "cold": args.cold,
        "edit_every_s": args.edit_every,
        "edits": len(changes),
        "mix": MIX,
        **figures,
        "slowest": [{"path": path, "ms": ms} for ms, path in slowest],
    }
    print(f"\n{'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'socket errors':>14}")
    print(
        f"{figures['requests_per_s']:>9.1f} {figures['p50_ms']:>8.2f} {figures['p99_ms']:>8.2f} "
        f"{figures['errors']:>7} {figures['socket_errors']:>14}"
    )
    missed = []
    if figures["p99_ms"] > TARGETS["p99_ms"]:
        missed.append(f"p99 {figures['p99_ms']} ms > {TARGETS['p99_ms']} ms")
    if figures["errors"] or figures["socket_errors"]:
        missed.append(
            f"{figures['errors']} non-2xx/3xx answers, {figures['socket_errors']} socket errors"
        )
    return results_report(results, targets=TARGETS, missed=missed, output=args.output)


if __name__ == "__main__":
    sys.exit(main())

"""Times the researcher pages on a battle with 100,000 approved claims, and the conflict page
with --war-wide-claims war-wide ones.

Issue 6's target: the battle page renders in under 200 ms of server time on PostgreSQL.
Issue 14's: a conflict page with 500,000 war-wide claims in under 300 ms.

    DATABASE_URL=postgres://USER:PASS@127.0.0.1:5432/claimsite \\
        .venv/bin/python bench/pages.py --battle-claims 100000 --war-wide-claims 500000

It migrates, loads the reference data if the database has none, tops the approved claims up with
`manage.py generate_demo_data` (which spreads them over every battle), then moves approved
claims onto the first battle until it holds --battle-claims of them (only what is missing,
so a second run starts at once), likewise makes --war-wide-claims of the others war-wide claims
of the first battle's conflict (no battle), runs VACUUM ANALYZE, and requests each page
--repeat times in-process through Django's test client as an anonymous visitor, with the public
cache off (each request computes its page, as the first visitor after a change would). Server
time is the time Django takes to answer, database and template included, without network or
browser. It prints the median, the slowest run, the query count and the database time of each
page, and exits 1 when a page's median misses its target.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsite.settings.local")
# Every request computes its page: what the first visitor after a change waits for.
os.environ["PUBLIC_CACHE_SECONDS"] = "0"

import django  # noqa: E402

from bench.common import QueryTimer  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from claims.models import Battle, Claim, Conflict  # noqa: E402

TARGET_MS = 200.0
CONFLICT_TARGET_MS = 300.0


def conflict_fill(*, conflict: Conflict, battle: Battle, wanted: int, seed: int) -> None:
    """Make `conflict` hold `wanted` approved war-wide claims (no battle), generating claims
    when there are too few outside `battle`."""
    approved = Claim.objects.filter(status=Claim.Status.APPROVED)
    war_wide = approved.filter(conflict=conflict, battle__isnull=True)
    have = war_wide.count()
    if have >= wanted:
        print(f"{conflict.name}: {have:,} war-wide claims (wanted {wanted:,}).")
        return
    missing = wanted - have
    others = approved.exclude(battle=battle).exclude(conflict=conflict, battle__isnull=True)
    if others.count() < missing:
        print(f"Generating {missing - others.count():,} approved claims ...", flush=True)
        call_command("generate_demo_data", claims=missing - others.count(), seed=seed + 1)
    ids = list(others.order_by("id").values_list("id", flat=True)[:missing])
    for start in range(0, len(ids), 20_000):
        approved.filter(id__in=ids[start : start + 20_000]).update(battle=None, conflict=conflict)
    print(f"{conflict.name}: made {len(ids):,} approved claims war-wide.")


def battle_fill(*, battle: Battle, wanted: int, seed: int) -> None:
    """Make `battle` hold `wanted` approved claims, generating claims when there are too few."""
    approved = Claim.objects.filter(status=Claim.Status.APPROVED)
    have = approved.filter(battle=battle).count()
    if have >= wanted:
        print(f"{battle.name}: {have:,} approved claims (wanted {wanted:,}).")
        return
    missing = wanted - have
    elsewhere = approved.exclude(battle=battle).count()
    if elsewhere < missing:
        print(f"Generating {missing - elsewhere:,} approved claims ...", flush=True)
        call_command("generate_demo_data", claims=missing - elsewhere, seed=seed)
    ids = list(
        approved.exclude(battle=battle).order_by("id").values_list("id", flat=True)[:missing]
    )
    for start in range(0, len(ids), 20_000):
        approved.filter(id__in=ids[start : start + 20_000]).update(battle=battle)
    print(f"{battle.name}: moved {len(ids):,} approved claims onto it.")


def pages(battle: Battle) -> list[tuple[str, str, float | None]]:
    """(label, URL, target ms or None) for the pages a researcher opens on a big battle."""
    base = battle.get_absolute_url()
    claim = Claim.objects.filter(status=Claim.Status.APPROVED, battle=battle).first()
    claimant = claim.claimant.slug if claim and claim.claimant else ""
    rows = [
        ("battle page", base, TARGET_MS),
        ("battle, side russia", f"{base}?side=russia", TARGET_MS),
        ("battle, category killed", f"{base}?category=killed", TARGET_MS),
        ("battle, one claimant", f"{base}?claimant={claimant}", TARGET_MS),
        (
            "battle, date range",
            f"{base}?claim_date_after=2023-01-01&claim_date_before=2023-06-30",
            TARGET_MS,
        ),
        ("battle, sorted by figure", f"{base}?sort=-figure", TARGET_MS),
        ("battle, page 200", f"{base}?page=200", TARGET_MS),
        ("conflict page", battle.conflict.get_absolute_url(), CONFLICT_TARGET_MS),
        ("home", "/", None),
        ("search 'killed'", "/search/?q=killed", None),
    ]
    if claim:
        rows.append(("claim page", claim.get_absolute_url(), None))
        if claim.claimant:
            rows.append(("source page", claim.claimant.get_absolute_url(), None))
        rows.append(("article page", f"/articles/{claim.article_id}/", None))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--battle-claims", type=int, default=100_000)
    parser.add_argument("--war-wide-claims", type=int, default=0)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-generate", action="store_true", help="measure the data as it is")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print(
            f"Warning: the database is {connection.vendor}; the target is for PostgreSQL. "
            "Set DATABASE_URL=postgres://..."
        )
    call_command("migrate", verbosity=0)  # a new database starts empty
    if not Battle.objects.exists():
        call_command("load_reference")
    battle = Battle.objects.order_by("pk").first()
    if not args.no_generate:
        battle_fill(battle=battle, wanted=args.battle_claims, seed=args.seed)
        if args.war_wide_claims:
            conflict_fill(
                conflict=battle.conflict,
                battle=battle,
                wanted=args.war_wide_claims,
                seed=args.seed,
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM too: the moved rows leave dead tuples, and counts read the index only
            # where the visibility map is up to date, as it is on a settled database.
            for table in ("claims_claim", "claims_article", "claims_source"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"{Claim.objects.count():,} claims in the table.")

    # ALLOWED_HOSTS holds localhost, not the test client's "testserver".
    client = Client(HTTP_HOST="localhost")
    print(f"\n{'page':<28} {'median ms':>10} {'max ms':>8} {'queries':>8} {'db ms':>7} {'KiB':>6}")
    misses = []
    for label, url, target in pages(battle):
        response = client.get(url)  # warm caches, as a researcher's second page would be
        if response.status_code != 200:
            print(f"{label:<28} HTTP {response.status_code} for {url}")
            misses.append(label)
            continue
        timings, timer = [], QueryTimer()
        for _ in range(args.repeat):
            timer.count, timer.seconds = 0, 0.0
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        flag = "  <-- over target" if target and median >= target else ""
        print(
            f"{label:<28} {median:>10.1f} {max(timings):>8.1f} {timer.count:>8} "
            f"{timer.seconds * 1000:>7.1f} {len(response.content) / 1024:>6.0f}{flag}"
        )
        if flag:
            misses.append(label)

    if misses:
        print(f"\n{len(misses)} page(s) at or over their target: {', '.join(misses)}")
        return 1
    print(
        f"\nEvery battle page under {TARGET_MS:.0f} ms and the conflict page under "
        f"{CONFLICT_TARGET_MS:.0f} ms (median of {args.repeat})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

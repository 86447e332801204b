"""Times the admin's claim list (the editors' review queue), an article's review screen and
a claim's change page on a large table.

Targets: under 300 ms of server time per list page (issue 4) and under 200 ms for the article
review screen and the claim change page (issue 16), with 1,000,000 claims on PostgreSQL.

    DATABASE_URL=postgres://USER:PASS@127.0.0.1:5432/claimsite \\
        .venv/bin/python bench/admin_changelist.py --claims 1000000 --drafts 20000

It tops the database up to --claims approved claims and --drafts draft claims with
`manage.py generate_demo_data` (only what is missing, so a second run starts at once), runs
ANALYZE, then requests each changelist view --repeat times in-process through Django's test
client, logged in as a superuser (every filter and action shown). Server time is the time
Django takes to answer, database included, without network or browser. It prints the median,
the slowest run and the query count and database time of each view, and exits 1 when a median
misses the target.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsite.settings.local")

import django  # noqa: E402

from bench.common import QueryTimer  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from claims.admin import ClaimAdmin  # noqa: E402
from claims.models import Battle, Claim, Source  # noqa: E402

TARGET_MS = 300.0
PAGE_TARGET_MS = 200.0  # the article review screen and the claim change page (issue 16)
BENCH_USER = "bench-admin"


def top_up(*, status: str, wanted: int, seed: int) -> None:
    have = Claim.objects.filter(status=status).count()
    if have >= wanted:
        print(f"{have:,} {status} claims present (wanted {wanted:,}).")
        return
    missing = wanted - have
    print(f"Generating {missing:,} {status} claims ...", flush=True)
    call_command("generate_demo_data", claims=missing, seed=seed, status=status)


def views() -> list[tuple[str, str, float]]:
    """(label, URL, target ms) of the pages editors use, with values that exist in the data."""
    base = reverse("admin:claims_claim_changelist")
    # The admin sorts by a column's place in list_display (from 1), which moves as columns do.
    claim_date_column = ClaimAdmin.list_display.index("claim_date") + 1
    battle = Battle.objects.order_by("pk").first()
    claimant = Source.objects.filter(claims__isnull=False).order_by("pk").first()
    rows = [
        ("review queue (drafts, default)", base),
        ("review queue, page 5", f"{base}?p=5"),
        # o=7: the confidence column (after the action checkbox), upwards: doubtful first.
        ("review queue, doubtful first", f"{base}?o=7"),
        ("approved", f"{base}?status=approved"),
        ("approved, page 100", f"{base}?status=approved&p=100"),
        ("all statuses", f"{base}?status=all"),
        ("approved + side russia", f"{base}?status=approved&side=russia"),
        ("approved + confidence low", f"{base}?status=approved&confidence=low"),
        ("approved + category wounded", f"{base}?status=approved&category=wounded"),
        ("approved, by claim date", f"{base}?status=approved&o=-{claim_date_column}"),
    ]
    if battle:
        rows.append(("approved + battle", f"{base}?status=approved&battle__id__exact={battle.pk}"))
        rows.append(("drafts + battle", f"{base}?battle__id__exact={battle.pk}"))
    if claimant:
        rows.append(("all + claimant", f"{base}?status=all&claimant__id__exact={claimant.pk}"))
    rows.append(("search 'killed' in drafts", f"{base}?q=killed"))
    pages = []
    draft = Claim.objects.filter(status=Claim.Status.DRAFT).order_by("-pk").first()
    if draft:
        review = reverse("admin:claims_article_review", args=[draft.article_id])
        pages.append(("article review screen", f"{review}?selected={draft.pk}"))
        pages.append(
            ("claim change page (draft)", reverse("admin:claims_claim_change", args=[draft.pk]))
        )
    approved = Claim.objects.filter(status=Claim.Status.APPROVED).order_by("-pk").first()
    if approved:
        pages.append(
            (
                "claim change page (approved)",
                reverse("admin:claims_claim_change", args=[approved.pk]),
            )
        )
    return [(label, url, TARGET_MS) for label, url in rows] + [
        (label, url, PAGE_TARGET_MS) for label, url in pages
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000, help="approved claims wanted")
    parser.add_argument("--drafts", type=int, default=20_000, help="draft claims wanted")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-generate", action="store_true", help="measure the data as it is")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print(
            f"Warning: the database is {connection.vendor}; the target is for PostgreSQL. "
            "Set DATABASE_URL=postgres://..."
        )
    if not args.no_generate:
        if not Battle.objects.exists():
            call_command("load_reference")
        top_up(status=Claim.Status.APPROVED, wanted=args.claims, seed=args.seed)
        top_up(status=Claim.Status.DRAFT, wanted=args.drafts, seed=args.seed + 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("claims_claim", "claims_article", "claims_source"):
                cursor.execute(f"ANALYZE {table}")
    total = Claim.objects.count()
    print(f"{total:,} claims in the table.")

    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    # ALLOWED_HOSTS holds localhost, not the test client's "testserver".
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    print(f"\n{'view':<34} {'median ms':>10} {'max ms':>8} {'queries':>8} {'db ms':>7}")
    misses = []
    for label, url, target in views():
        response = client.get(url)  # warm caches, as an editor's second page would be
        if response.status_code != 200:
            print(f"{label:<34} HTTP {response.status_code} for {url}")
            misses.append(label)
            continue
        timings, timer = [], QueryTimer()
        for _ in range(args.repeat):
            timer.count, timer.seconds = 0, 0.0
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        flag = "" if median < target else f"  <-- over {target:.0f} ms"
        print(
            f"{label:<34} {median:>10.1f} {max(timings):>8.1f} {timer.count:>8} "
            f"{timer.seconds * 1000:>7.1f}{flag}"
        )
        if median >= target:
            misses.append(label)

    get_user_model().objects.filter(username=BENCH_USER).delete()
    if misses:
        print(f"\n{len(misses)} view(s) at or over their target: {', '.join(misses)}")
        return 1
    print(f"\nEvery view under its target (median of {args.repeat}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

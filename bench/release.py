"""Times `manage.py dataset_release` on a database of 1,000,000 approved claims.

Issue 15's target: a release of 1,000,000 claims in under 2 minutes on the 2-core machine.

    DATABASE_URL=postgres://USER@127.0.0.1:5432/claimsite_bench \\
        .venv/bin/python bench/release.py --claims 1000000

It migrates, loads the reference data if the database has none, tops the approved claims up
with `manage.py generate_demo_data` to --claims (only what is missing, so a second run starts
at once), runs VACUUM ANALYZE, then publishes one release into a temporary folder (removed
afterwards) and prints the time of each step, the size of each file and the total. It exits 1
when the total misses the target.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsite.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from claims import releases  # noqa: E402
from claims.models import Battle, Claim, DatasetRelease  # noqa: E402

TARGET_SECONDS = 120.0


def timed(name: str, function):
    """Wraps a step of release_publish so that its time is printed."""

    def wrapper(*args, **kwargs):
        started = time.monotonic()
        result = function(*args, **kwargs)
        print(f"  {name}: {time.monotonic() - started:.1f} s", flush=True)
        return result

    return wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Battle.objects.exists():
        call_command("load_reference", verbosity=0)
    have = Claim.objects.filter(status=Claim.Status.APPROVED).count()
    if have < args.claims:
        print(f"Generating {args.claims - have:,} approved claims ...", flush=True)
        call_command("generate_demo_data", claims=args.claims - have, seed=args.seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    folder = Path(tempfile.mkdtemp(prefix="claimsite-release-"))
    settings.DATASET_RELEASES_DIR = folder
    releases._write_tables = timed("tables as CSV", releases._write_tables)
    releases._csv_to_parquet = timed("a table as Parquet", releases._csv_to_parquet)
    releases._claim_versions = timed("claim versions read", releases._claim_versions)
    releases._sha256 = timed("a checksum", releases._sha256)
    try:
        DatasetRelease.objects.all().delete()  # the bench's own rows: number 1 each run
        started = time.monotonic()
        release = releases.release_publish()
        total = time.monotonic() - started
        for name, entry in sorted(release.files.items()):
            print(f"  {name}: {entry['bytes'] / 1e6:,.1f} MB")
        DatasetRelease.objects.filter(pk=release.pk).delete()
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # read-only files go with their folder
    verdict = "meets" if total < TARGET_SECONDS else "MISSES"
    print(
        f"Release of {release.claims_count:,} claims: {total:.1f} s "
        f"({verdict} the {TARGET_SECONDS:.0f} s target)."
    )
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from claims.releases import ReleaseError, release_publish


class Command(BaseCommand):
    help = (
        "Publish the next numbered, immutable release of all approved claims with their "
        "battles, sources and articles (a Frictionless Data Package: CSV and Parquet, "
        "checksums, CITATION.cff) under DATASET_RELEASES_DIR; /data/ lists it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            release = release_publish()
        except ReleaseError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Release {release.number}: {release.claims_count:,} claims "
            f"({release.added_count:,} added, {release.corrected_count:,} corrected, "
            f"{release.withdrawn_count:,} withdrawn since the previous release), "
            f"in {time.monotonic() - started:.1f} s."
        )

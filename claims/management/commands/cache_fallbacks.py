from typing import Any

from django.core.management.base import BaseCommand

from claims.selectors import cache_fallback_list
from claimsite.shared_cache import SAVE_EVERY_SECONDS


class Command(BaseCommand):
    help = (
        "How many calls to the shared cache (Redis) every web and worker process together "
        "answered without it because it could not be reached, by purpose: throttles then "
        "allowed every request, public reads were computed from the database."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = list(cache_fallback_list())
        if not counts:
            self.stdout.write("No call has gone without the shared cache.")
            return
        self.stdout.write(f"{'purpose':<16} {'calls':>10}  first                      last")
        for row in counts:
            self.stdout.write(
                f"{row.purpose:<16} {row.count:>10}  {row.first_at.isoformat(timespec='seconds')}"
                f"  {row.last_at.isoformat(timespec='seconds')}"
            )
        # Why the newest calls may not show yet (claimsite/shared_cache.py).
        self.stdout.write(
            f"Each process adds its counts at most every {SAVE_EVERY_SECONDS:.0f} s, "
            "outside transactions."
        )

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.demo_data import demo_data_generate
from claims.models import Battle, Claim


class Command(BaseCommand):
    help = (
        "Add N synthetic claims (and their articles) spread over the reference battles and "
        "sources, in bulk. For benchmarks and demos: 1,000,000 claims take minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=0, metavar="S")
        parser.add_argument("--status", choices=Claim.Status.values, default=Claim.Status.APPROVED)

    def handle(self, *args: Any, claims: int, seed: int, status: str, **options: Any) -> None:
        if claims < 1:
            raise CommandError("--claims must be at least 1.")
        if not Battle.objects.exists():
            raise CommandError("No battles yet: run `manage.py load_reference` first.")
        started = time.monotonic()
        result = demo_data_generate(claims=claims, seed=seed, status=status)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{result.claims:,} {status} claims in {result.articles:,} articles "
            f"in {seconds:.1f}s ({result.claims / max(seconds, 1e-9):,.0f} claims/s)."
        )

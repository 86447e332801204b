from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import Article
from ingest.services import article_reparse


class Command(BaseCommand):
    help = "Parse articles again with the current extractor. Only draft claims are replaced."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--all", action="store_true", help="Every article.")
        group.add_argument("--article", type=int, nargs="+", metavar="ID", dest="article_ids")

    def handle(self, *args: Any, all: bool, article_ids: list[int] | None, **options: Any) -> None:
        if all:
            article_ids = list(Article.objects.values_list("pk", flat=True))
        else:
            assert article_ids is not None  # the group is required: no --all, so --article
            missing = set(article_ids) - set(
                Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True)
            )
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, sorted(missing)))}.")
        count = article_reparse(article_ids=article_ids)
        self.stdout.write(f"{count} articles queued for parsing.")

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.models import Article
from ingest.services import UploadError, article_submit, upload_size_check

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm"}


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{path}: no such file or folder.")
    return found


class Command(BaseCommand):
    help = (
        "Submit article files (.txt or .html; folders are searched) for parsing into draft "
        "claims. Prints a summary: new, duplicate, failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--published", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--outlet", default="", help="Name of the publishing outlet.")
        parser.add_argument(
            "--wait", action="store_true", help="Wait until workers have parsed every article."
        )
        parser.add_argument("--timeout", type=int, default=600, help="Seconds --wait waits.")

    def handle(
        self,
        *args: Any,
        paths: list[Path],
        published: date | None,
        outlet: str,
        wait: bool,
        timeout: int,
        **options: Any,
    ) -> None:
        files = _files(paths)
        new_ids: list[int] = []
        duplicates, refused = 0, 0
        show_bar = sys.stderr.isatty() and options["verbosity"] > 0
        for path in tqdm(files, desc="Submitting", unit="file", disable=not show_bar):
            try:
                upload_size_check(name=path.name, size=path.stat().st_size)
                submission = article_submit(
                    content=path.read_bytes(),
                    filename=path.name,
                    published=published,
                    outlet_name=outlet,
                )
            except UploadError as exc:
                refused += 1
                self.stderr.write(f"refused: {exc}")
                continue
            if submission.created:
                new_ids.append(submission.article.pk)
            else:
                duplicates += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"{path}: {submission.message}")
        if wait and new_ids:
            self._wait(new_ids, timeout=timeout, show_bar=show_bar)
        counts = dict.fromkeys(Article.Status.values, 0)
        for status in Article.objects.filter(pk__in=new_ids).values_list("status", flat=True):
            counts[status] += 1
        self.stdout.write(
            f"{len(new_ids)} new, {duplicates} duplicate, "
            f"{refused + counts[Article.Status.FAILED]} failed "
            f"({counts[Article.Status.PARSED]} parsed, "
            f"{counts[Article.Status.QUEUED] + counts[Article.Status.PARSING]} waiting)."
        )
        for article in Article.objects.filter(pk__in=new_ids, status=Article.Status.FAILED):
            self.stderr.write(f"failed: article {article.pk} ({article}): {article.error}")

    def _wait(self, ids: list[int], *, timeout: int, show_bar: bool) -> None:
        pending = Article.objects.filter(
            pk__in=ids, status__in=[Article.Status.QUEUED, Article.Status.PARSING]
        )
        deadline = time.monotonic() + timeout
        with tqdm(total=len(ids), desc="Parsing", unit="article", disable=not show_bar) as bar:
            while (left := pending.count()) and time.monotonic() < deadline:
                bar.n = len(ids) - left
                bar.refresh()
                time.sleep(0.5)
            bar.n = len(ids) - pending.count()
            bar.refresh()
        if pending.exists():
            raise CommandError(
                f"{pending.count()} articles still waiting after {timeout}s: is a worker running?"
            )

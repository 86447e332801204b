import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.models import Article
from ingest.manifest import ManifestEntry, ManifestError, manifest_find, manifest_read
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


def _manifest_entries(files: list[Path], manifest: Path | None) -> dict[Path, ManifestEntry]:
    """Entries of the manifest given, or else of each manifest.csv / manifest.json found in
    the files' folders."""
    paths = [manifest] if manifest else {manifest_find(f.parent) for f in files} - {None}
    entries: dict[Path, ManifestEntry] = {}
    try:
        for path in paths:
            assert path is not None
            entries.update(manifest_read(path))
    except ManifestError as exc:
        raise CommandError(str(exc)) from exc
    return entries


def _entry_for(path: Path, entries: dict[Path, ManifestEntry]) -> ManifestEntry:
    """The entry naming this file (relative to the manifest's folder), else the one entry with
    its file name: a manifest kept elsewhere (--manifest) can name files by name alone."""
    if path.resolve() in entries:
        return entries[path.resolve()]
    same_name = [entry for file, entry in entries.items() if file.name == path.name]
    return same_name[0] if len(same_name) == 1 else ManifestEntry()


class Command(BaseCommand):
    help = (
        "Submit article files (.txt or .html; folders are searched) for parsing into draft "
        "claims. Per-file dates, outlets, URLs and titles come from a manifest.csv or "
        "manifest.json beside the files (columns: file, published, outlet, url, title). "
        "Prints a summary: new, duplicate, failed (with why a file could not be read), and the "
        "articles left without a date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--published",
            type=date.fromisoformat,
            help="YYYY-MM-DD, for files the manifest gives no date.",
        )
        parser.add_argument(
            "--outlet", default="", help="Publishing outlet, for files the manifest names none."
        )
        parser.add_argument(
            "--manifest",
            type=Path,
            help="CSV or JSON of file, published, outlet, url, title (default: a manifest.csv "
            "or manifest.json in each file's folder).",
        )
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
        manifest: Path | None,
        wait: bool,
        timeout: int,
        **options: Any,
    ) -> None:
        files = _files(paths)
        if manifest and not manifest.is_file():
            raise CommandError(f"{manifest}: no such manifest.")
        entries = _manifest_entries(files, manifest)
        new_ids: list[int] = []
        duplicates, refused = 0, 0
        show_bar = sys.stderr.isatty() and options["verbosity"] > 0
        for path in tqdm(files, desc="Submitting", unit="file", disable=not show_bar):
            try:
                upload_size_check(name=path.name, size=path.stat().st_size)
                entry = _entry_for(path, entries)
                submission = article_submit(
                    content=path.read_bytes(),
                    filename=path.name,
                    published=entry.published or published,
                    outlet_name=entry.outlet or outlet,
                    url=entry.url,
                    title=entry.title,
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
        # A worker finds a duplicate of another file's text once it has read it.
        read_duplicates = counts[Article.Status.DUPLICATE]
        waiting = sum(counts[status] for status in Article.WAITING_STATUSES)
        self.stdout.write(
            f"{len(new_ids) - read_duplicates} new, {duplicates + read_duplicates} duplicate, "
            f"{refused + counts[Article.Status.FAILED]} failed "
            f"({counts[Article.Status.PARSED]} parsed, {waiting} waiting)."
        )
        unfinished = Article.objects.filter(
            pk__in=new_ids, status__in=[Article.Status.FAILED, Article.Status.DUPLICATE]
        ).defer("body", "original_content")
        for article in unfinished.order_by("pk"):
            if article.status == Article.Status.FAILED:
                self.stderr.write(f"failed: article {article.pk} ({article}): {article.error}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"{article.original_filename}: {article.error}")
        self._report_undated(new_ids)

    def _report_undated(self, ids: list[int]) -> None:
        """Articles without a published date (none given, none in the text or HTML): their
        undated claims can only be placed once an editor dates them."""
        undated = Article.objects.filter(pk__in=ids, published_date__isnull=True).order_by("pk")
        names = [
            article.original_filename or f"article {article.pk}"
            for article in undated.only("pk", "original_filename")
        ]
        if names:
            waiting = undated.filter(status__in=Article.WAITING_STATUSES).exists()
            so_far = " so far (parsing may find one)" if waiting else ""
            self.stdout.write(
                f"{len(names)} without a date{so_far}: {', '.join(names)}. "
                "Give one in a manifest or with --published."
            )

    def _wait(self, ids: list[int], *, timeout: int, show_bar: bool) -> None:
        pending = Article.objects.filter(pk__in=ids, status__in=Article.WAITING_STATUSES)
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

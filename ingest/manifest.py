"""Per-file metadata for `ingest_articles` (issue 14): a manifest beside the article files,
`manifest.csv` or `manifest.json`, with one entry per file: file, published (YYYY-MM-DD),
outlet, url, title. Pure parsing, no Django: a bad manifest is a ManifestError that names the
entry and the problem."""

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

MANIFEST_NAMES = ("manifest.csv", "manifest.json")
FIELDS = ("file", "published", "outlet", "url", "title")


class ManifestError(ValueError):
    """The manifest cannot be used; the message says where and why."""


@dataclass(frozen=True)
class ManifestEntry:
    published: date | None = None
    outlet: str = ""
    url: str = ""
    title: str = ""


def manifest_find(folder: Path) -> Path | None:
    """The manifest in `folder`, if there is one (CSV first)."""
    for name in MANIFEST_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def manifest_read(path: Path) -> dict[Path, ManifestEntry]:
    """Entries by the absolute path of the file they describe (`file` is relative to the
    manifest's folder)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot be read: {exc}") from exc
    entries = manifest_parse(text, name=str(path))
    return {(path.parent / file).resolve(): entry for file, entry in entries.items()}


def manifest_parse(text: str, *, name: str) -> dict[str, ManifestEntry]:
    """Entries by the `file` they name, from a manifest's text: JSON when `name` ends in
    .json, CSV otherwise. `name` also says where a problem is."""
    path = Path(name)
    rows: list[object] = (
        _json_rows(path, text) if path.suffix.lower() == ".json" else list(_csv_rows(path, text))
    )
    entries: dict[str, ManifestEntry] = {}
    for number, row in enumerate(rows, start=1):
        where = f"{path}, entry {number}"
        if not isinstance(row, dict):
            raise ManifestError(f"{where}: expected an object with the fields {', '.join(FIELDS)}.")
        file = str(row.get("file") or "").strip()
        if not file:
            raise ManifestError(f"{where}: no file named.")
        values = {key: str(row.get(key) or "").strip() for key in FIELDS[2:]}
        entries[file] = ManifestEntry(published=_date(row.get("published"), where=where), **values)
    return entries


def _csv_rows(path: Path, text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or "file" not in reader.fieldnames:
        raise ManifestError(f"{path}: the first line must name the columns, among them 'file'.")
    return list(reader)


def _json_rows(path: Path, text: str) -> list[object]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path}: not valid JSON: {exc}") from exc
    if isinstance(data, dict):
        data = data.get("articles")
    if not isinstance(data, list):
        raise ManifestError(f'{path}: expected a list of entries, or {{"articles": [...]}}.')
    return data


def _date(value: object, *, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ManifestError(f"{where}: published {value!r} is not a date (YYYY-MM-DD).") from exc

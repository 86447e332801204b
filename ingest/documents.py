"""From uploaded bytes to article text. Plain Python, no Django: decoding, refusing what is
not text, and taking the main text and metadata out of HTML.

An upload request only runs `upload_check` (cheap: no decoding, no parsing); the worker
runs `document_read`, which can take seconds on a large HTML page (issue 17 item 10)."""

import codecs
import hashlib
import re
from dataclasses import dataclass
from datetime import date

import charset_normalizer
import trafilatura

from ingest.extraction.types import ArticleMetadata


class DocumentError(ValueError):
    """The upload is not an article we can read; the message says why, for the uploader."""


@dataclass(frozen=True)
class Document:
    text: str
    is_html: bool
    metadata: ArticleMetadata


# File signatures of formats people upload by mistake.
_BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a Word/Excel file)",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<article|<p[\s>]|<div)", re.I)
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
_ANY_TAG = re.compile(rb"<(?:[a-zA-Z][a-zA-Z0-9-]*|!--|!doctype)[\s>/]", re.I)


def upload_check(content: bytes) -> None:
    """Refuses what is plainly no article without reading it as text: an empty file, white
    space alone, or a known binary format. Fast enough for the upload request."""
    if not content:
        raise DocumentError("The file is empty.")
    if content.isspace():
        raise DocumentError("The file holds only white space.")
    for signature, description in _BINARY_SIGNATURES.items():
        if content.startswith(signature):
            raise DocumentError(f"The file is {description}, not text or HTML.")


def upload_hash(content: bytes) -> str:
    """Identity of an upload: the same bytes sent again are the same article."""
    return hashlib.sha256(content).hexdigest()


def decode_text(content: bytes) -> str:
    """Decode bytes to text: a byte-order mark wins, then UTF-8, then the best guess of
    charset_normalizer (Windows-1251 Cyrillic and the like)."""
    upload_check(content)
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                return _checked(content.decode(encoding))
            except UnicodeDecodeError as exc:
                raise DocumentError(f"The file starts as {encoding} but is not: {exc}.") from exc
    try:
        return _checked(content.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(content).best()
    if best is None:
        raise DocumentError("The file is not text in any encoding we recognise.")
    return _checked(str(best))


def _checked(text: str) -> str:
    if "\x00" in text:
        raise DocumentError("The file contains NUL bytes: it looks like a binary file, not text.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError("The file holds only white space.")
    return text


def looks_like_html(content: bytes, *, content_type: str = "", filename: str = "") -> bool:
    if "html" in content_type.lower() or filename.lower().endswith(_HTML_EXTENSIONS):
        # A name or type says HTML, but plain text saved as .html has no tags to strip: read
        # it as text rather than refuse it as a page without an article.
        return bool(_ANY_TAG.search(content[:65536]))
    return bool(_HTML_START.match(content[:2048].lstrip(codecs.BOM_UTF8)))


def html_to_text(html: str) -> tuple[str, ArticleMetadata]:
    """The main text of an HTML page (no navigation, ads or share widgets) and its metadata."""
    try:
        text = trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            favor_recall=True,
        )
    except Exception as exc:  # lxml and trafilatura raise many types on broken markup
        raise DocumentError(f"The HTML page could not be read ({type(exc).__name__}).") from exc
    if not text or not text.strip():
        raise DocumentError("The HTML page has no readable article text.")
    try:
        meta = trafilatura.extract_metadata(html)
    except Exception:  # e.g. htmldate's AssertionError on an <svg> page: metadata is optional
        meta = None
    metadata = ArticleMetadata()
    if meta is not None:
        metadata = ArticleMetadata(
            title=(meta.title or "")[:500],
            published=_iso_date(meta.date),
            outlet=(meta.sitename or "")[:200],
            author=(meta.author or "")[:300],
        )
    return text, metadata


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def document_read(content: bytes, *, content_type: str = "", filename: str = "") -> Document:
    """The article text of an upload, whatever form it came in."""
    text = decode_text(content)
    if looks_like_html(content, content_type=content_type, filename=filename):
        body, metadata = html_to_text(text)
        return Document(text=_checked(body), is_html=True, metadata=metadata)
    return Document(text=text, is_html=False, metadata=ArticleMetadata())


def content_hash(text: str) -> str:
    """Identity of an article's text: the same words with other spacing are the same article."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()

"""Sentence splitting that keeps character offsets into the original text."""

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "col",
    "lt",
    "st",
    "no",
    "vs",
    "rep",
    "sen",
    "maj",
    "capt",
    "sgt",
    "gov",
    "prof",
    "jr",
    "sr",
    "inc",
    "co",
    "corp",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "approx",
    "est",
    "adm",
    "cmdr",
    "pres",
}
_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9А-Я])")
_CLOSERS = "\"”’')]"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    index: int
    is_heading: bool  # a line without closing punctuation: headline, caption, junk


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    paragraph = -1
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        paragraph += 1
        heading = not _ends_sentence(line)
        piece_start = 0
        for match in _END.finditer(line):
            token = _last_token(line, piece_start, match.start()).lower()
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            _append(
                sentences,
                text,
                line_start + piece_start,
                line_start + match.end(),
                paragraph,
                heading,
            )
            piece_start = match.end()
        _append(
            sentences, text, line_start + piece_start, line_start + len(line), paragraph, heading
        )
    return sentences


def _ends_sentence(line: str) -> bool:
    """Closing punctuation, maybe inside a quote or bracket, or a closing quote at the end.
    (String tests rather than an end-anchored pattern, which is tried at every position.)"""
    line = line.rstrip()
    # A colon ends a line that introduces a list ("Losses over the past day:"): body text.
    return line.endswith(('"', "”", "’", ":")) or line.rstrip(_CLOSERS).endswith(
        (".", "!", "?", "…")
    )


def _last_token(line: str, start: int, end: int) -> str:
    """The run of word characters and dots that ends at `end` ('Gen', 'U.S')."""
    i = end
    while i > start and (line[i - 1].isalnum() or line[i - 1] in "_."):
        i -= 1
    return line[i:end]


# Scraped pages sometimes run on for thousands of words without a full stop. The stages look
# at the whole sentence around each figure, so an unbounded "sentence" makes the work grow
# with its square (minutes for a few hundred kilobytes); real sentences are far shorter.
MAX_SENTENCE_CHARS = 1500


def _append(
    out: list[Sentence], text: str, start: int, end: int, paragraph: int, heading: bool
) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = _break_before(text, start, start + MAX_SENTENCE_CHARS)
        _append(out, text, start, cut, paragraph, heading)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph, len(out), heading))


def _break_before(text: str, start: int, limit: int) -> int:
    """Where to cut a run-on sentence: after the last "; " or ", " (never inside "1,200"),
    else at the last space, else at the limit."""
    floor = start + MAX_SENTENCE_CHARS // 2
    for mark in ("; ", ", ", " "):
        at = text.rfind(mark, floor, limit)
        if at != -1:
            return at + len(mark.rstrip())
    return limit


# "KYIV, Oct 4 (Reuters) -", "MOSCOW —": where the story was filed.
_DATELINE_PREFIX = re.compile(
    r"^[A-Z]{3,}[A-Z'’./ -]{0,40}(?:,\s*[A-Z][a-z]+\.?)?(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?)?\s*(?:\([^)]{1,40}\)\s*)?[-–—:]\s+"
)


def without_dateline(text: str) -> str:
    """`text` with a leading dateline blanked out (same length, so offsets hold): the city a
    story was filed from is neither a party to it nor the place of its figures."""
    m = _DATELINE_PREFIX.match(text)
    return " " * m.end() + text[m.end() :] if m else text

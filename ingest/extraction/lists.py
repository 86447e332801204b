"""Figures that take their words from their neighbours in one sentence, on the sentence's `Item`s.

Lists share their verb (`lost 279,440 troops, 4,732 tanks and ...`, `17 civilians, 10 rebels and
10 soldiers were killed`, `52 children and 31 women killed by`); `including`/`among them` make
sub-counts linked to their total; a tally's label before a dash or colon (`tanks - 1,077`,
`killed: 800`) or after one (`213 - servicemen`) is the figure's noun; a `(+N)` increment counts
what its figure counts; `respectively` gives each figure its own noun; `140 Lebanese and 12
foreign nationals` share the noun; `2,200 of its 3,500 tanks` is a part and its stock."""

import re
from dataclasses import replace

from ingest.extraction import sides as sides_mod
from ingest.extraction.categories import (
    NounPhrase,
    _classify,
)
from ingest.extraction.state import Item

_COMPARISON = re.compile(r"\b(?:compared (?:to|with)|versus|vs\.?|against|while)\b", re.I)


PARTITIVE_NP = re.compile(r"^of\s+(?:them|those|these|whom|which)\b", re.IGNORECASE)


# The label of a tally entry, between a list separator and the dash or colon before the figure
# (and its qualifier: 'personnel - about 24,500').
TALLY_QUALIFIER = (
    r"(?:(?:about|approximately|around|nearly|almost|over|more than|at least|up to|some)\s+|~\s*)?"
)
LABEL_LEFT = re.compile(
    r"(?:^|[,;:(]|\band\b)\s*(?:[•*▪●·]\s*)?"
    rf"(?P<label>[A-Za-z][A-Za-z'’ -]{{1,50}}?)\s*(?:\s[-–—]|[-–—:])\s*{TALLY_QUALIFIER}$"
)


# A sentence that is only labels and figures: 'Army - 140, National Guard - 50, Navy - 9.'
_LABELLED_TALLY = re.compile(
    rf"^(?:\s*(?:and\s+)?[A-Za-z][\w'’ -]{{1,40}}?\s*(?:\s[-–—]|:)\s*{TALLY_QUALIFIER}"
    r"\d[\d,.]*(?:\s*\(\s*\+\s*\d[\d,.]*\s*\))?(?:\s+(?:people|persons|units))?\s*[,;.]?)+\s*$"
)
_LABEL_RIGHT = re.compile(r"\s*[-–—]\s*(?P<label>[A-Za-z][\w'’ ]{1,40}?)\s*(?=[,;.)]|\band\b|$)")
_FROM_GROUP = re.compile(
    r"\s+(?:from|of)\s+(?:the\s+)?(?P<label>[A-Z][\w'’]*(?:\s+(?:of\s+)?[A-Z][\w'’]*){0,5})"
    r"(?=\s*(?:[,;.)–—]|\s-\s|and\b|$))"
)
_RESPECTIVELY = re.compile(r",?\s*respectively\b", re.IGNORECASE)
_PLAIN_AND = re.compile(r"\s*(?:,|,?\s*(?:and|or))\s*")


_PARTITIVE_LEFT = re.compile(r"\b(?:of|among)\s+(?:whom|them|which|those|these)\b", re.IGNORECASE)
_LABEL_MARKS = ("-", "–", "—", ":")
INCREMENT_LEFT = re.compile(r"\s*\(\s*\+\s*")


def denominators(items: list[Item]) -> None:
    """'lost 2,200 of its 3,500 tanks': the second figure is a stock, the first takes its noun."""
    for i in range(len(items) - 1):
        item, nxt = items[i], items[i + 1]
        if (
            re.fullmatch(
                r"of\s+(?:its|their|the|his|her|our|an?\s+estimated)", item.np.text, re.IGNORECASE
            )
            and nxt.figure.start - item.np.end <= 2
        ):
            item.np = replace(nxt.np, start=item.np.start)
            item.zone_end = nxt.zone_end
            nxt.np = replace(nxt.np, kind="blocked", category=None, weak=None)
            nxt.linked = False


def propagate(items: list[Item]) -> None:
    """A list shares its verb: '17 civilians, 10 rebels and 10 soldiers were killed',
    'lost 279,440 troops, 4,732 tanks and ...'."""
    for i in range(len(items) - 2, -1, -1):
        item, nxt = items[i], items[i + 1]
        if (
            item.category is None
            and item.source != "blocked"
            and item.np.kind in ("person", "equipment")
            and nxt.linked
            # "a force of 150,000 troops, of whom 30,000 were killed": the whole is not killed
            and not _PARTITIVE_LEFT.search(nxt.left_text)
            and not PARTITIVE_NP.match(nxt.np.text)
            and (
                nxt.source in ("zone", "chain-back")
                # "52 children and 31 women killed by shelling": a participle after the noun
                or (
                    nxt.source == "noun phrase"
                    and (
                        (nxt.np.category and not nxt.np.weak)
                        or (nxt.np.weak and item.shares_head)  # "86 Israeli and 24 ... hostages"
                    )
                    and not nxt.subcount
                    and _PLAIN_AND.fullmatch(nxt.left_text)
                )
            )
            and nxt.category
        ):
            item.category = _fit(nxt.category, item.np)
            item.source, item.cue_word = "chain-back", nxt.cue_word
    carrier: Item | None = None
    for i in range(1, len(items)):
        item, prev = items[i], items[i - 1]
        if prev.category and (
            prev.source in ("left", "chain", "chain-back", "zone") or prev.np.kind == "equipment"
        ):
            carrier = prev
        elif not item.linked:
            carrier = None
        if not item.linked:
            carrier = None if not prev.category else carrier
        if item.linked and prev.category and _COMPARISON.search(item.left_text):
            carrier = prev  # "35,500 killed ..., compared to roughly 15,500 for Ukraine"
            item.left_direct = True
        if (
            item.category is None
            and item.source != "blocked"
            and item.linked
            and carrier is not None
        ):
            prev = carrier
            category = prev.category
            if prev.np.kind == "equipment" and item.np.kind == "person":
                category = "casualties" if prev.source == "left" else None
            if category:
                item.category = _fit(category, item.np)
                item.source, item.cue_word = "chain", prev.cue_word
                item.left_direct = item.left_direct or prev.left_direct
                item.left_cue_start = prev.left_cue_start
        if item.category is None and item.subcount and prev.category and item.np.kind != "blocked":
            item.category = _fit(prev.category, item.np)
            item.source, item.cue_word = "chain", "sub-count of the figure before"


def is_labelled_tally(s: str) -> bool:
    return any(mark in s for mark in _LABEL_MARKS) and bool(_LABELLED_TALLY.match(s))


_MONTH_LABEL = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b|\d"
)


def label_before(
    s: str, left_start: int, figure_start: int, *, in_list: bool = False
) -> NounPhrase | None:
    """'tanks - 1,077, armoured vehicles - 2,610', 'killed: 800': in a tally written as
    label and figure, the label before the dash or colon says what the figure counts. In a
    list line, a label that names no person or equipment ('State Border Guard Service - 18',
    'Navy - 19') is a group of the people the list counts."""
    left = s[max(left_start, figure_start - 80) : figure_start]
    if not any(mark in left for mark in _LABEL_MARKS):
        return None  # the pattern is tried at every place: first look for its dash or colon
    m = LABEL_LEFT.search(s, left_start, figure_start)
    if m is None:
        return None
    label = _classify(m.group("label"), m.start("label"), m.end("label"))
    if label.kind in ("person", "equipment"):
        return label
    if (
        in_list
        and label.kind == "none"
        and not label.category
        and not _MONTH_LABEL.search(label.text)
    ):
        group = re.sub(
            r"^(?:the|its|their|including|of whom|of which)\s+",
            "",
            m.group("label").strip(),
            flags=re.I,
        )
        return NounPhrase(label.start, label.end, group, "person", None, None, group, True)
    return None


def others_of_the_same(items: list[Item]) -> None:
    """'destroyed 45 combat vehicles and captured 12 others': 'others' counts more of what
    the figure before counts."""
    for prev, item in zip(items, items[1:], strict=False):
        if item.np.text.lower() in ("others", "more") and prev.np.kind in ("person", "equipment"):
            item.np = replace(prev.np, start=item.np.start, end=item.np.end)


def shared_heads(s: str, items: list[Item]) -> None:
    """'140 Lebanese and 12 foreign nationals': a figure followed by a demonym alone shares
    the noun of the next figure, as the list says."""
    for item, nxt in zip(items, items[1:], strict=False):
        if item.np.kind != "none" or " " in item.np.text.strip() or not item.np.text:
            continue
        found = sides_mod.mentions(item.np.text)
        if (
            found
            and found[0].kind in ("demonym", "group")
            and nxt.np.kind == "person"
            and re.fullmatch(r"\s*(?:,|and|or)\s*", s[item.np.end : nxt.figure.start])
        ):
            item.np = replace(item.np, kind="person")
            item.shares_head = True


def label_after(s: str, figure_end: int, limit: int) -> NounPhrase | None:
    """'213 - servicemen, 17 - civilians': the label after a dash."""
    if not any(mark in s[figure_end : figure_end + 3] for mark in "-–—"):
        return None
    m = _LABEL_RIGHT.match(s, figure_end, limit)
    if m is None:
        return None
    label = _classify(m.group("label"), m.start("label"), m.end("label"))
    return label if label.kind in ("person", "equipment") else None


def group_from(s: str, figure_end: int, limit: int) -> NounPhrase | None:
    m = _FROM_GROUP.match(s, figure_end, limit)
    if m is None:
        return None
    group = m.group("label").strip()
    return NounPhrase(m.start("label"), m.end("label"), group, "person", None, None, group, True)


def respectively(s: str, items: list[Item]) -> None:
    """'lost 500,000 and 8,000 soldiers and tanks, respectively': the nouns after the last
    figure of a run go one to each figure, in order."""
    m = _RESPECTIVELY.search(s)
    if m is None:
        return
    for end in range(len(items)):
        item = items[end]
        if not (item.np.start <= m.start() <= item.zone_end) or not item.np.text:
            continue
        start = end
        while start > 0 and items[start].linked and not items[start - 1].np.text:
            start -= 1
        parts = [p for p in re.split(r"\s*(?:,|\band\b)\s*", item.np.text) if p]
        run = items[start : end + 1]
        if len(run) < 2 or len(parts) != len(run):
            return
        at = item.np.start
        for part, owner in zip(parts, run, strict=True):
            at = s.index(part, at)
            owner.np = _classify(part, at, at + len(part))
            at += len(part)
        return


def respective_totals(items: list[Item]) -> None:
    """'destroyed 9 tanks and 27 armoured vehicles, bringing the totals to 9,300 and 18,900,
    respectively': the second run of figures counts what the first run counts, in order."""
    runs: list[list[Item]] = []
    for item in items:
        if runs and _PLAIN_AND.fullmatch(item.left_text):
            runs[-1].append(item)
        else:
            runs.append([item])
    if len(runs) < 2:
        return
    last = runs[-1]
    if any(item.category for item in last) or any(item.np.text for item in last[:-1]):
        return
    for earlier in reversed(runs[:-1]):
        if len(earlier) == len(last) and all(item.category for item in earlier):
            for item, model in zip(last, earlier, strict=True):
                item.np = replace(model.np, start=item.figure.end, end=item.figure.end)
                item.category, item.source = model.category, "respectively"
                item.cue_word = model.cue_word
                item.left_direct = True
            return


def increments(items: list[Item]) -> None:
    """'512,000 personnel (+1,110), 7,600 tanks (+12)': a tally's change since the last
    report counts the same thing as the figure it follows, in the same way."""
    for i, item in enumerate(items):
        prev = items[i - 1] if i else None
        if not item.increment or prev is None or prev.category is None or prev.rate:
            continue
        item.np = replace(prev.np, start=item.figure.end, end=item.figure.end)
        item.category, item.source, item.cue_word = prev.category, "increment", prev.cue_word
        item.left_direct = prev.left_direct
        item.left_cue_start = prev.left_cue_start
        item.subcount = False
        item.parent = None


def _fit(category: str, np: NounPhrase) -> str | None:
    if np.kind == "equipment":
        return "equipment"
    if category == "equipment":
        return "casualties" if np.kind == "person" else None
    return category


def link_parents(items: list[Item]) -> None:
    for i, item in enumerate(items):
        if i == 0:
            continue
        prev = items[i - 1]
        if item.subcount and prev.figure.low >= item.figure.low:
            item.parent = i - 1
        elif item.linked and prev.parent is not None:
            item.parent = prev.parent


def chain_start_index(items: list[Item], i: int) -> int:
    while i > 0 and items[i].linked:
        i -= 1
    return i


def chain_start(items: list[Item], i: int) -> int:
    while i > 0 and items[i].linked:
        i -= 1
    return items[i].left_start


def chain_end(items: list[Item], i: int) -> int:
    while i + 1 < len(items) and items[i + 1].linked:
        i += 1
    return items[i].zone_end

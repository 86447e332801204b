"""What a figure counts: the noun phrase after it ('Russian troops', 'pieces of equipment',
'square kilometers') and the loss cue around it ('were killed', 'lost', 'casualties')."""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from ingest.extraction.data import cues, fold

_TOKEN = re.compile(r"[A-Za-z][\w'’.\-]*[\w]|[A-Za-z]|\d[\d,.]*|[^\w\s]")
_STOP = {
    "were",
    "was",
    "is",
    "are",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "will",
    "would",
    "may",
    "might",
    "could",
    "can",
    "did",
    "do",
    "does",
    "who",
    "which",
    "that",
    "whom",
    "whose",
    "in",
    "on",
    "at",
    "from",
    "during",
    "since",
    "to",
    "by",
    "for",
    "with",
    "across",
    "near",
    "as",
    "after",
    "before",
    "while",
    "when",
    "into",
    "according",
    "said",
    "says",
    "told",
    "than",
    "among",
    "amid",
    "around",
    "over",
    "under",
    "between",
    "through",
    "until",
    "along",
    "against",
    "per",
    "via",
    "so",
    "this",
    "last",
    "daily",
    "each",
    "every",
    "a",
    "an",
    "there",
    "here",
    "if",
    "but",
    "out",
    "still",
    "now",
    "also",
    "not",
}
# Words that end a noun phrase without being a verb: "tanks such as", "killed yesterday".
_STOP |= {
    "such", "including", "plus", "respectively", "alone", "only", "just", "total", "yesterday",
    "today", "overnight", "tonight", "recently", "earlier", "later", "again",
}  # fmt: skip
_DETERMINERS = {"the", "its", "their", "his", "her", "our", "these", "those", "them", "whom"}
_WEAK_CAPTURED = {"pows", "pow", "prisoners", "prisoner", "hostages"}
_SPECIAL_PERSON_UNITS = {
    "civilians",
    "civilian",
    "officers",
    "generals",
    "marines",
    "children",
    "women",
    "pows",
    "hostages",
    "journalists",
    "pilots",
    "medics",
    "sergeants",
    "paratroopers",
    "conscripts",
    "mercenaries",
    "volunteers",
    "police",
    "policemen",
    "guards",
    "commanders",
    "national",
    "prisoners",
    "inmates",
    "convicts",
    "recruits",
    "residents",
    "workers",
    "staff",
    "kids",
    "patients",
    "elderly",
    "professionals",
}
_UNIT_TAIL = re.compile(
    r"\s+(?:and|or)(?:\s+(?:about|around|nearly|almost|over|more than|at least|up to|some))?$"
)
_GENERIC_MEMBERS = {"soldiers", "troops", "servicemen", "fighters", "members"}
_QUALIFIER_WORDS = re.compile(
    r"\b(?:at least|at most|up to|as many as|as high as|more than|less than|fewer than|over|"
    r"about|around|nearly|almost|roughly|some|approximately|an estimated|another|a further)\b",
    re.IGNORECASE,
)
_UNIT_VERBS = re.compile(
    r"\b(?:died|killed|dead|wounded|injured|hurt|captured|missing|were|was|have|had|been|"
    r"(?:returned|freed|released|exchanged|repatriated|evacuated|rescued)(?:\s+home)?)\b",
    re.IGNORECASE,
)
_SUBJECT_VERBS = {"lost", "lose", "loses", "losing", "suffered", "sustained"}
_PASSIVE_BEFORE = re.compile(r"\b(?:were|was|been|be|are|is)\s+$", re.IGNORECASE)
_COPULA = re.compile(r"^\s*(?:were|are|was|is)\s+", re.IGNORECASE)
_DURATION = re.compile(r"-(?!\d)[a-z]")
_NOT_A_COUNT = re.compile(r"\s*(?:%|percent\b|per\s?cent\b|times\b|-fold\b|x\b)", re.I)
_MAX_TOKENS = 9  # see noun_phrase
_INCLUDING_WOUNDED = re.compile(r"\binclud(?:ing|es|ed)\s+(?:the\s+)?(?:wounded|injured)\b")
_LEADS_TO_NEXT = re.compile(
    r"\b(?:at|to|reached|totall?ed|numbered)\s+(?:about|around|approximately|nearly|almost|"
    r"some|over|more than|at least|up to|an estimated)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NounPhrase:
    start: int
    end: int
    text: str
    kind: str  # person | equipment | blocked | none
    category: str | None  # a loss word inside the phrase ('20,000 killed', '4,000 losses')
    weak: str | None  # POWs, prisoners: captured unless a stronger cue says otherwise
    unit: str | None
    special: bool  # civilians, officers ...: a named sub-group


@dataclass(frozen=True)
class Cue:
    category: str
    start: int
    end: int
    word: str


def noun_phrase(sentence: str, start: int, limit: int) -> NounPhrase:
    """The words right after a figure that say what is counted."""
    text = sentence[start : min(limit, start + 160)]
    if _DURATION.match(text):
        # "18-month war", "15-year-old": a duration or an age, not a count.
        return NounPhrase(start, start, text[:12], "blocked", None, None, None, False)
    if _NOT_A_COUNT.match(text):
        return NounPhrase(start, start, text[:8], "blocked", None, None, None, False)
    offset = 0
    m = _COPULA.match(text)
    # The loop below reads at most seven words and one token ahead: no need to find more.
    tokens = list(islice(_TOKEN.finditer(text), _MAX_TOKENS))
    if m and tokens and tokens[0].group(0).lower() in ("were", "are", "was", "is"):
        nxt = text[m.end() :].split(" ", 1)[0].lower().strip(",.")
        if nxt in cues().person_nouns or nxt in ("regime", "rebels", "soldiers", "civilians"):
            offset = m.end()
            tokens = list(islice(_TOKEN.finditer(text, offset), _MAX_TOKENS))
    words: list[re.Match[str]] = []
    i = 0
    while i < len(tokens) and len(words) < 7:
        tok = tokens[i]
        low = tok.group(0).lower()
        if not tok.group(0)[0].isalpha() or (
            i > 0
            and tok.start() > tokens[i - 1].end() + 1
            and text[tokens[i - 1].end() : tok.start()].strip()
        ):
            break
        if low == "of":
            nxt = tokens[i + 1].group(0).lower() if i + 1 < len(tokens) else ""
            if nxt and nxt[0].isalpha() and nxt not in _STOP - _DETERMINERS:
                words.append(tok)
                i += 1
                continue
            break
        if low in ("and", "or"):
            nxt = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
            if (
                words
                and nxt
                and nxt[0].isalpha()
                and nxt.lower() not in _STOP
                and nxt.lower() not in _DETERMINERS
                and nxt.lower() not in ("some", "more")
                and not _is_number_word(nxt)
                and not all_cues(nxt.lower())
            ):
                words.append(tok)
                i += 1
                continue
            break
        if low in _STOP or _is_number_word(low):
            break
        if words and low in _DETERMINERS and words[-1].group(0).lower() != "of":
            break  # "9 tanks the day before": a determiner after the head starts a new phrase
        words.append(tok)
        i += 1
    while words and words[-1].group(0).lower() in ("and", "or", "of"):
        words.pop()
    if not words:
        return NounPhrase(start, start, "", "none", None, None, None, False)
    np_start, np_end = start + words[0].start(), start + words[-1].end()
    phrase = sentence[np_start:np_end]
    return _classify(phrase, np_start, np_end)


def _is_number_word(word: str) -> bool:
    return word.lower() in {
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "thousand",
        "million",
    }


def _classify(phrase: str, start: int, end: int) -> NounPhrase:
    kind, category, weak, unit, special = _classify_phrase(phrase)
    return NounPhrase(start, end, phrase, kind, category, weak, unit, special)


@lru_cache(maxsize=8192)
def _classify_phrase(phrase: str) -> tuple[str, str | None, str | None, str | None, bool]:
    """What a noun phrase counts; a pure function of the words, so phrases that recur across
    articles ('Russian troops', 'civilians') are worked out once."""
    c = cues()
    low = phrase.lower().replace("’", "'")
    head = re.split(r"\s+of\s+", low, maxsplit=1)[0]
    if head in ("pieces", "units", "number", "total", "some", "") and " of " in low:
        head = low.split(" of ", 1)[1]
    category = _strong_category(low)
    words = set(re.findall(r"[\w'-]+", low))
    head_words = set(re.findall(r"[\w'-]+", head))
    if c.blocker_noun_re.search(head) and not category and not (head_words & c.person_nouns):
        return "blocked", None, None, None, False
    if not category and c.blocker_verb_re.search(fold(low)):
        return "blocked", None, None, None, False
    weak = "captured" if words & _WEAK_CAPTURED else None
    kind = "none"
    if _is_equipment(low):
        kind = "equipment"
    elif _has_phrase(low, c.person_nouns) or category:
        kind = "person"
    special = bool(words & _SPECIAL_PERSON_UNITS)
    return kind, category, weak, _unit(phrase, kind), special


def _is_equipment(low: str) -> bool:
    """Equipment unless a person word stands outside every equipment phrase
    ('armored personnel carriers' is equipment, 'tank crews' would not be)."""
    c = cues()
    spans = [m.span() for m in c.equipment_re.finditer(low)]
    if not spans:
        return False
    return all(
        any(a <= m.start() and m.end() <= b for a, b in spans) for m in c.person_re.finditer(low)
    )


def _has_phrase(low: str, phrases: frozenset[str]) -> bool:
    c = cues()
    pattern = c.person_re if phrases is c.person_nouns else c.equipment_re
    return bool(pattern.search(low))


def _strong_category(low: str) -> str | None:
    found = [c for c in all_cues(low) if c.word not in _WEAK_CAPTURED]
    if not found:
        return None
    return combine(found, low)


def all_cues(text: str) -> list[Cue]:
    """Every loss word in `text`, longest first where two start at the same place."""
    c = cues()
    kept = []
    folded = fold(text)
    # "losses, including the wounded": the wounded are part of the losses, not their category.
    aside = [m.span() for m in _INCLUDING_WOUNDED.finditer(folded)] if "includ" in folded else []
    for m in c.any_category_re.finditer(folded):
        if any(start <= m.start() < end for start, end in aside):
            continue
        word = text[m.start() : m.end()].lower()
        key = re.sub(r"\s+", " ", word).replace("’", "'")
        kept.append(Cue(c.category_of.get(key, "casualties"), m.start(), m.end(), word))
    return kept


def combine(found: list[Cue], text: str) -> str | None:
    """The first cue, turned into 'casualties' when it is 'killed, captured or injured'."""
    if not found:
        return None
    first = found[0]
    distinct = {first.category}
    last_end = first.end
    for cue in found[1:]:
        gap = text[last_end : cue.start]
        if len(gap) > 14 or not re.fullmatch(
            r"[\s,]*(?:and|or|and/or|,)?[\s,]*(?:either\s+)?", gap
        ):
            break
        distinct.add(cue.category)
        last_end = cue.end
    person = distinct & {"killed", "wounded", "captured", "missing"}
    if len(person) > 1:
        return "casualties"
    return first.category


_NEW_CLAUSE = re.compile(r",?\s+(?:and|but)\s+that\b|;\s")


def zone_cue(text: str, *, before_figure: bool = False) -> tuple[str | None, bool]:
    """Loss cue after the noun phrase, up to the next figure. (category, blocked).
    With another figure right after, a trailing 'and wounded' is that figure's verb."""
    window = text[:110]
    # "... face famine, and that the toll could reach thousands": a new reported clause has
    # its own subject; its loss word is not this figure's.
    window = _NEW_CLAUSE.split(window, maxsplit=1)[0]
    if before_figure and _LEADS_TO_NEXT.search(window[-40:]):
        # "deaths at 95,000 and total casualties at 310,000": what follows 'and' introduces
        # the next figure.
        cut = window.rfind(" and ")
        window = window[:cut] if cut >= 0 else window
    found = all_cues(window)
    if before_figure and found and not window[found[-1].end :].strip():
        found = found[:-1]
    # "The brigade has 3,000 soldiers and lost a third": a subject's verb, not this figure's.
    found = [
        cue
        for cue in found
        if cue.word not in _SUBJECT_VERBS or _PASSIVE_BEFORE.search(window[: cue.start])
    ]
    clause = re.split(
        r"\b(?:as|when|while|after|before|because|since|although|though|where)\b",
        window,
        maxsplit=1,
    )[0]
    blocker = cues().blocker_verb_re.search(fold(clause))
    # Only a blocker next to the figure speaks about it ("800 people are sheltering").
    near = blocker is not None and len(window[: blocker.start()].split()) <= 4
    if blocker and near and (not found or blocker.start() < found[0].start):
        return None, True
    return combine(found, window), False


_PREPOSITION_END = re.compile(r"\b(?:for|of|in|at|from|near|with|among|to)\s+$")


def left_cue(text: str, width: int = 110) -> tuple[Cue | None, bool, bool]:
    """Closest loss cue before a figure: (cue, blocked, the cue governs the figure directly),
    within `width` characters."""
    window = text[-width:]
    found = all_cues(window)
    folded = fold(window)
    blockers = [
        b
        for b in cues().blocker_verb_re.finditer(folded)
        # "a camp for displaced families": a blocker inside a prepositional phrase describes
        # other people, it does not say what the figure counts.
        if not _PREPOSITION_END.search(folded, 0, b.start())
    ]
    blocker = blockers[-1] if blockers else None
    equipment = list(cues().equipment_loss_re.finditer(folded))
    if equipment and blocker and equipment[-1].start() > blocker.start():
        blocker = None  # "attacks were repulsed and troops destroyed three tanks"
    if not found:
        return None, bool(blocker), False
    # Walk back over "killed, damaged or captured" to the first cue of the run.
    cue = found[-1]
    category = combine([c for c in found if c.start >= cue.start], window[cue.start :])
    run_start = len(found) - 1
    while run_start > 0:
        gap = window[found[run_start - 1].end : found[run_start].start]
        if len(gap) > 10 or not re.fullmatch(r"[\s,]*(?:and|or)?[\s,]*", gap):
            break
        run_start -= 1
    if run_start < len(found) - 1:
        category = combine(found[run_start:], window[found[run_start].start :])
        cue = Cue(category or cue.category, found[run_start].start, cue.end, cue.word)
    if blocker and blocker.start() > cue.start:
        return None, True, False
    between = _QUALIFIER_WORDS.sub(" ", window[cue.end :])
    direct = len(between.split()) <= 4 and not re.search(
        r"\b(?:is|are|was|were|at|to|be|stood|reached|amounted|totaled|totalled)\b", between
    )
    return Cue(category or cue.category, cue.start, cue.end, cue.word), False, direct


def _without_mentions(text: str) -> str:
    from ingest.extraction.data import side_table

    spans = [m.span() for m in side_table().mention_re.finditer(fold(text))]
    kept, at = [], 0
    for start, end in spans:
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    return "".join(kept)


def _unit(phrase: str, kind: str) -> str | None:
    from ingest.extraction.data import side_table

    c = cues()
    words = phrase.replace("’", "'").split()
    table = side_table()
    out: list[str] = []
    for w in words:
        low = w.lower().strip(",")
        if low in _DETERMINERS or low in c.unit_strip or low in table.demonyms:
            continue
        if low in table.groups or low in ("of", "and") and not out:
            continue
        if any(
            low == cw
            for cw in (
                "killed",
                "dead",
                "deaths",
                "death",
                "wounded",
                "injured",
                "casualties",
                "losses",
                "captured",
                "missing",
            )
        ):
            continue
        out.append(w)
    text = " ".join(out).strip()
    text = re.sub(r"^(?:of|and)\s+", "", text)
    text = _UNIT_VERBS.sub("", text)
    text = _without_mentions(text)
    text = re.sub(r"\s+", " ", text).strip()
    # "armored vehicles and about" (the next figure's words), "National Guard soldiers"
    text = _UNIT_TAIL.sub("", text)
    words = text.split()
    if len(words) > 1 and words[-1].lower() in _GENERIC_MEMBERS and words[-2][:1].isupper():
        text = " ".join(words[:-1])
    low = text.lower()
    if kind == "equipment":
        if (
            not text
            or low in c.equipment_generic_units
            or low.startswith(("pieces", "units of "))
            and low.split(" of ", 1)[-1] in c.equipment_generic_units
        ):
            return None
        if low.startswith("units of "):
            return text[len("units of ") :]
        return text
    if kind == "person":
        if low in ("civilian", "civilians"):
            return "civilians"
        if not text or low in c.generic_person_nouns:
            return None
        if not (set(low.split()) & _SPECIAL_PERSON_UNITS) and not any(ch.isupper() for ch in text):
            return None
        return text
    return None

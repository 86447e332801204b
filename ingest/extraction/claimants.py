"""Who asserts a figure: 'X said', 'according to X', '..., said X', 'This was stated by X',
pronouns and 'the ministry' resolved to the last one named, names matched to known Sources."""

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ingest.extraction.data import cues, fold, side_table, trie_pattern
from ingest.extraction.reference import ReferenceCache
from ingest.extraction.sides import mentions, side_of_phrase
from ingest.extraction.types import ReferenceData, SourceRef

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "“": '"', "”": '"'})
_BOUNDARY = re.compile(r"[,;:“”\"()—–]|\s-\s|^")
_ADVERBS = {
    "however",
    "also",
    "meanwhile",
    "then",
    "now",
    "earlier",
    "previously",
    "later",
    "separately",
    "too",
    "though",
    "but",
    "and",
    "while",
    "as",
    "instead",
    "in turn",
    "in his turn",
    "in her turn",
    "for its part",
    "for his part",
    "for her part",
}
_REPORT_NOUNS = {
    "data",
    "figures",
    "figure",
    "report",
    "reports",
    "estimates",
    "estimate",
    "assessment",
    "calculations",
    "statement",
    "information",
    "tally",
    "count",
    "investigation",
    "analysis",
    "update",
    "article",
    "numbers",
    "records",
    "findings",
    "research",
    "post",
    "statistics",
    "briefing",
    "study",
    "survey",
}
_ACCORDING_CUT = re.compile(
    r"\s+(?:that|which|who|leaked|published|compiled|released|cited|quoted|as|since|during|"
    r"on|at|there|here|until|after|before|when|while|to)\b.*$"
)
_BACKWARD = re.compile(
    r"^(?:This|That|It|These|Those|The figures?|The data)\s+(?:was|were|has been|had been|is)\s+"
    r"(?:also\s+|earlier\s+)?(?:stated|said|announced|reported|confirmed|written|claimed|noted|"
    r"disclosed|revealed|published)\s+by\s+(?P<c>[^,.;:]+)"
    r"|^(?:This|That)(?:'s|\s+is|\s+was)\s+(?:the\s+)?(?:latest\s+|new\s+|official\s+)?"
    r"(?:report|figure|data|update|estimate|assessment|count|tally)s?\s+(?:from|of|by)\s+"
    r"(?P<c2>[^,.;:]+)"
)
_DASH_SOURCE = re.compile(
    r"\s[—–-]\s+(?P<c>[A-Z][\w.&' -]{0,40}?)\s+(?:report|data|figures|estimate|says|said)\s*$"
)
_ACCORDING = re.compile(
    r"\b[Aa]ccording\s+to\s+(?P<c>(?:[^,.;:“”\"—–(]|\.(?=[A-Za-z]))+\.?(?<=[A-Za-z.]))"
)
_PASSIVE_AUX = re.compile(
    r"(?:\b(?:was|were|is|are|been|be|being|not|widely|commonly)\s+)$", re.IGNORECASE
)
_DANGLING = {
    "and",
    "or",
    "but",
    "the",
    "a",
    "an",
    "this",
    "that",
    "their",
    "its",
    "his",
    "her",
    "our",
    "of",
    "to",
    "in",
}
_PUBLISHED_BY = re.compile(
    r"^(?i:(?:the|a|an|its|their)\s+)?"
    r"(?i:(?:new|latest|recent|joint|annual|first|second|final|preliminary|updated|earlier|"
    r"previous|daily|weekly|official)\s+)*(?P<noun>\w+)\s+"
    r"(?:(?:posted|issued|released|published|put out|shared)\s+)?(?:from|by|of)\s+"
    r"(?P<who>(?:the\s+)?[A-Za-z].*?)"
    r"(?:\s+(?:on|in|via)\s+(?:[A-Z]\w*|social media|its \w+ channel))?"
    r"(?:\s+(?:late|early|earlier)?\s*(?:on|in)\s+[A-Z]\w*)?(?:\s+(?:had|has|have|was|were))?$"
)
# "the General Staff's running tally", "Mediazona's count": whose figures these are.
_POSSESSIVE_SOURCE = re.compile(
    r"(?<![\w'])(?P<c>(?:the\s+)?[A-Z][\w.&-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w.&-]*){0,6})"
    r"'s\s+(?:(?:latest|new|running|official|own|daily|updated|weekly|monthly|final|preliminary|"
    r"current|last)\s+)*(?:tally|count|figures?|data|estimates?|assessment|statistics|"
    r"calculations|records)\b"
)
# "The report, by the Center for Strategic and International Studies, says": its author.
_REPORT_BY = re.compile(
    r"\b(?:report|study|analysis|assessment|survey|estimate|paper|review)s?,?\s+"
    r"(?:(?:published|released|issued|written)\s+)?(?:by|from)\s+"
    r"(?P<c>(?:the\s+)?[A-Z][\w.&'’-]*(?:\s+(?:(?:of|for|the|and|on)\s+)*[A-Z][\w.&'’-]*){0,8})"
)
# "The losses ... were confirmed by the Israeli army": who gave them.
_PASSIVE_BY = re.compile(
    r"\b(?:was|were|(?:has|have|had)\s+been)\s+(?:confirmed|reported|announced|given|released|"
    r"published|provided|stated|cited|recorded|documented|verified)\s+by\s+"
    r"(?P<c>(?:the\s+)?(?:[A-Z][\w.&'’-]*|[a-z]+)(?:\s+(?:(?:of|for|the|and)\s+)*[A-Z][\w.&'’-]*){0,6}"
    r"(?:\s+(?:army|military|ministry|command|office|agency|service|staff|forces))?)"
)
_LEADING_PREPOSITIONS = {
    "in", "near", "at", "on", "from", "outside", "inside", "around", "across", "after", "before",
    "during", "since", "for", "with", "by", "over", "under", "along", "toward", "towards",
}  # fmt: skip
_PUT_OUT = re.compile(r"(?<=put)\s+out\b")
_CITING = re.compile(r"\bciting\s+(?P<c>(?:the\s+)?[^,.;:\"“”()]{2,80})")
_CLAUSE_VERBS = {"that", "released", "published", "issued", "gave", "made", "looked"}
_TRAILING_PLACE = re.compile(
    r"\s+(?:in|at|from)\s+the\s+(?:[A-Z][\w'’]*-(?:run|controlled|held|led|ruled)\s+)?"
    r"[a-z][a-z -]*$"
)
_TRAILING_TIME = re.compile(
    r"\s+(?:in|on|since|by|until)\s+(?:(?:19|20)\d{2}|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)\b.*$"
)
_CLOSING_QUOTE = re.compile(r"[\"”’]\s*$")
_NAME_PARTICLES = {"al", "al-", "abdel", "abu", "bin", "ibn", "el", "de", "van", "von", "der"}


@dataclass(frozen=True)
class Attribution:
    raw: str
    kind: str  # according | subject | inverted | backward
    position: int
    relay: bool
    anaphor: bool


@dataclass
class Claimant:
    name: str
    is_person: bool
    side: str | None
    role: str = ""


@dataclass
class ArticleClaimants:
    """Who has been named so far in this article, for 'he said' and 'the ministry said'."""

    persons: list[tuple[str, str, str | None]] = field(default_factory=list)  # name, title, side
    orgs: list[Claimant] = field(default_factory=list)
    last_person: Claimant | None = None
    last: Claimant | None = None


@lru_cache(maxsize=1)
def _verb_regex() -> re.Pattern[str]:
    body = trie_pattern(set(cues().attribution_verbs))
    # Every verb starts with a letter, so (?<!\w) is the word boundary; it and the factored
    # auxiliaries ('ha(?:s|ve|d)') make the engine fail faster at each of the many words.
    return re.compile(rf"(?<!\w)(?:ha(?:s|ve|d)\s+|also\s+|reportedly\s+)*(?:{body})\b")


_INVERTED_VERBS = [
    "said", "says", "stated", "states", "added", "adds", "noted", "notes", "wrote", "writes",
    "claimed", "told", "reported", "reports", "announced", "explained", "continued",
    "emphasized", "insisted",
]  # fmt: skip


@lru_cache(maxsize=1)
def _inverted_regex() -> re.Pattern[str]:
    verbs = trie_pattern(_INVERTED_VERBS)  # not a flat list: tried after every space and comma
    return re.compile(
        rf"(?:[,\"”’]|\s-|\s–|\s—)\s*(?:{verbs})\s+(?!that\b|on\b|in\b|it\b|at\b|to\b|by\b|"
        r"during\b|this\b|last\b|earlier\b|previously\b|so\b|the\s+(?:figure|number)\b)"
        r"(?P<c>[^,.;:“”\"]{2,90}?)\s*(?:[,.;:]|$)"
    )


_QUICK = re.compile(
    r"\b(?:"
    + trie_pattern(
        [
            "said",
            "says",
            "say",
            "told",
            "tells",
            "added",
            "adds",
            "stated",
            "states",
            "claim",
            "claimed",
            "claims",
            "report",
            "reported",
            "reports",
            "estimat",
            "announc",
            "noted",
            "notes",
            "wrote",
            "writes",
            "confirm",
            "believ",
            "put",
            "puts",
            "acknowledg",
            "assess",
            "disclos",
            "reveal",
            "posted",
            "tweeted",
            "declar",
            "insist",
            "explain",
            "vow",
            "indicat",
            "inform",
            "assert",
            "alleg",
            "counted",
            "recorded",
            "documented",
            "identified",
            "establish",
            "found",
            "verified",
            "calculated",
            "mentioned",
            "specified",
            "emphasi",
            "underlin",
            "continued",
            "according",
            "tally",
            "count",
            "figures",
            "data",
            "estimate",
            "statistics",
        ]
    )
    + r")"
)  # searched in the folded sentence: a sentence without any of these names no speaker


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


_SHORT_BRACKETS = re.compile(r"\(([^)]{0,40})\)")
# Appositives ("Mediazona, a Russian independent media outlet, and ...") hide the subject.
# The comma comes first so that the engine looks for it before trying anything else.
_APPOSITIVE = re.compile(
    r",(?<=[A-Za-z],) (?:a|an|the|who|which|together with|along with|working with|"
    r"in cooperation with|in partnership with|citing)\s(?:[^,\"]|(?<=\d),(?=\d)){3,90}?,"
    r"(?=\s+(?:and\s|has\s|have\s|had\s|said|says|told|added|stated|claimed|reported|"
    r"estimates|noted|wrote|acknowledges|acknowledged|confirms|confirmed|identified))"
)


_SPEECH = re.compile(r"\b(?:said|says|told|added|stated|reported|announced)\b")


def _blank_appositive(m: re.Match[str]) -> str:
    """An aside between commas hides the subject ('the coalition, which says it lacks the
    means, acknowledges'); a noun phrase followed by its own speech verb ('In a post, the
    ministry said its air defences downed 37 drones, and ...') is no aside."""
    aside = m.group(0)
    if re.match(r",\s+(?:a|an|the)\s", aside) and _SPEECH.search(aside):
        return aside
    return " " * len(aside)


def find_attributions(sentence: str) -> list[Attribution]:
    if not _QUICK.search(fold(sentence)):
        return []
    text = _straight(sentence)
    if "(" in text:
        text = _SHORT_BRACKETS.sub(_blank, text)
    text = _APPOSITIVE.sub(_blank_appositive, text)
    found: list[Attribution] = []
    m = _BACKWARD.match(text)
    if m:
        name = m.group("c") or re.sub(
            r"\s+(?:amid|amidst|as|after|while|in|on)\b.*$", "", m.group("c2")
        )
        found.append(_make(name, "backward", 0))
    m = _DASH_SOURCE.search(text)
    if m:
        found.append(_make(m.group("c"), "according", m.start("c")))
    if "ccording" in text:  # a cheap test before the pattern, which starts with \b
        for m in _ACCORDING.finditer(text):
            found.append(_make(_clean_according(m.group("c")), "according", m.start()))
    for m in _inverted_regex().finditer(text):
        raw = m.group("c").strip()
        if re.search(r"\d", raw) or len(raw.split()) > 8:
            continue  # "said 46 Russian tanks had been destroyed": the content, not a speaker
        if any(c.isupper() for c in raw) or raw.lower().startswith(("the ", "he", "she")):
            found.append(_make(raw, "inverted", m.start("c")))
    for m in _verb_regex().finditer(text):
        if _PUT_OUT.match(text, m.end()):
            continue  # "put out of action": a loss, not a speaker putting a figure
        left = text[max(0, m.start() - 250) : m.start()]
        if _PASSIVE_AUX.search(left[-40:]) or _CLOSING_QUOTE.search(left[-4:]):
            continue  # passive, or '..." stated X': the inverted pattern reads that one
        subject = _subject_before(left)
        if subject:
            found.append(_make(subject, "subject", m.start()))
    for m in _REPORT_BY.finditer(text):
        found.append(_make(m.group("c"), "according", m.start("c")))
    if not any(a.kind == "backward" for a in found) and " by " in text:
        for m in _PASSIVE_BY.finditer(text):
            found.append(_make(m.group("c"), "according", m.start("c")))
    if "'s " in text:
        for m in _POSSESSIVE_SOURCE.finditer(text):
            found.append(_make(m.group("c"), "according", m.start("c")))
    found = [a for a in found if a.raw]
    if "citing" in text:
        # "Interfax reported, citing the defence ministry": the one cited is the source, the
        # one citing only relays it.
        cited = [
            _make(_clean_according(m.group("c")), "according", m.start("c"))
            for m in _CITING.finditer(text)
        ]
        cited = [a for a in cited if a.raw and not a.relay]
        if cited:
            return cited + [replace(a, relay=True) for a in found]
    return found


def _straight(text: str) -> str:
    """Curly quotes to straight ones, same length (offsets hold)."""
    return (
        text.replace("’", "'")
        .replace("ʼ", "'")
        .replace("‘", "'")
        .replace("“", '"')
        .replace("”", '"')
    )


def _make(raw: str, kind: str, position: int) -> Attribution:
    name, relay, anaphor = _speaker(raw)
    return Attribution(name, kind, position, relay, anaphor)


@lru_cache(maxsize=4096)
def _speaker(raw: str) -> tuple[str, bool, bool]:
    """(name as the claimant, relay, anaphor) for a speaker phrase: a pure function of its
    words, and speakers recur across articles ('he', 'the ministry', 'Zelensky'), so each is
    read once."""
    cleaned = _clean(raw)
    full = re.sub(r"\s+", " ", raw.translate(_APOSTROPHES)).strip(" ,.;:'\"-–—")
    full_low = full.lower()
    low = cleaned.lower()
    c = cues()
    relay = low in c.relay_outlets or full_low.startswith(("an article", "a report", "media"))
    if (
        cleaned
        and cleaned == low
        and low in c.org_words
        and " " not in low
        # "officials said": unnamed people, not the institution named last
        and low not in ("officials", "authorities", "sources", "medics", "doctors", "source")
    ):
        # "a ministry statement said": the ministry named before, as "the ministry" would be
        return f"the {low}", relay, True
    anaphor = (
        low in c.pronouns
        or full_low in c.person_anaphora
        or full_low in c.org_anaphora
        or _is_definite_description(full)
    )
    return (full_low if anaphor else cleaned), relay, anaphor


def _is_definite_description(phrase: str) -> bool:
    """'the Britain-based watchdog', 'the general': a role, not a name."""
    words = phrase.split()
    if not words or words[0].lower() not in ("the", "this"):
        return False
    rest = words[1:]
    if not rest or len(rest) > 2 or any("'" in w for w in rest):
        return False
    if side_of_phrase(phrase):
        return False
    return all(
        w[0].islower()
        or w.lower() in cues().org_words
        or re.search(r"-(?:based|led|backed|run|controlled)$", w)
        for w in rest
    )


def _subject_before(left: str) -> str | None:
    parts = [p for p in _BOUNDARY.split(left)]
    while parts:
        candidate = parts.pop().strip()
        if not candidate or candidate.lower() in _ADVERBS:
            continue
        break
    else:
        return None
    candidate = re.sub(r"^(?:and|but|while|as|so|yet|then|also)\s+", "", candidate, flags=re.I)
    published = _PUBLISHED_BY.match(candidate)
    if published and published.group("noun").lower() in _REPORT_NOUNS:
        candidate = published.group("who")  # "a statement posted by the paramilitary on X"
    candidate = _TRAILING_TIME.sub("", _before_inner_verb(candidate))
    if parts and _is_title_phrase(candidate) and not re.match(r"(?i)an?\s", candidate):
        # "Leo Docherty, British minister of state for the Armed Forces, said": the person
        # before the title set off by commas ("Near Robotyne, a commander said" names none).
        before = parts[-1].strip()
        name = _person_name(before)
        if (
            name
            and name == before
            and len(name.split()) > 1
            and before.split()[0].istitle()
            and before.split()[0].lower() not in _LEADING_PREPOSITIONS
        ):
            return name
    published = _PUBLISHED_BY.match(candidate)
    if published and published.group("noun").lower() in _REPORT_NOUNS:
        candidate = published.group("who")  # "a new report from the X Institute": the institute
    words = candidate.split()
    capitalised = sum(1 for w in words if w[0].isupper() or re.fullmatch(r"\d+(?:st|nd|rd|th)", w))
    # An institution's name may be long ("the Coordination Headquarters for the Treatment of
    # Prisoners of War"); a phrase of that length in lower case is a clause, not a speaker.
    if not words or len(words) > (14 if capitalised * 2 >= len(words) else 9):
        return None
    if re.search(r"\d(?!\d*(?:st|nd|rd|th)\b)", candidate):
        return None  # a figure, not a speaker; a unit's number ("the 93rd brigade") is one
    low = candidate.lower()
    c = cues()
    if low in ("we", "i", "us", "you", "our"):
        return None  # a speaker inside a quote: the attribution after the quote names them
    if low in c.pronouns or low in c.person_anaphora or low in c.org_anaphora:
        return candidate
    if words[0].lower() in (
        "that",
        "which",
        "who",
        "it's",
        "there",
        "this",
        "what",
        "when",
        "if",
        "because",
        "since",
        "how",
        "why",
        "where",
        "according",
        "in",
        "on",
        "at",
        "from",
        "with",
        "for",
        "of",
        "to",
        "into",
        "under",
        "over",
        "as",
    ):
        return None
    if (
        words[0][0].islower()
        and words[0].lower() not in ("a", "an", "the")
        and words[0].lower() not in c.org_words | c.person_nouns
        and words[-1].lower() not in c.org_words | c.person_nouns
        and not _person_name(candidate)
    ):
        return None  # "based on internal figures and Russia's": not a speaker
    if words[0].endswith("ing") or words[-1].lower() in _DANGLING:
        return None  # "Taking into account the above", "... in Donbas and"
    if any(w[0].isupper() for w in words) or words[0].lower() in ("a", "an", "the"):
        return candidate
    if len(words) <= 3 and words[-1].lower() in c.org_words | c.person_nouns:
        return candidate
    return None


def _is_title_phrase(phrase: str) -> bool:
    """'British minister of state', 'the army's spokesman': a role, set off after a name."""
    return any(w.lower().strip(",") in _person_titles() for w in phrase.split())


@lru_cache(maxsize=1)
def _person_titles() -> frozenset[str]:
    return frozenset(cues().raw["person_titles"])


def _before_inner_verb(candidate: str) -> str:
    """'the ministry said that residents', 'the group released a new': the subject is the
    words before the first verb; what follows belongs to the clause it opens."""
    words = candidate.split()
    verbs = cues().attribution_verbs
    for i, word in enumerate(words[1:], start=1):
        low = word.lower()
        if low in verbs or low in _CLAUSE_VERBS:
            return " ".join(words[:i])
    return candidate


def _clean_according(raw: str) -> str:
    raw = raw.strip()
    if " by " in raw:
        raw = raw.rsplit(" by ", 1)[1]
    raw = _ACCORDING_CUT.sub("", raw)
    m = re.match(r"^(?:the\s+)?(\w+)\s+of\s+(.+)$", raw, re.IGNORECASE)
    if m and m.group(1).lower() in _REPORT_NOUNS:
        raw = m.group(2)
    return raw


def _clean(raw: str) -> str:
    raw = raw.translate(_APOSTROPHES)
    raw = re.sub(r"\([^)]*\)", " ", raw)
    raw = re.sub(r"\s+", " ", raw).strip(" ,.;:'\"-–—")
    raw = re.sub(r"^(?:however|meanwhile|also|and|but)\s+", "", raw, flags=re.IGNORECASE)
    words = [w for w in raw.split() if w.lower() not in ("itself", "themselves")]
    while len(words) > 1 and words[-1].lower() in ("has", "have", "had", "so", "far", "now"):
        words.pop()  # "the coalition itself has so far (acknowledged)"
    while len(words) > 1 and re.sub(r"'s?$", "", words[-1].lower()) in _REPORT_NOUNS:
        words.pop()
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]  # "the ministry's (figures)": the ministry
    while words and (
        words[0].lower() in ("a", "an", "the", "leaked", "latest", "new", "independent")
        or re.search(r"-(?:based|backed|led|run|controlled)$", words[0])
    ):
        words.pop(0)
    for i, word in enumerate(words[1:], start=1):
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if (
            word.islower()
            and word.endswith("ing")
            and word not in ("during",)
            and not _is_org_word(nxt)  # "the UN human rights monitoring mission"
        ):
            words = words[:i]  # "Ukrainian marines defending Vuhledar"
            break
    first_name = next((i for i, w in enumerate(words) if w[:1].isupper()), 0)
    descriptor = words[first_name - 1].lower() if first_name > 0 else ""
    if (
        descriptor
        and all(w.islower() for w in words[:first_name])
        and (_is_org_word(descriptor) or descriptor == "tank")
    ):
        words = words[first_name:]  # "monitoring group Airwars", "think tank ISW"
    name = " ".join(words)
    trailing = cues().speaker_trailing_words
    while len(name.split()) > 1 and name.lower().endswith(trailing):
        cut = next(t for t in trailing if name.lower().endswith(t))
        if len(name) > len(cut) and name[-len(cut) - 1] != " ":
            break  # a word that only ends like one ('Snow')
        name = name[: -len(cut)].rstrip()
    # "the Health Ministry in the besieged enclave": a description of where, not the name;
    # "the Soviet General Staff in 1989": of when.
    return _TRAILING_TIME.sub("", _TRAILING_PLACE.sub("", name))


def is_speaker(name: str) -> bool:
    """Whether a name as written can be a claimant: a person, an office or institution, a
    country or government, a publication or research group, not a piece of the sentence
    around the figure ('number of Russian casualties', 'Russian troops')."""
    words = name.lower().split()
    while words and words[0] in ("the", "a", "an", "this", "that", "its", "their", "his", "her"):
        words = words[1:]  # "the count has recorded": the head noun decides
    if not words:
        return False
    c = cues()
    if words[0] in c.non_speaker_heads or " ".join(words[:2]) in c.non_speaker_heads:
        return False
    return words[-1] not in c.non_speaker_nouns


def pick(attributions: list[Attribution]) -> Attribution | None:
    """The claimant of a sentence: a named source beats a relay (BBC, Reuters) and a pronoun."""
    if not attributions:
        return None
    ranked = sorted(
        attributions,
        key=lambda a: (a.relay, a.anaphor, a.kind == "according", a.position),
    )
    return ranked[0]


# --- resolving names -------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceIndex:
    by_alias: dict[str, SourceRef]
    by_surname: dict[str, SourceRef]


@lru_cache(maxsize=4096)
def _norm(name: str) -> str:
    """The form names are compared in; names recur, so each is worked out once."""
    name = name.translate(_APOSTROPHES).lower()
    name = re.sub(r"[^\w' -]", " ", name)
    name = re.sub(r"^(?:the)\s+", "", name.strip())
    return re.sub(r"\s+", " ", name).strip()


def is_person(source: SourceRef) -> bool:
    """People are sometimes filed by role ('military', 'government'): a two- or three-word
    name without an organisation word is a person too."""
    if source.kind == "person":
        return True
    words = source.name.split()
    return (
        2 <= len(words) <= 3
        and all(w[0].isupper() for w in words)
        and not any(w.lower() in cues().org_words for w in words)
        and not side_of_phrase(source.name)
    )


def canonical_name(name: str, reference: ReferenceData) -> str:
    """The Source a claimant name stands for, or the name itself."""
    source = _lookup(name, source_index(reference))
    return source.name if source else name


def _build_source_index(reference: ReferenceData) -> SourceIndex:
    by_alias: dict[str, SourceRef] = {}
    surnames: dict[str, list[SourceRef]] = {}
    for source in reference.sources:
        for alias in (source.name, *source.aliases):
            by_alias.setdefault(_norm(alias), source)
        if is_person(source):
            parts = _norm(source.name).split()
            if len(parts) >= 2:
                surnames.setdefault(parts[-1], []).append(source)
    by_surname = {k: v[0] for k, v in surnames.items() if len(v) == 1}
    return SourceIndex(by_alias, by_surname)


@lru_cache(maxsize=4096)
def _variants(phrase: str) -> tuple[str, ...]:
    base = _norm(phrase)
    out = [base]
    demonym = {
        "russia's": "russian",
        "ukraine's": "ukrainian",
        "israel's": "israeli",
        "syria's": "syrian",
        "iraq's": "iraqi",
        "sudan's": "sudanese",
        "uk's": "uk",
        "britain's": "british",
        "america's": "us",
        "us": "us",
        "u s": "us",
    }
    words = base.split()
    swapped = [demonym.get(w, w) for w in words if w not in ("military's", "army's")]
    out.append(" ".join(swapped))
    out.append(" ".join(w for w in words if not w.endswith("'s")))
    return tuple(out)


def _is_org_word(word: str) -> bool:
    """'ministry', 'committees', 'networks': a word that names an institution, not a person."""
    org = cues().org_words
    singular = word[:-3] + "y" if word.endswith("ies") else word.removesuffix("s")
    return word in org or singular in org


def _person_name(phrase: str) -> str | None:
    """The name at the end of 'Ukraine's Commander-in-Chief Oleksandr Syrskyi'."""
    c = cues()
    words = phrase.split()
    run: list[str] = []
    for word in reversed(words):
        if run and _INITIAL.fullmatch(word):
            run.insert(0, word)  # a middle initial: "Jane A. Doe"
            continue
        low = word.lower().strip(",")
        bare = low.rstrip("'s") if low.endswith("'s") else low
        if (
            (word[0].isupper() or low in _NAME_PARTICLES)
            and low not in c.titles
            and not _is_org_word(bare)
            and not side_of_phrase(word)
            and not word.isupper()
            and not word.endswith("'s")
        ):
            run.insert(0, word)
        else:
            break
    while run and run[0].lower() in _NAME_PARTICLES:
        run.pop(0)
    if not run:
        return None
    before = words[len(words) - len(run) - 1].lower() if len(words) > len(run) else ""
    if before in ("for", "of", "on", "and", "&"):
        return None  # "Syrian Observatory for Human Rights", "Ministry of Health"
    if len(run) == 1 and len(words) > 1 and words[-2].lower() not in c.titles:
        return None
    return " ".join(run)


def resolve(
    attribution: Attribution,
    *,
    state: ArticleClaimants,
    reference: ReferenceData,
    text_before: str,
) -> Claimant | None:
    """A Claimant for an attribution, or None when it names nobody we can use."""
    raw = attribution.raw
    low = raw.lower()
    c = cues()
    index = source_index(reference)
    if attribution.anaphor:
        named = _lookup(re.sub(r"^(?:the|this)\s+", "", low), index)
        if named is not None and low not in c.pronouns:
            claimant = Claimant(named.name, is_person(named), named.affiliation, named.role)
            _remember(state, claimant, raw)
            return claimant
        local = _local_institution(low, text_before, index)  # "the health ministry"
        if local is not None:
            claimant = Claimant(local.name, False, local.affiliation, local.role)
            _remember(state, claimant, raw)
            return claimant
        found = _resolve_anaphor(low, state, text_before)
        if found is not None and not found.is_person:
            # a name read from the text may be a known source, or a country's institution
            known = _lookup(found.name, index) or _local_institution(found.name, text_before, index)
            if known is not None:
                return Claimant(known.name, is_person(known), known.affiliation, known.role)
        return found
    for part in re.split(r"\s+and\s+(?:the\s+)?", raw)[: 2 if " and " in raw else 0]:
        # "Mediazona and the BBC Russian Service": a joint count is credited to the first
        # partner we know, the name under which editors file it.
        partner = _lookup(_clean(part), index)
        if partner is not None:
            claimant = Claimant(partner.name, is_person(partner), partner.affiliation, partner.role)
            _remember(state, claimant, raw)
            return claimant
    source = _lookup(raw, index)
    person = _person_name(raw)
    if source is None and person:
        source = _lookup(person, index)
    if source is not None:
        claimant = Claimant(
            source.name,
            is_person(source),
            source.affiliation or side_of_phrase(raw),
            source.role,
        )
        _remember(state, claimant, raw)
        return claimant
    if person:
        full = person
        if len(person.split()) == 1:
            full = _full_name(person, text_before, state) or person
            source = _lookup(full, index)
            if source is not None:
                claimant = Claimant(source.name, is_person(source), source.affiliation, source.role)
                _remember(state, claimant, raw)
                return claimant
            if full == person and not _known_person(person, state):
                # A lone capitalised word ("Russia", "NATO", "Oryx") is an organisation.
                claimant = Claimant(_tidy_org(raw), False, side_of_phrase(raw))
                _remember(state, claimant, raw)
                return claimant
        side = side_of_phrase(raw) or _person_side(full, state)
        claimant = Claimant(full, True, side, raw)
        _remember(state, claimant, raw)
        return claimant
    if low in c.relay_outlets and attribution.kind != "according":
        return None
    if not is_speaker(raw):
        return None  # a fragment misleads an editor more than no claimant
    local = _local_institution(raw, text_before, index)
    if local is not None:
        claimant = Claimant(local.name, False, local.affiliation, local.role)
        _remember(state, claimant, raw)
        return claimant
    claimant = Claimant(_tidy_org(raw), False, side_of_phrase(raw))
    _remember(state, claimant, raw)
    return claimant


# Only health authorities: they count the dead of their own country, so the country named
# last is theirs. A defence ministry's is as often the enemy it reports on.
_GENERIC_INSTITUTION = re.compile(
    r"health\s+ministry|ministry\s+of\s+(?:public\s+)?health", re.IGNORECASE
)


def _local_institution(name: str, text_before: str, index: SourceIndex) -> SourceRef | None:
    """'the health ministry' with no country named: the known health ministry of the country
    or place the text named last ('Lebanon' ... 'the health ministry said')."""
    # "the territory's health ministry": the possessive points back at the place named before
    phrase = re.sub(r"^(?:(?:the|its|their)\s+)?(?:[a-z]+['’]s\s+)?", "", name.strip(), flags=re.I)
    if not _GENERIC_INSTITUTION.fullmatch(phrase):
        return None
    table = side_table()
    seen: set[str] = set()
    for m in reversed(mentions(text_before[-1500:])):
        if m.word in seen:
            continue
        seen.add(m.word)
        forms = [m.word]
        if m.slug and m.kind in ("demonym", "place"):
            country = table.country_names.get(m.slug)
            if country:
                forms.append(f"{country}'s")
        for form in forms:
            known = _lookup(f"{form} {phrase}", index)
            if known is not None:
                return known
    return None


def _lookup(phrase: str, index: SourceIndex) -> SourceRef | None:
    for variant in _variants(phrase):
        if variant in index.by_alias:
            return index.by_alias[variant]
    words = _norm(phrase).split()
    if len(words) == 1 and words[0] in index.by_surname:
        return index.by_surname[words[0]]
    if " of " in f" {' '.join(words)} ":
        head = " ".join(words).split(" of ", 1)[0]
        if len(head.split()) > 1 and head in index.by_alias:
            return index.by_alias[head]
    for cut in range(1, len(words)):
        tail = " ".join(words[cut:])
        if tail in index.by_alias and (len(words) - cut > 1 or len(tail) >= 3):
            if len(words) - cut == 1 and _is_place(tail):
                continue  # "the President of Ukraine" is not the source called "Ukraine"
            source = index.by_alias[tail]
            named = side_of_phrase(" ".join(words[:cut]))
            if named and source.affiliation and named != source.affiliation:
                continue  # "the Soviet General Staff" is not Ukraine's General Staff
            return source
    return None


def _is_place(word: str) -> bool:
    """A country or a town: a source named after one ('Moscow', 'Ukraine') is meant only
    when the phrase is the place alone."""
    table = side_table()
    return word in table.places or word in {c.lower() for c in table.country_names.values()}


def _tidy_org(raw: str) -> str:
    if raw.lower() in side_table().demonyms and " " not in raw:
        # "according to Israeli figures" is Israel speaking
        return side_table().country_names.get(side_table().demonyms[raw.lower()], raw)
    m = re.fullmatch(r"([a-z][a-z ]+) of (Ukraine|Russia|Israel|Syria|Iraq|Sudan)", raw)
    if m:
        adjective = {
            "Ukraine": "Ukrainian",
            "Russia": "Russian",
            "Israel": "Israeli",
            "Syria": "Syrian",
            "Iraq": "Iraqi",
            "Sudan": "Sudanese",
        }[m.group(2)]
        return f"{adjective} {m.group(1)}"
    words = raw.split()
    demonym = {
        "Russia's": "Russian",
        "Ukraine's": "Ukrainian",
        "Israel's": "Israeli",
        "Syria's": "Syrian",
        "Iraq's": "Iraqi",
        "Sudan's": "Sudanese",
        "Britain's": "British",
    }
    out = []
    for i, w in enumerate(words):
        if w in demonym:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if nxt and (
                nxt.lower() in cues().org_words or nxt.lower() in cues().titles or nxt[0].islower()
            ):
                out.append(demonym[w])
            continue  # "Ukraine's Khortytsia group": the possessive adds nothing
        if w.lower() in ("military's", "army's"):
            continue
        out.append(w)
    return " ".join(out) or raw


def _full_name(surname: str, text_before: str, state: ArticleClaimants) -> str | None:
    for name, _title, _side in reversed(state.persons[-200:]):
        if name.split()[-1] == surname and len(name.split()) > 1:
            return name
    if surname not in text_before:
        return None  # the pattern below needs the surname as written: no need to run it
    matches = list(
        re.finditer(rf"((?:[A-Z][\w'’-]+\s+|[A-Z]\.\s+){{1,2}}){re.escape(surname)}\b", text_before)
    )
    for m in reversed(matches):
        person = _person_name(m.group(0).replace("’", "'"))
        if person and len(person.split()) > 1:
            return person
    return None


def _known_person(name: str, state: ArticleClaimants) -> bool:
    return any(n.split()[-1] == name for n, _t, _s in state.persons)


def _person_side(name: str, state: ArticleClaimants) -> str | None:
    for n, _title, side in reversed(state.persons):
        if n == name and side:
            return side
    return None


def _remember(state: ArticleClaimants, claimant: Claimant, raw: str) -> None:
    state.last = claimant
    if claimant.is_person:
        state.persons.append((claimant.name, raw.lower(), claimant.side))
        state.last_person = claimant
    else:
        state.orgs.append(claimant)


def _resolve_anaphor(low: str, state: ArticleClaimants, text_before: str = "") -> Claimant | None:
    c = cues()
    low = re.sub(r"^(?:the|this)\s+", "", low)
    if low in ("he", "she", "him", "her"):
        return state.last_person or _titled_person(text_before, state)
    roles = (
        "general",
        "president",
        "minister",
        "spokes",
        "commander",
        "official",
        "governor",
        "mayor",
        "head",
        "chief",
        "secretary",
        "colonel",
        "director",
    )
    words = low.split()
    role = next((r for r in roles for w in words if w.startswith(r)), None)
    if role and not any(w in c.org_words for w in words[1:]):
        for name, title, side in reversed(state.persons):
            if role in title or (role == "general" and "command" in title):
                return Claimant(name, True, side)
        return state.last_person or _titled_person(text_before, state, role)
    head = words[-1] if words else ""
    named = [org for org in state.orgs if any(ch.isupper() for ch in org.name)]
    for org in reversed(named):
        if head and head in org.name.lower():
            return org
    if head and head not in _REPORT_NOUNS and text_before and head in text_before.lower():
        # "the paramilitary" after "the paramilitary Rapid Support Forces", "the monitor" after
        # "the monitoring group Airwars": the name the descriptor introduced.
        introduced = re.findall(
            rf"\b(?i:the)\s+(?:[a-z-]+\s+){{0,2}}(?i:{re.escape(head)})\w*\s+"
            r"([A-Z][\w'’.&-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w'’.&-]*){0,5})",
            text_before,
        )
        if introduced:
            name = introduced[-1].rstrip(".")
            return Claimant(name, False, side_of_phrase(name))
    if (
        head
        and head not in ("it", "they")
        and head not in _REPORT_NOUNS
        and text_before
        # A quick look for the word itself before the costly pattern (folding an ASCII word
        # finds it wherever the pattern's case-insensitive match could).
        and (not head.isascii() or head in fold(text_before))
    ):
        # "the coalition" after "the US-led coalition" was mentioned without a claim
        found = re.findall(
            rf"((?:[A-Z][\w.]*(?:['’]s)?(?:-[a-z]+)?\s+){{1,3}})(?i:{re.escape(head)})\b",
            text_before,
        )
        if found:
            name = (found[-1].strip() + " " + head).strip()
            if any(ch.isupper() for ch in name):
                return Claimant(
                    re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE),
                    False,
                    side_of_phrase(name),
                )
    if low == "it" and text_before:
        # "In Moscow, the defence ministry gave another picture. ..., it said": the institution
        # the sentence before was about, though it was not quoted there.
        subject = _previous_subject_org(text_before)
        if subject is not None:
            return subject
    if head in c.org_words and text_before and head in text_before:
        # "the health ministry said ..." then "the ministry": the fuller phrase used before
        described = re.findall(
            rf"\b[Tt]he\s+((?:[a-z]+\s+){{1,2}}){re.escape(head)}\b", text_before
        )
        if described and not any(head in org.name.lower() for org in named):
            return Claimant(f"{described[-1].strip()} {head}", False, None)
    if low in ("it", "they") or head in c.org_words or low in c.org_anaphora:
        if named:
            return named[-1]
        if state.orgs:
            return state.orgs[-1]
        if (
            (state.last is None or state.last.is_person)
            and low not in ("it", "they")
            and head not in _REPORT_NOUNS
        ):
            # "the army said" with no army named before: keep what the text says (an
            # institution is never the person quoted last)
            return Claimant(re.sub(r"^(?:the|this)\s+", "", low), False, None)
        return state.last
    if named:
        return named[-1]
    return state.last


_SUBJECT_ORG = re.compile(
    r"^(?:[A-Z][^,.]{0,40},\s+)?"
    r"(?!(?i:according|in|on|at|as|by|for|to|from|with|after|before|while)\b)"
    r"(?P<org>(?:[Tt]he\s+)?(?:[\w'’-]+\s+){0,4}?"
    r"(?i:ministry|army|military|command|office|staff|government|council|agency|service|"
    r"department|observatory|committee|brigade|mission|coalition)"
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})?)\b"
    r"(?!\s+(?:said|says|told|reported|stated))"
)


def _previous_subject_org(text_before: str) -> Claimant | None:
    sentences = re.split(r"(?<=[.!?])\s+", text_before.strip())
    previous = sentences[-1] if sentences else ""
    m = _SUBJECT_ORG.match(previous)
    if m is None:
        return None
    name = _tidy_org(_clean(m.group("org")))
    if not name or not is_speaker(name):
        return None
    return Claimant(name, False, side_of_phrase(name))


_NAME_WORD = r"[A-Z][\w'’-]*\w"
# Two or three capitalised words, maybe with a middle initial: "Jane Doe", "Jane A. Doe".
_FULL_NAME = rf"{_NAME_WORD}(?:\s+(?:[A-Z]\.\s+)?{_NAME_WORD}){{1,2}}"
_INITIAL = re.compile(r"[A-Z]\.")


@lru_cache(maxsize=1)
def _titled_name_regex() -> re.Pattern[str]:
    """A person the text introduces by a title: 'Defence Minister Jane Doe', 'Gen. Ivan
    Koval', 'Jane Doe, the defence minister'."""
    titles = trie_pattern(cues().raw["person_titles"])
    return re.compile(
        rf"\b(?i:(?P<title>{titles}))\s+(?P<name>{_FULL_NAME})"
        rf"|(?P<name2>{_FULL_NAME}),\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){{0,3}}?"
        rf"(?i:(?P<title2>{titles}))\b"
    )


def _titled_person(
    text_before: str, state: ArticleClaimants, role: str | None = None
) -> Claimant | None:
    """The last person the text introduced by a title before this sentence (with `role`, by
    a title holding it), for 'he said' or 'the general said' when nobody has been quoted by
    name yet: 'Defence Minister Jane Doe visited the front.' ... '"...," she said.'"""
    found: tuple[str, str] | None = None
    for m in _titled_name_regex().finditer(text_before):
        title = (m.group("title") or m.group("title2")).lower()
        if role and role not in title and not (role == "general" and "command" in title):
            continue
        written = (m.group("name") or m.group("name2")).replace("’", "'")
        name = _person_name(written.removesuffix("'s"))
        if name and len(name.split()) > 1:
            found = (name, title)
    if found is None:
        return None
    name, title = found
    claimant = Claimant(name, True, _person_side(name, state), title)
    _remember(state, claimant, f"{title} {name}")
    return claimant


_SOURCE_INDEX_CACHE = ReferenceCache(_build_source_index)


def source_index(reference: ReferenceData) -> SourceIndex:
    """Built once per reference data (see ReferenceCache)."""
    return _SOURCE_INDEX_CACHE.get(reference)

"""Whose losses a figure counts (`claim_side`), on the mention table of sides.py.

Order of evidence: the noun phrase (`Russian troops`); a total across sides (`on both sides`,
`Russian and Ukrainian casualties`, `fighting between A and B has killed`: `multiple`); a party
right after it (`among the occupiers`, `for Ukraine`); the country captives or bodies were
returned to; the party owning the loss noun (`Russian losses`); the victims of an attack named
in the clause (`the Russian strike`: the country it hit, else the attacker's opponent); the
subject of the loss word, or the opponent of its agent (`Ukrainian troops destroyed`, `its forces
killed`); whose losses after the loss word (`losses of the enemy`); the figure before in the
sentence for a figure without a noun; the claimant's own (`its soldiers`); a party named before
the figure (the holder's enemy for captives); government troops in a civil war; civilians and
people of the country where they died; the sentence's other figures; the claimant's own soldiers
or authorities; the sentence and the claims before; the party the article names most."""

import re

from ingest.extraction import claimants as claimants_mod
from ingest.extraction import sides as sides_mod
from ingest.extraction.data import cues, fold, side_table
from ingest.extraction.lists import PARTITIVE_NP, chain_start, chain_start_index
from ingest.extraction.sentences import Sentence, without_dateline
from ingest.extraction.state import Context, Item, Raw

_STRIKE_WORDS = re.compile(
    r"\b(?:strikes?|airstrikes?|air strikes?|shell(?:ing|ed|s)?|bomb(?:s|ing|ed)?|"
    r"bombardment|missiles?|drone attack|drone strike|raids?)\b",
    re.IGNORECASE,
)


NOUN_CUE = re.compile(r"\b(?:casualties|losses|deaths|death toll|toll|dead)\b", re.IGNORECASE)
_OWNER_GAP = re.compile(r"(?:['’]s?)?\s+(?:[a-z]+\s+){0,2}")  # "Russia's irreplaceable "
_OWN_FORCES = re.compile(
    r"\b(?:its|their|our)\s+(?:own\s+)?(?:forces|troops|army|fighters|units|soldiers|"
    r"servicemen|military|defenders)\b(?:\s+(?:have|had|has))?\s*$",
    re.IGNORECASE,
)


_AGENT_NOUN = re.compile(
    r"\s*(?:-\w+\s+)?(?:captivity|strikes?|airstrikes?|attacks?|fire|shelling|bombardment|"
    r"bombings?|raids?|offensive|assault|missiles?|drones?|air|artillery|occupation|custody|"
    r"prisons?)\b",
    re.IGNORECASE,
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:for|against|in|with|by|from|to|into|on|across|throughout|inside|near|around|at|of|"
    r"over|under|toward|towards)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(
    r"\b(?:we|our\s+(?:own\s+)?\w+)\s+(?:(?:have|had|has)\s+)?(?:(?:already|also|now)\s+)?$",
    re.IGNORECASE,
)
# "attacked southern Israel, killing": the country attacked, not who killed.
_OBJECT_BEFORE = re.compile(
    r"\b(?:attacked|invaded|struck|shelled|bombed|stormed|raided|hit|into|on|in|across)\s+"
    r"(?:the\s+)?(?:(?:north|south|east|west)(?:ern|-eastern|-western)?\s+)?$",
    re.IGNORECASE,
)
POSSESSIVE_NP = re.compile(r"^(?:of\s+)?(?:its|their|our|his|her|my)\b", re.IGNORECASE)


_HOLDING = re.compile(
    r"\b(?:hold(?:s|ing)?|held|keep(?:s|ing)?|kept|seized|seizing|abducted|abducting|kidnapped|"
    r"kidnapping|took|taken|taking)\b",
    re.IGNORECASE,
)


_OWN_SIDE_CLAIMANT = re.compile(
    r"\b(?:health|civil defen[cs]e|emergenc|medical|medics|hospital|ombuds|prosecutor|mayor|"
    r"governor|regional|municipal|city council|local authorit|rescue)",
    re.IGNORECASE,
)


_RETURNED_TO = re.compile(
    r"\b(?:returned|repatriated|handed\s+(?:over|back)|transferred|brought\s+back)\s+"
    r"(?:home\s+)?to\s+(?P<c>[A-Z][\w ]{2,20})"
)


_ALL_SIDES_HINT = re.compile(r"both|all sides|either side|combined")  # in the folded text
_COST_WHOM = re.compile(
    r"\bcost(?:ing|s)?\s+(?P<who>(?:the\s+)?[\w'’]+(?:\s+[\w'’]+)?)\s+"
    r"(?:(?:about|around|some|more than|over|at least|nearly|up to)\s+)?$",
    re.IGNORECASE,
)
_INFLICTED_ON = re.compile(
    r"\b(?:inflict\w*|caus\w*)\s+(?:\w+\s+){0,2}(?:losses|casualties|damage)\s+(?:on|upon)\s+"
    r"(?P<who>(?:the\s+)?[\w'’]+(?:\s+[\w'’]+)?)",
    re.IGNORECASE,
)
_LOSSES_OF = re.compile(r"[\w'’]+\s+(?:of|among|for)\s+(?:the\s+)?(?P<who>[\w'’]+(?:\s+[\w'’]+)?)")
_BETWEEN_SIDES = re.compile(r"\bbetween\s+[^,.;]{2,40}?\s+and\s+[^,.;]{2,40}?\s+(?=has|have|had)")


def appositive_side(name: str, sentence: str) -> str | None:
    """'Serhiy Cherevaty, spokesman for the ... armed forces of Ukraine': the party a person
    speaks for, read from the words set off after their name."""
    surname = name.split()[-1]
    m = re.search(rf"\b{re.escape(surname)}\b,\s*(?:the\s+|a\s+)?([^.;“”\"]{{3,120}})", sentence)
    if not m:
        return None
    return sides_mod.side_of_phrase(m.group(1).split(",")[0] if "," in m.group(1) else m.group(1))


def claim_side(
    ctx: Context,
    s: str,
    item: Item,
    items: list[Item],
    claimant: claimants_mod.Claimant | None,
    previous: list[Raw],
    sentence: Sentence,
) -> tuple[str | None, str | None, str]:
    s = without_dateline(s)  # "KYIV, Oct 4 -" is where the story was filed, not a party
    claimant_side = claimant.side if claimant else None
    if claimant_side is None and "enem" in s.lower():
        claimant_side = _speaker_side(s)
    np = item.np
    unit = np.unit
    for m in sides_mod.mentions(np.text):
        slug = sides_mod.resolve(m, claimant_side)
        if m.kind == "group" and m.unit and not unit:
            unit = m.unit
        if slug and m.kind != "place":
            item.side_basis = "phrase"
            return slug, unit, f"side: '{np.text}'"
    across = _across_sides(s, item, items)
    if across:
        item.side_basis = "multiple"
        return "multiple", unit, f"side: a total across sides ('{across}')"
    zone = s[np.end if np.end > item.figure.end else item.figure.end : item.zone_end]
    prep = re.match(
        r"\s*(?:,\s*)?(?:killed\s+|dead\s+|died\s+|were\s+|who\s+\w+\s+)?(?:from|among|of|on|for)"
        r"\s+(?:the\s+)?(?:\w+\s+)?(?P<w>[\w'’]+(?:\s[\w'’]+)?)",
        zone[:70],
    )
    if prep:
        for m in sides_mod.mentions(zone[prep.start() : prep.end()]):
            after = zone[prep.start() + m.end : prep.start() + m.end + 25]
            if m.kind == "place" or _AGENT_NOUN.match(after):
                continue  # "from Russian captivity", "in a Russian strike": the other side
            slug = sides_mod.resolve(m, claimant_side)
            if slug:
                if m.kind == "group" and m.unit and not unit:
                    unit = m.unit
                item.side_basis = "phrase"
                return slug, unit, f"side: '{m.word}' after the figure"
    if item.category == "captured" or (item.category == "killed" and "bod" in np.text.lower()):
        # "90 soldiers were returned to Ukraine", "45 bodies were handed over to Russia"
        back = _RETURNED_TO.search(s, item.figure.end, item.zone_end)
        if back:
            home = sides_mod.side_of_phrase(back.group("c"))
            if home:
                item.side_basis = "clause"
                return home, unit, f"side: returned to {back.group('c').strip()}"
    if item.left_cue_start >= 0 and NOUN_CUE.fullmatch(item.cue_word):
        # "Russian losses", "Russia's irreplaceable losses": the party that owns the loss noun
        # says whose losses they are, whatever attack is named after it.
        head = s[max(0, item.left_cue_start - 40) : item.left_cue_start]
        for m in reversed(sides_mod.mentions(head)):
            if m.kind != "place" and _OWNER_GAP.fullmatch(head[m.end :]):
                slug = sides_mod.resolve(m, claimant_side)
                if slug:
                    item.side_basis = "clause"
                    return slug, unit, f"side: '{m.word}' before '{item.cue_word}'"
            break
    clause_text = s[chain_start(items, items.index(item)) : item.figure.start]
    cost = _COST_WHOM.search(clause_text)
    if cost:
        # "the offensive has cost Russia 2,600 soldiers": whom it cost
        for m in sides_mod.mentions(cost.group("who")):
            slug = sides_mod.resolve(m, claimant_side) if m.kind != "place" else None
            if slug:
                item.side_basis = "clause"
                return slug, unit, f"side: it cost '{m.word}'"
    inflicted = _INFLICTED_ON.search(clause_text)
    if inflicted:
        # "inflicted heavy losses on the enemy, killing 187": who bore the losses died
        for m in sides_mod.mentions(inflicted.group("who")):
            slug = sides_mod.resolve(m, claimant_side) if m.kind != "place" else None
            if slug:
                item.side_basis = "clause"
                return slug, unit, f"side: losses inflicted on '{m.word}'"
    for m in reversed(sides_mod.mentions(clause_text)):
        attacker = _AGENT_NOUN.match(clause_text[m.end :])
        slug = sides_mod.resolve(m, claimant_side) if m.kind != "place" else None
        if attacker and slug and sides_mod.opponent(slug):
            # "the death toll from the Russian strike", "Israeli strikes killed": the victims
            # are the attacker's opponents, or the people of the country the strike hit.
            item.side_basis = "attacker"
            where = _place_country(s, item.figure.start)
            if where and where != slug:
                return where, unit, f"side: hit by the '{m.word}' attack in {where}"
            return sides_mod.opponent(slug), unit, f"side: hit by the '{m.word}' attack"
    if item.source in ("left", "chain") and item.left_cue_start >= 0:
        # Only words of this figure's own clause: not the previous figure's noun phrase.
        k = chain_start_index(items, items.index(item))
        while k > 0 and items[k - 1].category is None:
            k -= 1  # figures that are not claims ("1 Ukraine says it downed") do not cut
        clause_start = min(items[k].left_start, item.left_cue_start)
        before_cue = s[clause_start : item.left_cue_start]
        found = [
            m
            for m in sides_mod.mentions(before_cue)
            if m.kind != "place" and not _OBJECT_BEFORE.search(before_cue[: m.start])
        ]
        first_person = _FIRST_PERSON.search(before_cue)
        if not found and first_person and claimant_side and not _agent_cue(s, item):
            # '"We lost about 20,000 people," Prigozhin said': the speaker's own losses
            item.side_basis = "claimant"
            return (
                claimant_side,
                unit,
                f"side: the speaker's own ('{first_person.group(0).strip()}')",
            )
        own = _OWN_FORCES.search(before_cue)
        if (
            not found
            and own
            and claimant_side
            and _agent_cue(s, item)
            and sides_mod.opponent(claimant_side)
        ):
            # "its forces killed 187 soldiers", said by the RSF: the speaker's enemy died
            item.side_basis = "attacker"
            return (
                sides_mod.opponent(claimant_side),
                unit,
                f"side: opponent of the claimant, whose '{own.group(0).strip()}' {item.cue_word}",
            )
        if found:
            m = found[-1]
            slug = sides_mod.resolve(m, claimant_side)
            attacker = _AGENT_NOUN.match(before_cue[m.end :])
            if slug and attacker and not _agent_cue(s, item):
                # "the death toll from the Russian strike": the strike's victims, not Russians
                other = _place_country(s, item.figure.start) or sides_mod.opponent(slug)
                if other == slug:
                    other = sides_mod.opponent(slug)
                if other:
                    item.side_basis = "attacker"
                    return other, unit, f"side: hit by the '{m.word}' {attacker.group(0).strip()}"
            if slug and item.left_direct and _agent_cue(s, item):
                agent = slug
                slug = sides_mod.opponent(agent)
                if slug:
                    item.side_basis = "attacker"
                    return slug, unit, f"side: opponent of '{m.word}' who {item.cue_word}"
            elif slug:
                item.side_basis = "clause"
                return slug, unit, f"side: '{m.word}' before '{item.cue_word}'"
    if item.left_cue_start >= 0:
        # "the losses of the enemy ... amounted to": whose losses, named after the loss word
        of = _LOSSES_OF.match(s, item.left_cue_start, item.figure.start)
        if of:
            for m in sides_mod.mentions(of.group("who")):
                slug = sides_mod.resolve(m, claimant_side)
                if slug and m.kind != "place":
                    item.side_basis = "clause"
                    return slug, unit, f"side: '{m.word}' after '{item.cue_word}'"
    same_sentence = [r for r in previous if r.sentence.index == sentence.index]
    nounless = (
        not np.text
        or PARTITIVE_NP.match(np.text)
        or (np.kind != "equipment" and not _has_person_noun(np.text))
    )
    if nounless and same_sentence and same_sentence[-1].claim.side:
        sibling = same_sentence[-1].claim
        item.side_basis = "sibling"
        return (
            sibling.side,
            unit or (sibling.unit if sibling.category != "equipment" else None),
            "side: same as the figure before",
        )
    if POSSESSIVE_NP.match(np.text) and claimant_side and claimant_side in side_table().opponents:
        if re.match(r"(?:of\s+)?their\b", np.text, re.IGNORECASE) and _agent_cue(s, item):
            # '"We have killed 1,000 of their fighters," the spokesman said': the enemy's
            item.side_basis = "attacker"
            return (
                side_table().opponents[claimant_side],
                unit,
                "side: 'their', killed by the speaker",
            )
        item.side_basis = "claimant"
        return claimant_side, unit, "side: the claimant's own ('its soldiers')"
    if item.source in ("noun phrase", "zone", "chain-back") or item.left_cue_start < 0:
        left = s[item.left_start : item.figure.start]
        found = [
            m
            for m in sides_mod.mentions(left)
            if m.kind != "place" and not _PREPOSITION_BEFORE.search(left[: m.start])
        ]
        claimant_end = _claimant_span_end(left)
        found = [m for m in found if m.start >= claimant_end]
        if found:
            m = found[-1]
            slug = sides_mod.resolve(m, claimant_side)
            holder = _HOLDING.search(left, m.end) if item.category == "captured" else None
            if slug and holder and sides_mod.opponent(slug):
                # "Hamas is still holding 101 hostages": the captives are the holder's enemy
                item.side_basis = "attacker"
                return (
                    sides_mod.opponent(slug),
                    unit,
                    f"side: held by '{m.word}' ('{holder.group(0).strip()}')",
                )
            if slug:
                item.side_basis = "clause"
                return slug, unit, f"side: '{m.word}' before the figure"
    np_low = np.text.lower()
    civil = unit == "civilians" or bool(
        np.special and re.search(r"\b(?:civilians?|children|women|journalists|residents)\b", np_low)
    )
    # bodies recovered from rubble are, like "people", of the place they were found
    people = bool(re.search(r"\b(?:people|persons|bodies)\b", np_low)) and not re.search(
        r"\b(?:their|its|our|his|her)\b", np_low
    )
    state_troops = re.fullmatch(
        r"(?:(?:regime|government|army)\s+)?(?:soldiers|troops|servicemen|army)", np_low
    )
    # The article's country is a pass over its start: worked out only for government troops.
    # The country the sentence names ("In Syria, ... 23 government soldiers") before the
    # article's.
    opening = s[:1].lower() + s[1:]  # "In Syria, ..." as "in Syria" for the pattern
    country_named = (_place_country(opening) or ctx.article_country) if state_troops else None
    civil_war = side_table().civil_wars.get(country_named or "") if state_troops else None
    if state_troops and civil_war:
        item.side_basis = "place"
        return civil_war, unit or np.text, "side: government troops in a civil war"
    if civil or people:
        country = _place_country(s, item.figure.start) or ctx.article_country
        if country:
            if people and not civil:
                subs = {
                    _quick_side(o.np.text)
                    for o in items
                    if o.parent is not None and items[o.parent] is item
                }
                subs.discard(None)
                if len(subs) > 1:
                    item.side_basis = "multiple"
                    return "multiple", unit, "side: sub-counts of several sides"
                if _STRIKE_WORDS.search(s):
                    item.side_basis = "place"
                    return country, "civilians", "side: people killed in strikes are civilians"
                if country in ("syria",) and not _place_country(s):
                    item.side_basis = "multiple"
                    return "multiple", unit, "side: people in a civil war"
            item.side_basis = "place"
            return country, unit, f"side: civilians of {country}"
    for raw in reversed(previous):
        if raw.claim.side and raw.sentence.index == sentence.index:
            item.side_basis = "sibling"
            return raw.claim.side, unit, "side: same as the figure before"
    if (
        state_troops
        and item.source == "zone"  # the loss word after them: "were killed", "died"
        and claimant is not None
        and claimant_side in side_table().opponents
    ):
        # "The army said 290 soldiers have been killed": soldiers named without a party, in
        # a passive or intransitive loss, are the speaker's own.
        item.side_basis = "claimant"
        return claimant_side, unit, "side: the claimant's own soldiers"
    if (
        claimant is not None
        and claimant_side in side_table().opponents
        and _OWN_SIDE_CLAIMANT.search(f"{claimant.name} {claimant.role}")
    ):
        item.side_basis = "claimant"
        return claimant_side, unit, "side: the toll of the claimant's own authorities"
    prior = ctx_sentences_before(ctx, sentence)
    prior_claims = [r for r in previous if prior is not None and r.sentence.index == prior.index]
    if prior_claims and prior_claims[-1].claim.side:
        item.side_basis = "sentence before"
        return prior_claims[-1].claim.side, unit, "side: same as the claim in the sentence before"
    if prior is not None:
        found = [m for m in sides_mod.mentions(prior.text) if m.kind in ("demonym", "group")]
        if found:
            slug = sides_mod.resolve(found[-1], claimant_side)
            if slug:
                item.side_basis = "sentence before"
                return slug, unit, f"side: '{found[-1].word}' in the sentence before"
    for raw in reversed(previous):
        if raw.claim.side and raw.sentence.index >= sentence.index - 3:
            item.side_basis = "sentence before"
            return raw.claim.side, unit, "side: same as the claim before"
    for m in sides_mod.mentions(s):
        if m.kind in ("demonym", "group") and not _PREPOSITION_BEFORE.search(s[: m.start]):
            slug = sides_mod.resolve(m, claimant_side)
            if slug and slug != claimant_side:
                item.side_basis = "sentence"
                return slug, unit, f"side: '{m.word}' in the sentence"
    if previous and previous[-1].claim.side:
        item.side_basis = "sentence before"
        return previous[-1].claim.side, unit, "side: same as the claim before"
    if ctx.article_side:
        item.side_basis = "article"
        return ctx.article_side, unit, "side: the party the article names most"
    item.side_basis = "unknown"
    return None, unit, "side: unknown"


def _speaker_side(s: str) -> str | None:
    """'Ukraine's General Staff put the enemy's losses at ...', 'Ukrainian troops destroyed
    50 enemy tanks': with no claimant to say whose enemy, the party named before 'enemy'."""
    found = sides_mod.mentions(s)
    enemy = next((m.start for m in found if m.kind == "enemy"), None)
    if enemy is None:
        return None
    before = [m for m in found if m.start < enemy and m.kind in ("demonym", "group") and m.slug]
    return before[0].slug if before else None


def _across_sides(s: str, item: Item, items: list[Item]) -> str | None:
    """The words saying a figure counts the losses of several sides together: 'on both
    sides', 'Russian and Ukrainian casualties', 'fighting between the army and the RSF has
    killed 15,000 people'. Asked for every claim: cheap tests first."""
    clause_start = chain_start(items, items.index(item))
    clause = s[clause_start : item.zone_end]
    folded = fold(clause)
    if _ALL_SIDES_HINT.search(folded):
        m = side_table().all_sides_re.search(folded)
        if m:
            return clause[m.start() : m.end()]
    if " and " not in folded and " or " not in folded:
        return None
    # Two parties joined right before the figure or in its noun phrase.
    near_end = max(item.np.end, item.figure.end, item.zone_end)
    near = s[max(clause_start, near_end - 160) : near_end]
    found = [x for x in sides_mod.mentions(near) if x.kind in ("demonym", "group") and x.slug]
    for a, b in zip(found, found[1:], strict=False):
        if a.slug != b.slug and re.fullmatch(r"\s*(?:and|or|,)\s*", near[a.end : b.start]):
            return near[a.start : b.end]
    if "between" not in folded:
        return None
    people = (
        item.np.kind == "person" and not item.np.special and not sides_mod.mentions(item.np.text)
    )
    between = _BETWEEN_SIDES.search(clause)
    if people and between and between.end() <= item.figure.start - clause_start:
        return between.group(0).strip()
    return None


def _has_person_noun(text: str) -> bool:
    words = set(re.findall(r"[\w'-]+", text.lower()))
    return bool(words & cues().person_nouns) or bool(sides_mod.mentions(text))


def ctx_sentences_before(ctx: Context, sentence: Sentence) -> Sentence | None:
    i = sentence.index - 1
    if i < 0 or i >= len(ctx.sentences):
        return None
    prior = ctx.sentences[i]
    return prior if prior.paragraph >= sentence.paragraph - 1 else None


def _claimant_span_end(left: str) -> int:
    """Where 'Ukraine's Khortytsia group of forces said' ends: its demonym names the speaker,
    not the losses."""
    ends = [
        m.end()
        for m in re.finditer(
            r"\b(?:said|says|told|stated|claimed|reported|announced|estimates|"
            r"according to [^,]+,)\s*(?:that\s+)?",
            left,
        )
    ]
    return ends[-1] if ends else 0


def _quick_side(text: str) -> str | None:
    for m in sides_mod.mentions(text):
        if m.slug:
            return m.slug
    low = text.lower()
    if "civilian" in low or "soldier" in low:
        return "state"
    return None


def _agent_cue(s: str, item: Item) -> bool:
    word = item.cue_word.lower()
    return bool(cues().agent_verb_re.fullmatch(word)) or word in ("executes", "executed")


def _place_country(s: str, near: int | None = None) -> str | None:
    """The country of the place named closest before `near` (else anywhere in `s`):
    'in the Gaza Strip ... in the south of Israel, where 1,189 people died' is Israel."""
    places = [m for m in sides_mod.mentions(s) if m.kind == "place"]
    places += [
        sides_mod.SideMention(
            m.start(),
            m.end(),
            side_table().demonyms.get(_country_key(m)),
            None,
            m.group(0),
            "place",
        )
        for m in side_table().country_area_re.finditer(s)
    ]
    places = [p for p in places if p.slug]
    if not places:
        return None
    if near is not None:
        before = [p for p in places if p.end <= near]
        if before:
            return max(before, key=lambda p: p.end).slug
    return min(places, key=lambda p: p.start).slug


def _country_key(m: re.Match[str]) -> str:
    word = m.group(0).split()[-1].lower()
    return {"gaza": "gaza", "bank": "west bank"}.get(word, word)

"""A claim proposed from a span of an article an editor selected: the figure the extractor
missed. It calls the extraction stages (ingest/extraction/) and stays outside them, so the
extractor keeps its one entry point for whole articles."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User

from claims.models import Article, Battle, Claim
from claims.services import (
    ClaimValues,
    Reviewer,
    ReviewError,
    claim_add_from_text,
    source_get_or_create,
)
from ingest.extraction import ExtractedClaim, ReferenceData, extract_article
from ingest.extraction.battles import battle_index, choose, find_battles
from ingest.extraction.categories import left_cue, noun_phrase, zone_cue
from ingest.extraction.claimants import canonical_name, find_attributions, pick
from ingest.extraction.dates import find_dates, latest_full_date
from ingest.extraction.dates import resolve as resolve_date
from ingest.extraction.numbers import Figure, find_figures
from ingest.extraction.qualifiers import qualify
from ingest.extraction.sentences import Sentence, split_sentences
from ingest.extraction.sides import mentions as side_mentions
from ingest.services import reference_data_build

_NO_REFERENCE = ReferenceData()

# A selection longer than this is not "the figure": the editor selected a paragraph.
SPAN_MAX_CHARS = 200


@dataclass
class SpanProposal:
    """The claim the extraction stages read from a selected span, before it is saved."""

    start: int
    end: int
    excerpt: str
    figure_low: int | None
    figure_high: int | None
    qualifier: str
    category: str
    side: str = ""
    unit: str = ""
    claimant: str | None = None
    battle: str | None = None
    claim_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    period_kind: str | None = None
    basis: str = "unknown"
    notes: list[str] = field(default_factory=list)


def span_propose(
    *,
    body: str,
    start: int,
    end: int,
    published: date | None,
    extraction: list[ExtractedClaim],
    reference: ReferenceData = _NO_REFERENCE,
) -> SpanProposal:
    """The claim for the figure in body[start:end]. `extraction` is the extractor's output for
    the whole body: a claim it found for that figure is taken whole; otherwise the figure,
    qualifier and category are read from the sentence by the same stages, and side, claimant,
    battle and date come from the nearest claim of the same sentence, paragraph or article."""
    if not 0 <= start < end <= len(body):
        raise ReviewError("Select the figure inside the article's text.")
    if end - start > SPAN_MAX_CHARS:
        raise ReviewError(f"Select the figure only (at most {SPAN_MAX_CHARS} characters).")
    sentences = split_sentences(body)
    sentence = next((s for s in sentences if s.start <= start < s.end), None)
    if sentence is None:
        raise ReviewError("The selection is not inside a sentence of the text.")
    figure = _figure_in(sentence, start, end)
    if figure is None:
        raise ReviewError("No figure was found in the selection; select the number itself.")
    fig_start, fig_end = sentence.start + figure.start, sentence.start + figure.end

    found = next((c for c in extraction if c.start < fig_end and c.end > fig_start), None)
    if found is not None:
        return SpanProposal(
            start=found.start,
            end=found.end,
            excerpt=sentence.text,
            figure_low=found.figure_low,
            figure_high=found.figure_high,
            qualifier=found.qualifier,
            category=found.category,
            side=found.side,
            unit=found.unit or "",
            claimant=found.claimant,
            battle=found.battle,
            claim_date=found.claim_date,
            period_start=found.period_start,
            period_end=found.period_end,
            period_kind=found.period_kind,
            basis=found.basis,
            notes=["the extractor's own reading of this figure", *found.notes],
        )

    qualifier, low, high, qualifier_cue = qualify(sentence.text, figure)
    category, category_note = _category(sentence.text, figure)
    # As the extractor does without a published date: the latest full date in the text is a
    # floor for dates written without a year.
    floor = latest_full_date(body) if published is None else None
    neighbour, where = _nearest(extraction, sentences, sentence, fig_start)
    notes = [
        f"qualifier: {qualifier_cue!r}" if qualifier_cue else "qualifier: none, exact",
        category_note,
    ]
    proposal = SpanProposal(
        start=fig_start,
        end=fig_end,
        excerpt=sentence.text,
        figure_low=low,
        figure_high=high,
        qualifier=qualifier,
        category=category,
        notes=notes,
    )
    _from_sentence(
        proposal, sentence.text, figure, published=published, floor=floor, reference=reference
    )
    # What the sentence does not say, the nearest claim the extractor found says for it.
    if neighbour is not None:
        taken = []
        for name in ("side", "claimant", "battle", "claim_date"):
            if not getattr(proposal, name) and getattr(neighbour, name):
                setattr(proposal, name, getattr(neighbour, name))
                taken.append(name.replace("_", " "))
        proposal.basis = neighbour.basis
        if taken:
            notes.append(f"{', '.join(taken)}: those of the claim of the same {where}")
    if proposal.claim_date is None and published is not None:
        proposal.claim_date = published
        notes.append("date: the article's")
    return proposal


def _from_sentence(
    proposal: SpanProposal,
    text: str,
    figure: Figure,
    *,
    published: date | None,
    floor: date | None,
    reference: ReferenceData,
) -> None:
    """Side, claimant, date and battle read from the figure's own sentence by the extractor's
    stages: the demonym or group nearest the figure, the sentence's attribution, its first
    date, and a battle its words name."""
    near = sorted(
        (m for m in side_mentions(text) if m.kind in ("demonym", "group") and m.slug),
        key=lambda m: abs(m.start - figure.start),
    )
    if near:
        proposal.side = near[0].slug or ""
        proposal.unit = proposal.unit or (near[0].unit or "")
        proposal.notes.append(f"side: {near[0].word!r} in the sentence")
    attribution = pick(find_attributions(text))
    if attribution is not None and not attribution.anaphor and not attribution.relay:
        proposal.claimant = canonical_name(attribution.raw, reference)
        proposal.notes.append(f"claimant: {attribution.raw!r}")
    for mention in find_dates(text):
        when = resolve_date(mention, published=published, floor=floor)
        if when is not None:
            proposal.claim_date = when
            proposal.notes.append(f"date: {text[mention.start : mention.end]!r}")
            break
    battle = choose(find_battles(text, battle_index(reference)), proposal.claim_date or published)
    if battle is not None:
        proposal.battle = battle.name
        proposal.notes.append(f"battle: {battle.name}, named in the sentence")


def _figure_in(sentence: Sentence, start: int, end: int) -> Figure | None:
    """The figure of the sentence that overlaps the selection (the first, if several)."""
    local_start, local_end = start - sentence.start, end - sentence.start
    for figure in find_figures(sentence.text):
        if figure.start < local_end and figure.end > local_start:
            return figure
    return None


def _category(text: str, figure: Figure) -> tuple[str, str]:
    """The loss cue next to the figure, read by the extractor's category stage; casualties
    (the broadest) when none speaks, for the editor to correct."""
    np = noun_phrase(text, figure.end, len(text))
    if np.kind == "equipment":
        return Claim.Category.EQUIPMENT, f"category: equipment from {np.text!r}"
    if np.category:
        return np.category, f"category: {np.category} from {np.text!r}"
    after, _blocked = zone_cue(text[max(np.end, figure.end) :])
    if after:
        return after, f"category: {after} from the words after the figure"
    cue, _blocked, _direct = left_cue(text[: figure.start])
    if cue is not None:
        return cue.category, f"category: {cue.category} from {cue.word!r}"
    if np.weak:
        return np.weak, f"category: {np.weak} from {np.text!r}"
    return Claim.Category.CASUALTIES, "category: no loss word found, casualties to check"


def _nearest(
    extraction: list[ExtractedClaim],
    sentences: list[Sentence],
    sentence: Sentence,
    position: int,
) -> tuple[ExtractedClaim | None, str]:
    """The extracted claim closest to `position` in the same sentence, else the same
    paragraph, else the article (the one before it when there is one)."""
    paragraph = {s.index for s in sentences if s.paragraph == sentence.paragraph}
    paragraph_span = [s for s in sentences if s.index in paragraph]
    in_paragraph_start = paragraph_span[0].start if paragraph_span else sentence.start
    in_paragraph_end = paragraph_span[-1].end if paragraph_span else sentence.end
    scopes = [
        ("sentence", sentence.start, sentence.end),
        ("paragraph", in_paragraph_start, in_paragraph_end),
        ("article", 0, sentences[-1].end if sentences else sentence.end),
    ]
    for where, low, high in scopes:
        inside = [c for c in extraction if low <= c.start < high]
        if inside:
            before = [c for c in inside if c.start <= position]
            pool = before or inside
            return min(pool, key=lambda c: abs(c.start - position)), where
    return None, ""


def claim_add_from_span(*, article_id: int, start: int, end: int, user: Reviewer) -> Claim:
    """Proposes the claim for the figure an editor selected in an article and saves it as a
    draft added by that editor, for them to correct and approve."""
    if not isinstance(user, User):
        raise ReviewError("Log in to add claims.")
    article = Article.objects.only("pk", "body", "published_date").filter(pk=article_id).first()
    if article is None:
        raise ReviewError(f"Article {article_id} does not exist any more.")
    reference = reference_data_build()
    extraction = extract_article(
        article.body, published=article.published_date, reference=reference
    )
    proposal = span_propose(
        body=article.body,
        start=start,
        end=end,
        published=article.published_date,
        extraction=extraction.claims,
        reference=reference,
    )
    # As at parse time: a claimant the reference data does not know becomes a new Source.
    claimant = source_get_or_create(name=proposal.claimant) if proposal.claimant else None
    battle = Battle.objects.filter(name=proposal.battle).first() if proposal.battle else None
    return claim_add_from_text(
        article_id=article.pk,
        start=proposal.start,
        end=proposal.end,
        excerpt=proposal.excerpt[:1000],
        values=ClaimValues(
            figure_low=proposal.figure_low,
            figure_high=proposal.figure_high,
            qualifier=proposal.qualifier,
            category=proposal.category,
            side=proposal.side,
            unit=proposal.unit,
            claimant=claimant,
            battle=battle,
            claim_date=proposal.claim_date,
            period_start=proposal.period_start,
            period_end=proposal.period_end,
            period_kind=proposal.period_kind or "",
            basis=proposal.basis,
        ),
        user=user,
        notes="; ".join(proposal.notes),
    )

"""Scoring the extractor against a gold file (seeds/gold.json format) or against editors'
approved claims. Plain Python: the evaluate_extractor command only loads and prints.

Matching: a predicted claim matches a gold claim with the same figure (the set of its
non-null bounds) and category (or one of the gold's alternative categories). Gold claims
linked by `restates` form one group: a prediction matching any member matches the group, and
further predictions matching it are neither rewarded nor penalised. Predictions on an
`ambiguous` snippet that match nothing are ignored. A field is right when it equals the gold
value or one of its `alt` values; a matched claim with a wrong field counts against that
field's precision and recall."""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

FIELDS = ("category", "qualifier", "side", "unit", "claimant", "battle", "claim_date", "excerpt")


@dataclass
class Tally:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    all_correct: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong_fields: list[str] = field(default_factory=list)
    # One verdict per prediction, in the order given: its core (figure, category, side) is
    # right (True) or not (False), or it was not scored (None: a restatement of a claim
    # already matched, or a vague amount). What the confidence is measured and fitted on.
    core_right: list[bool | None] = field(default_factory=list)
    # (article file, gold claim index, prediction) of each match: what periods are scored on.
    matches: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.predicted += other.predicted
        self.gold += other.gold
        self.matched += other.matched
        self.all_correct += other.all_correct
        for name in FIELDS:
            self.correct[name] += other.correct[name]
        self.misses += other.misses
        self.false_positives += other.false_positives
        self.wrong_fields += other.wrong_fields
        self.core_right += other.core_right
        self.matches += other.matches

    def scores(self) -> dict[str, dict[str, float]]:
        rows = {"claims": self.matched, **self.correct, "all fields": self.all_correct}
        return {name: _prf(hits, self.predicted, self.gold) for name, hits in rows.items()}


def _prf(hits: int, predicted: int, gold: int) -> dict[str, float]:
    precision = hits / predicted if predicted else 1.0
    recall = hits / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def _figure_key(low: Any, high: Any) -> frozenset[int]:
    return frozenset(v for v in (low, high) if v is not None)


def _norm(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.replace("’", "'").lower().strip()
        return re.sub(r"\s+", " ", text) or None
    return value


def _field_ok(
    name: str,
    predicted: dict[str, Any],
    gold: dict[str, Any],
    canonical: Callable[[str], str] | None = None,
) -> bool:
    if name == "excerpt":
        mine = _norm(predicted.get("excerpt")) or ""
        others = [gold.get("excerpt"), *(gold.get("other_excerpts") or [])]
        return any(o and mine and (mine in _norm(o) or _norm(o) in mine) for o in others)
    accepted = [gold.get(name)]
    alt = gold.get("alt") or {}
    accepted += list(alt.get(name, []))
    if name == "category":
        accepted += list(gold.get("category_alt") or [])
    if name == "claimant" and canonical is not None:
        mine = predicted.get(name)
        return _norm(canonical(mine) if mine else None) in {
            _norm(canonical(a) if a else None) for a in accepted
        }
    return _norm(predicted.get(name)) in {_norm(a) for a in accepted}


def score_article(
    text: str,
    gold_article: dict[str, Any],
    predicted: list[dict[str, Any]],
    canonical: Callable[[str], str] | None = None,
) -> Tally:
    """Score one article. `canonical` maps a claimant name to the Source it names, so that
    'Ukrainian General Staff' in a gold file and the extractor's canonical name agree."""
    tally = Tally()
    golds = gold_article.get("claims", [])
    group = list(range(len(golds)))
    for i, g in enumerate(golds):
        if g.get("restates") is not None:
            group[i] = group[int(g["restates"])]
    groups = sorted(set(group))
    tally.gold = len(groups)
    spans = {
        i: _spans(text, [g.get("excerpt"), *(g.get("other_excerpts") or [])])
        for i, g in enumerate(golds)
    }
    ambiguous = _spans(text, gold_article.get("ambiguous") or [])
    used_groups: set[int] = set()
    label = gold_article.get("file", "?")
    for p in predicted:
        key = _figure_key(p.get("figure_low"), p.get("figure_high"))
        candidates = [
            i
            for i, g in enumerate(golds)
            if _figure_key(g.get("figure_low"), g.get("figure_high")) == key
            and _field_ok("category", p, g)
        ]
        start = p.get("start", -1)
        candidates.sort(
            key=lambda i: (group[i] in used_groups, not any(a <= start < b for a, b in spans[i]))
        )
        if candidates and group[candidates[0]] not in used_groups:
            i = candidates[0]
            used_groups.add(group[i])
            tally.matches.append((label, i, p))
            tally.predicted += 1
            tally.matched += 1
            wrong = [name for name in FIELDS if not _field_ok(name, p, golds[i], canonical)]
            for name in FIELDS:
                tally.correct[name] += name not in wrong
            tally.all_correct += not wrong
            tally.core_right.append("side" not in wrong)
            for name in wrong:
                tally.wrong_fields.append(
                    f"{label}: {_describe(p)} {name}={p.get(name)!r} gold={golds[i].get(name)!r}"
                )
        elif candidates:
            # a second form of a claim already matched: neither reward nor penalty
            tally.core_right.append(None)
        elif any(a <= start < b for a, b in ambiguous):
            tally.core_right.append(None)
        else:
            tally.predicted += 1
            tally.core_right.append(False)
            tally.false_positives.append(f"{label}: {_describe(p)} | {p.get('excerpt', '')[:90]}")
    for gi in groups:
        if gi not in used_groups:
            tally.misses.append(f"{label}: {_describe(golds[gi])} | {golds[gi]['excerpt'][:90]}")
    return tally


def _describe(claim: dict[str, Any]) -> str:
    return (
        f"{claim.get('figure_low')}-{claim.get('figure_high')} {claim.get('qualifier')} "
        f"{claim.get('category')} {claim.get('side')}"
    )


def _spans(text: str, snippets: Iterable[str | None]) -> list[tuple[int, int]]:
    out = []
    for snippet in snippets:
        if not snippet:
            continue
        for m in re.finditer(re.escape(snippet), text):
            out.append(m.span())
    return out


# The devset's check part: every other article of those added after the extractor was
# written (d27, d29, ... d49; 12 articles, 11 outlets), never read error by error. Everything
# else (d01-d25, which the rules were first written against, and d26, d28, ... d48) is the
# tune part. Fixed by name so that every report compares the same halves.
DEVSET_CHECK_PART = frozenset(f"d{n:02d}.txt" for n in range(27, 50, 2))
PARTS = ("tune", "check")


# Our own probe set (tests/data/probe/, pNN.txt): odd articles are tuned on, even ones checked.
_PROBE_FILE = re.compile(r"p(\d{2})\.txt")


def devset_part(file_name: str) -> str:
    """Which part of its gold set an article file belongs to: "tune" or "check" (the
    devset's split above; in the probe set, even-numbered articles are the check part)."""
    probe = _PROBE_FILE.fullmatch(file_name)
    if probe:
        return "check" if int(probe.group(1)) % 2 == 0 else "tune"
    return "check" if file_name in DEVSET_CHECK_PART else "tune"


def evaluate_gold_file(
    gold_path: Path,
    extract: Callable[[str, date | None], list[dict[str, Any]]],
    articles_dir: Path | None = None,
    canonical: Callable[[str], str] | None = None,
    part: str | None = None,
) -> tuple[Tally, dict[str, Tally]]:
    """Run `extract(text, published)` over every article of a gold file and score it; with
    `part` ("tune" or "check"), only over the articles of that part of the devset split."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    folder = articles_dir or Path(gold_path).parent / "articles"
    total = Tally()
    per_article: dict[str, Tally] = {}
    for article in gold["articles"]:
        if part is not None and devset_part(article["file"]) != part:
            continue
        text = (folder / article["file"]).read_text(encoding="utf-8")
        published = date.fromisoformat(article["published"]) if article.get("published") else None
        tally = score_article(text, article, extract(text, published), canonical)
        per_article[article["file"]] = tally
        total.add(tally)
    return total, per_article


def score_approved(
    pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]],
    added_by_editors: int = 0,
    rejected: int = 0,
) -> Tally:
    """Extractor output vs editor-approved values. `pairs` are (extracted_values, approved)
    for approved claims the extractor proposed; editors' own claims count as misses and
    rejected drafts as false positives. A field the extracted values do not record (the
    excerpt: editors cannot change it) is the extractor's own and counts as right; a field
    counts only on a claim whose figure the editor kept, as with gold files."""
    tally = Tally()
    for extracted, approved in pairs:
        tally.predicted += 1
        tally.gold += 1
        same_figure = _figure_key(
            extracted.get("figure_low"), extracted.get("figure_high")
        ) == _figure_key(approved.get("figure_low"), approved.get("figure_high"))
        tally.matched += same_figure
        wrong = [
            name
            for name in FIELDS
            if name in extracted and not _field_ok(name, extracted, approved)
        ]
        for name in FIELDS:
            tally.correct[name] += same_figure and name not in wrong
        tally.all_correct += same_figure and not wrong
    tally.gold += added_by_editors
    tally.predicted += rejected
    return tally


def format_report(total: Tally, *, verbose: bool = False) -> str:
    lines = [
        f"gold claims {total.gold}, predicted {total.predicted}, matched {total.matched}",
        f"{'field':<12} {'precision':>9} {'recall':>7} {'f1':>6}",
    ]
    for name, row in total.scores().items():
        lines.append(f"{name:<12} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f}")
    if verbose:
        lines.append("\nmisses:")
        lines += [f"  {m}" for m in total.misses]
        lines.append("false positives:")
        lines += [f"  {m}" for m in total.false_positives]
        lines.append("wrong fields:")
        lines += [f"  {m}" for m in total.wrong_fields]
    return "\n".join(lines)


# --- periods (issue 14 part 3) -----------------------------------------------------------------
# The gold files have no period fields: our own annotations sit in tests/data as
# `<set>_periods.json`, by article file and gold claim index (dates and kinds only), the set
# being the folder of its gold file (../shared/devset/gold.json: devset_periods.json, the tune
# part; tests/data/probe/gold.json: probe_periods.json, every claim).
PERIOD_FIELDS = ("period_start", "period_end", "period_kind")
PERIOD_ANNOTATIONS_DIR = Path(__file__).resolve().parents[2] / "tests" / "data"


def period_annotations_for(gold_path: Path) -> Path:
    """Where our period annotation of a gold file is kept (it may not exist)."""
    set_name = Path(gold_path).resolve().parent.name
    return PERIOD_ANNOTATIONS_DIR / f"{set_name}_periods.json"


@dataclass
class PeriodTally:
    """Periods scored where annotated. A field counts as predicted when the extractor filled
    it on a claim matched to an annotated gold claim, as gold when the annotation fills it
    (missed claims included), and as right when both agree."""

    articles: int = 0
    claims: int = 0
    stated: int = 0  # annotated claims whose text states a period
    predicted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PERIOD_FIELDS, 0))
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PERIOD_FIELDS, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PERIOD_FIELDS, 0))
    wrong: list[str] = field(default_factory=list)

    def scores(self) -> dict[str, dict[str, float]]:
        return {
            name: _prf(self.right[name], self.predicted[name], self.gold[name])
            for name in PERIOD_FIELDS
        }


def load_period_annotations(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """{article file: {gold claim index: {period_start, period_end, period_kind}}}; an article
    listed is annotated whole (a claim it leaves out states no period)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {name: dict(claims) for name, claims in data["articles"].items()}


def score_periods(
    gold_path: Path,
    annotations: dict[str, dict[str, dict[str, Any]]],
    per_article: dict[str, Tally],
) -> PeriodTally:
    """Period precision and recall over the scored articles that `annotations` covers."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    tally = PeriodTally()
    for article in gold["articles"]:
        name = article["file"]
        if name not in per_article or name not in annotations:
            continue
        annotated = annotations[name]
        claims = article.get("claims", [])
        tally.articles += 1
        tally.claims += len(claims)
        tally.stated += len(annotated)
        matched = {i: p for file, i, p in per_article[name].matches if file == name}
        # A claim given twice (`restates`) is one claim, as in the claim scores: it counts once,
        # with the annotation of the form the prediction matched (else the first form).
        group = list(range(len(claims)))
        for i, claim in enumerate(claims):
            if claim.get("restates") is not None:
                group[i] = group[int(claim["restates"])]
        for head in sorted(set(group)):
            members = [i for i in range(len(claims)) if group[i] == head]
            i = next((m for m in members if m in matched), head)
            wanted = annotated.get(str(i), {})
            found = matched.get(i)
            for key in PERIOD_FIELDS:
                want = wanted.get(key)
                got = _norm(found.get(key)) if found is not None else None
                tally.gold[key] += want is not None
                if found is None:
                    continue
                tally.predicted[key] += got is not None
                tally.right[key] += got is not None and got == want
                if got != want:
                    tally.wrong.append(f"{name}: claim {i} {key}={got!r} annotated={want!r}")
    return tally


def format_period_report(tally: PeriodTally, *, verbose: bool = False) -> str:
    if not tally.articles:
        return "periods: no article scored here is annotated (tests/data/<set>_periods.json)"
    lines = [
        f"periods: annotated {tally.claims} claims in {tally.articles} articles, "
        f"{tally.stated} of them state a period",
        f"{'field':<12} {'precision':>9} {'recall':>7} {'f1':>6}",
    ]
    for name, row in tally.scores().items():
        lines.append(f"{name:<12} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f}")
    if verbose:
        lines.append("period errors:")
        lines += [f"  {w}" for w in tally.wrong]
    return "\n".join(lines)

"""schema.org structured data for claim pages (issue 15, part 6): each claim as a `Claim`
(https://schema.org/Claim), the type fact-checkers' ClaimReview points at with
`itemReviewed`. Only public values go in: the claim page shows them all already."""

from typing import Any

from claims.dataset import DATA_LICENCE
from claims.models import Article, Claim, Source

SCHEMA_ORG = "https://schema.org"


def _party(source: Source) -> dict[str, Any]:
    kind = "Person" if source.kind == Source.Kind.PERSON else "Organization"
    return {"@type": kind, "name": source.name}


def _appearance(article: Article, absolute: Any) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "NewsArticle",
        # Where it was published when known (http(s) only: never a javascript: URL), else
        # its text on this site.
        "url": article.url
        if article.url.lower().startswith(("http://", "https://"))
        else absolute(article.get_absolute_url()),
        "headline": article.title or f"Article {article.pk}",
    }
    if article.published_date:
        work["datePublished"] = article.published_date.isoformat()
    if article.outlet is not None:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    if article.author:
        work["author"] = {"@type": "Person", "name": article.author}
    return work


def claim_json_ld(*, claim: Claim, absolute: Any) -> dict[str, Any]:
    """The claim as schema.org JSON-LD. `absolute(path)` makes a path an absolute URL.
    `author` is the claimant, or the outlet or writer when the article itself asserts the
    figure; `appearance` lists every article that reports it, the earliest dated first,
    which is also `firstAppearance`."""
    articles = sorted(
        [claim.article, *claim.reported_by.all()],
        key=lambda article: (article.published_date is None, article.published_date, article.pk),
    )
    appearances = [_appearance(article, absolute) for article in articles]
    url = absolute(claim.get_absolute_url())
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Claim",
        "@id": url,
        "url": url,
        "name": f"{claim.figure_display} {claim.get_category_display().lower()} ({claim.side})",
        "text": claim.excerpt,
        "appearance": appearances,
        "firstAppearance": appearances[0],
        "license": DATA_LICENCE["path"],
    }
    author = claim.claimant or claim.article.outlet
    if author is not None:
        data["author"] = _party(author)
    elif claim.article.author:
        data["author"] = {"@type": "Person", "name": claim.article.author}
    published = claim.claim_date or claim.article.published_date
    if published:
        data["datePublished"] = published.isoformat()
    if claim.battle is not None:
        data["about"] = {"@type": "Event", "name": claim.battle.name}
    return data

"""ClaimReview-style JSON-LD on claim pages (issue 15, part 6), checked against the schema.org
vocabulary: every property is one schema.org defines for the type (or a type it inherits
from), with a value of a type the property accepts, and the properties fact-checking tools
read from a Claim are present."""

import json
import re
from datetime import date

import pytest

from claims.models import Claim, Source
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

# An excerpt of the schema.org vocabulary (https://schema.org, version 29): the properties
# of the types used here, by the type that defines them, and their ranges. Thing's and
# CreativeWork's are inherited by Claim and NewsArticle; Thing's by the others.
THING = {"name": "Text", "url": "URL", "about": "Thing"}
CREATIVE_WORK = {
    **THING,
    "author": "Person|Organization",
    "datePublished": "Date",
    "headline": "Text",
    "publisher": "Person|Organization",
    "text": "Text",
    "license": "URL",
}
VOCABULARY = {
    "Claim": {**CREATIVE_WORK, "appearance": "CreativeWork", "firstAppearance": "CreativeWork"},
    "NewsArticle": CREATIVE_WORK,
    "Person": THING,
    "Organization": THING,
    "Event": THING,
}
SUBTYPES = {"CreativeWork": {"CreativeWork", "NewsArticle", "Claim"}, "Thing": set(VOCABULARY)}
# What ClaimReview consumers read from the reviewed Claim (the list).
REQUIRED = {"author", "datePublished", "appearance", "firstAppearance", "text", "url"}


def check_node(node: dict, expected: str) -> None:
    kind = node["@type"]
    assert kind in VOCABULARY, kind
    allowed = {expected} | SUBTYPES.get(expected, set())
    assert kind in allowed, (kind, expected)
    for name, value in node.items():
        if name.startswith("@"):
            continue
        assert name in VOCABULARY[kind], f"{kind} has no property {name}"
        for item in value if isinstance(value, list) else [value]:
            ranges = VOCABULARY[kind][name].split("|")
            if isinstance(item, dict):
                assert any(item["@type"] in {r} | SUBTYPES.get(r, set()) for r in ranges)
                check_node(
                    item, next(r for r in ranges if item["@type"] in {r} | SUBTYPES.get(r, set()))
                )
            elif ranges == ["URL"]:
                assert re.match(r"https?://", item), item
            elif ranges == ["Date"]:
                date.fromisoformat(item)
            else:
                assert isinstance(item, str) and item


def json_ld_of(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_claim_page_describes_the_claim_as_a_schema_org_claim(client):
    first = ArticleFactory(
        url="https://wire.example/first",
        published_date=date(2023, 3, 1),
        outlet=SourceFactory(name="Wire Service", kind="media"),
    )
    claim = ClaimFactory(
        status=Claim.Status.APPROVED,
        claimant=SourceFactory(name="Colonel Example", kind=Source.Kind.PERSON),
        article=ArticleFactory(
            url="https://paper.example/story", published_date=date(2023, 3, 4), author="A. Writer"
        ),
        claim_date=date(2023, 3, 2),
    )
    claim.reported_by.add(first)

    data = json_ld_of(client.get(f"/claims/{claim.pk}/").content.decode())

    assert data["@context"] == "https://schema.org"
    assert set(data) >= REQUIRED
    check_node(data, "Claim")
    assert data["author"] == {"@type": "Person", "name": "Colonel Example"}
    assert data["datePublished"] == "2023-03-02"
    assert data["url"] == f"http://testserver/claims/{claim.pk}/"
    assert data["firstAppearance"]["url"] == "https://wire.example/first"
    assert [work["url"] for work in data["appearance"]] == [
        "https://wire.example/first",
        "https://paper.example/story",
    ]
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_an_article_asserting_a_figure_is_authored_by_its_outlet(client):
    claim = ClaimFactory(
        status=Claim.Status.APPROVED,
        claimant=None,
        battle=None,
        article=ArticleFactory(outlet=SourceFactory(name="Daily Example", kind="media")),
    )
    data = json_ld_of(client.get(f"/claims/{claim.pk}/").content.decode())
    check_node(data, "Claim")
    assert data["author"] == {"@type": "Organization", "name": "Daily Example"}
    # No URL of its own: its text on this site stands in.
    assert data["appearance"][0]["url"] == f"http://testserver/articles/{claim.article_id}/"


def test_markup_in_an_excerpt_cannot_end_the_block(client):
    claim = ClaimFactory(
        status=Claim.Status.APPROVED,
        excerpt='He said </script><script>alert(1)</script> "5,000 & more".',
    )
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld_of(html)["text"] == claim.excerpt


def test_a_reviewers_draft_page_has_no_structured_data(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "application/ld+json" not in html


def test_the_data_licence_is_stated_on_the_about_page_and_in_the_api(client):
    about = client.get("/about/").content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in about
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["info"]["license"]["name"] == "CC-BY-4.0"

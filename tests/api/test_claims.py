import csv
import io
from datetime import UTC, date, timedelta

import pytest
from django.utils import timezone

from claims.models import Article, Battle, Claim, Source
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claims/"


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_list_shows_an_approved_claim_with_everything_a_researcher_needs(api_client):
    parent = approved(category=Claim.Category.CASUALTIES, figure_low=100000, figure_high=100000)
    reporter = ArticleFactory(title="Echo", url="https://example.org/echo")
    claim = approved(part_of=parent, unit="Wagner Group", period_start=date(2022, 9, 1))
    claim.reported_by.add(reporter)

    item = next(i for i in api_client.get(LIST).json()["results"] if i["id"] == claim.id)

    assert item["figure_low"] == 1200 and item["figure_high"] == 1200
    assert item["figure_display"] == "1,200"
    assert item["qualifier"] == "exact" and item["category"] == "killed"
    assert item["side"] == "russia" and item["unit"] == "Wagner Group"
    assert item["claimant"] == {
        "slug": claim.claimant.slug,
        "name": claim.claimant.name,
        "kind": "person",
        "affiliation": "ukraine",
    }
    assert item["battle"] == {"slug": claim.battle.slug, "name": claim.battle.name}
    assert item["claim_date"] == "2023-06-01" and item["period_start"] == "2022-09-01"
    assert item["article"]["id"] == claim.article_id
    assert item["article"]["title"] == claim.article.title
    assert item["parent"] == parent.id
    assert [r["title"] for r in item["reports"]] == ["Echo"]
    assert item["reports"][0]["url"] == "https://example.org/echo"
    assert item["page_url"] == f"http://testserver/claims/{claim.id}/"
    assert item["api_url"] == f"http://testserver/api/v1/claims/{claim.id}/"
    assert "review_note" not in item and "confidence" not in item and "status" not in item


def test_drafts_and_rejected_claims_are_in_no_list_detail_dump_or_csv(api_client):
    shown = approved()
    draft = ClaimFactory(status=Claim.Status.DRAFT, excerpt="DRAFT-ONLY figure")
    rejected = ClaimFactory(status=Claim.Status.REJECTED, excerpt="REJECTED figure")

    assert ids(api_client.get(LIST)) == [shown.id]
    assert ids(api_client.get(f"{LIST}dump/")) == [shown.id]
    for hidden in (draft, rejected):
        assert api_client.get(f"{LIST}{hidden.id}/").status_code == 404
        assert ids(api_client.get(LIST, {"article": hidden.article_id})) == []
    body = b"".join(api_client.get(LIST, {"format": "csv"}).streaming_content).decode()
    assert "DRAFT-ONLY" not in body and "REJECTED" not in body
    assert str(shown.id) in body


def test_parent_is_hidden_when_the_parent_claim_is_a_draft(api_client):
    parent = ClaimFactory(status=Claim.Status.DRAFT)
    child = approved(part_of=parent)

    assert api_client.get(f"{LIST}{child.id}/").json()["parent"] is None


def test_battle_filter_takes_several_slugs(api_client):
    first, second, third = approved(), approved(), approved()

    found = ids(api_client.get(LIST, {"battle": [first.battle.slug, second.battle.slug]}))

    assert sorted(found) == sorted([first.id, second.id])
    assert third.id not in found


@pytest.mark.parametrize(
    ("param", "value", "matching", "other"),
    [
        ("side", "ukraine", {"side": "ukraine"}, {"side": "russia"}),
        ("category", "wounded", {"category": "wounded"}, {"category": "killed"}),
        (
            "qualifier",
            "at_least",
            {"qualifier": "at_least", "figure_high": None},
            {"qualifier": "exact"},
        ),
        (
            "claim_date_after",
            "2023-05-01",
            {"claim_date": date(2023, 5, 2)},
            {"claim_date": date(2023, 4, 30)},
        ),
        ("claim_date_before", "2023-05-01", {"claim_date": date(2023, 4, 30)}, {}),
    ],
)
def test_simple_filters_keep_only_matching_claims(api_client, param, value, matching, other):
    wanted = approved(**matching)
    unwanted = approved(**{"claim_date": date(2023, 6, 1), **other})

    found = ids(api_client.get(LIST, {param: value}))

    assert wanted.id in found and unwanted.id not in found


def test_conflict_filter_takes_the_name_in_any_case_or_the_slug(api_client):
    wanted = approved(battle=BattleFactory(conflict="Russo-Ukrainian War"))
    approved(battle=BattleFactory(conflict="Other War"))

    assert ids(api_client.get(LIST, {"conflict": "russo-ukrainian war"})) == [wanted.id]
    assert ids(api_client.get(LIST, {"conflict": "Russo-Ukrainian War"})) == [wanted.id]
    assert ids(api_client.get(LIST, {"conflict": "russo-ukrainian-war"})) == [wanted.id]


def test_unknown_conflict_is_a_400_that_lists_the_known_ones(api_client):
    approved(battle=BattleFactory(conflict="Russo-Ukrainian War"))

    response = api_client.get(LIST, {"conflict": "napoleonic-wars"})

    assert response.status_code == 400
    assert "No conflict called 'napoleonic-wars'" in str(response.json())
    assert "russo-ukrainian-war" in str(response.json())


def test_side_filter_ignores_case_and_repeated_sides_mean_any(api_client):
    russian = approved(side="russia")
    ukrainian = approved(side="ukraine")
    approved(side="north_korea")

    assert ids(api_client.get(LIST, {"side": "Russia"})) == [russian.id]
    both = ids(api_client.get(f"{LIST}?side=russia&side=UKRAINE"))
    assert sorted(both) == sorted([russian.id, ukrainian.id])


def test_repeated_category_means_any_of_them(api_client):
    killed = approved(category=Claim.Category.KILLED)
    captured = approved(category=Claim.Category.CAPTURED)
    approved(category=Claim.Category.WOUNDED)

    both = ids(api_client.get(f"{LIST}?category=killed&category=captured"))

    assert sorted(both) == sorted([killed.id, captured.id])
    assert ids(api_client.get(LIST, {"category": "captured"})) == [captured.id]
    assert api_client.get(f"{LIST}?category=killed&category=poisoned").status_code == 400


def test_q_finds_the_same_claims_as_the_site_search(api_client, client):
    town = BattleFactory(name="Battle of Saltmarsh", aliases=["Saltmarsh", "Soltmarsk"])
    spokesman = SourceFactory(name="Piet Saltmarsh-Vos", aliases=[])
    of_the_battle = approved(battle=town, excerpt="Heavy losses on the eastern front.")
    by_the_spokesman = approved(claimant=spokesman, excerpt="A figure from a briefing.")
    in_the_excerpt = approved(excerpt="The saltmarsh road saw 300 killed.")
    approved(excerpt="Nothing about that place.")
    ClaimFactory(battle=town, excerpt="A draft about saltmarsh.")

    for query in ("saltmarsh", "Soltmarsk", "briefing"):
        searched = {c.id for c in client.get("/search/", {"q": query}).context["claims"]}
        assert set(ids(api_client.get(LIST, {"q": query}))) == searched, query
    assert set(ids(api_client.get(LIST, {"q": "saltmarsh"}))) == {
        of_the_battle.id,
        by_the_spokesman.id,
        in_the_excerpt.id,
    }


def test_claimant_filters_by_slug_kind_and_affiliation(api_client):
    ministry = SourceFactory(kind=Source.Kind.MILITARY, affiliation="russia")
    by_ministry = approved(claimant=ministry)
    by_person = approved()

    assert ids(api_client.get(LIST, {"claimant": ministry.slug})) == [by_ministry.id]
    assert ids(api_client.get(LIST, {"claimant_kind": "military"})) == [by_ministry.id]
    assert ids(api_client.get(LIST, {"claimant_affiliation": "ukraine"})) == [by_person.id]


def test_figure_bounds_treat_open_ended_claims_as_open(api_client):
    at_least = approved(qualifier="at_least", figure_low=20000, figure_high=None)
    at_most = approved(qualifier="at_most", figure_low=None, figure_high=500)
    exact = approved(figure_low=5000, figure_high=5000)

    assert sorted(ids(api_client.get(LIST, {"figure_min": 10000}))) == [at_least.id]
    assert sorted(ids(api_client.get(LIST, {"figure_max": 1000}))) == [at_most.id]
    overlapping = ids(api_client.get(LIST, {"overlaps": "4000,6000"}))
    assert exact.id in overlapping and at_most.id not in overlapping


def test_article_updated_since_and_text_filters(api_client):
    old = approved(excerpt="Officials counted 300 dead near the river.")
    new = approved(excerpt="The ministry said 900 soldiers died.")
    Claim.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=1)).isoformat()

    assert ids(api_client.get(LIST, {"article": new.article_id})) == [new.id]
    assert ids(api_client.get(LIST, {"updated_since": since})) == [new.id]
    assert ids(api_client.get(LIST, {"q": "RIVER"})) == [old.id]
    assert ids(api_client.get(LIST, {"q": new.claimant.name})) == [new.id]


def test_ordering_by_figure_date_and_updated_at(api_client):
    small = approved(figure_low=10, figure_high=10, claim_date=date(2023, 1, 1))
    large = approved(figure_low=900, figure_high=900, claim_date=date(2022, 1, 1))
    only_high = approved(
        qualifier="at_most", figure_low=None, figure_high=50, claim_date=date(2024, 1, 1)
    )

    assert ids(api_client.get(LIST, {"ordering": "figure"})) == [small.id, only_high.id, large.id]
    assert ids(api_client.get(LIST, {"ordering": "-figure"})) == [large.id, only_high.id, small.id]
    assert ids(api_client.get(LIST, {"ordering": "claim_date"})) == [
        large.id,
        small.id,
        only_high.id,
    ]
    assert ids(api_client.get(LIST, {"ordering": "-updated_at"}))[0] == only_high.id


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"battle": "no-such-battle"}, "battle"),
        ({"claimant": "nobody"}, "claimant"),
        ({"category": "eaten"}, "category"),
        ({"qualifier": "maybe"}, "qualifier"),
        ({"claimant_kind": "robot"}, "claimant_kind"),
        ({"claim_date_after": "yesterday"}, "claim_date_after"),
        ({"claim_date_before": "2023-13-45"}, "claim_date_before"),
        ({"figure_min": "many"}, "figure_min"),
        ({"figure_max": "1.5"}, "figure_max"),
        ({"figure_min": "-3"}, "figure_min"),
        ({"figure_min": str(10**30)}, "figure_min"),
        ({"overlaps": "5"}, "overlaps"),
        ({"overlaps": "9,1"}, "overlaps"),
        ({"overlaps": "²,3"}, "overlaps"),
        ({"overlaps": f"1,{10**30}"}, "overlaps"),
        ({"article": "abc"}, "article"),
        ({"updated_since": "last week"}, "updated_since"),
        ({"ordering": "excerpt"}, "ordering"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "501"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"batle": "typo"}, "batle"),
        ({"side": "rus\x00sia"}, "side"),
    ],
)
def test_bad_query_values_are_a_400_naming_the_parameter(api_client, params, field):
    approved()

    response = api_client.get(LIST, params)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert body["fields"][field][0]
    assert field in body["detail"]


def test_bad_filter_with_csv_format_answers_a_json_error(api_client):
    response = api_client.get(LIST, {"format": "csv", "category": "eaten"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "category" in response.json()["fields"]


def test_not_found_has_the_same_error_body(api_client):
    response = api_client.get(f"{LIST}999999/")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": response.json()["detail"],
        "fields": {},
    }


def test_pagination_defaults_to_50_and_allows_up_to_500(api_client):
    article = ArticleFactory()
    battle = BattleFactory()
    source = SourceFactory()
    ClaimFactory.create_batch(
        120, status=Claim.Status.APPROVED, article=article, battle=battle, claimant=source
    )

    first = api_client.get(LIST).json()
    assert first["count"] == 120 and len(first["results"]) == 50 and first["next"]
    assert len(api_client.get(LIST, {"page_size": 500}).json()["results"]) == 120
    last = api_client.get(LIST, {"page": 3}).json()
    assert len(last["results"]) == 20 and last["next"] is None
    beyond = api_client.get(LIST, {"page": 4})
    assert beyond.status_code == 404 and beyond.json()["code"] == "not_found"


def test_dump_walks_every_claim_once_with_a_cursor(api_client):
    article, battle, source = ArticleFactory(), BattleFactory(), SourceFactory()
    made = ClaimFactory.create_batch(
        7, status=Claim.Status.APPROVED, article=article, battle=battle, claimant=source
    )
    seen, url = [], f"{LIST}dump/?page_size=3"
    while url:
        page = api_client.get(url).json()
        seen += [item["id"] for item in page["results"]]
        url = page["next"]

    assert seen == sorted(claim.id for claim in made)
    refused = api_client.get(f"{LIST}dump/", {"ordering": "figure"})
    assert refused.status_code == 400 and "ordering" in refused.json()["fields"]


def test_csv_streams_the_same_rows_as_the_filtered_list(api_client):
    wanted = approved(side="ukraine", excerpt='He said "about 5,000", then left.')
    wanted.reported_by.add(ArticleFactory(), ArticleFactory())
    approved(side="russia")

    response = api_client.get(LIST, {"format": "csv", "side": "ukraine"})

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(row["id"]) for row in rows] == [wanted.id]
    row = rows[0]
    assert row["excerpt"] == 'He said "about 5,000", then left.'
    assert row["claimant_slug"] == wanted.claimant.slug
    assert row["battle_slug"] == wanted.battle.slug
    assert len(row["reports"].split()) == 2
    assert row["parent"] == ""


def _tricky_claims() -> list[Claim]:
    """Claims whose cells a CSV writer must quote, leave empty or format: quotes, commas,
    line breaks, no claimant, no battle, an approved and a draft parent, reports."""
    parent = approved(figure_low=9000, figure_high=9000)
    draft_parent = ClaimFactory(status=Claim.Status.DRAFT)
    first = approved(
        excerpt='He said "about 5,000",\nthen left.',
        unit="",
        claimant=None,
        part_of=parent,
        period_start=date(2023, 5, 1),
        article=ArticleFactory(title='Commas, and "quotes"', published_date=None),
    )
    first.reported_by.add(ArticleFactory(), ArticleFactory())
    second = approved(
        qualifier=Claim.Qualifier.RANGE,
        figure_low=7000,
        figure_high=15000,
        battle=None,
        part_of=draft_parent,
        excerpt="  spaces around  ",
    )
    return [parent, first, second]


def test_csv_cells_are_written_exactly(api_client):
    parent, first, second = _tricky_claims()

    text = b"".join(api_client.get(LIST, {"format": "csv", "ordering": "figure"}).streaming_content)

    rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(text.decode()))}
    assert set(rows) == {parent.id, first.id, second.id}
    assert rows[first.id]["excerpt"] == 'He said "about 5,000",\nthen left.'
    assert rows[first.id]["article_title"] == 'Commas, and "quotes"'
    assert rows[first.id]["claimant_slug"] == rows[first.id]["unit"] == ""
    assert rows[first.id]["article_published"] == ""
    assert rows[first.id]["period_start"] == "2023-05-01"
    assert rows[first.id]["claim_date"] == "2023-06-01"
    assert rows[first.id]["parent"] == str(parent.id)
    assert rows[second.id]["parent"] == ""  # the parent is a draft: not even its id
    assert rows[second.id]["battle_slug"] == ""
    assert rows[second.id]["excerpt"] == "  spaces around  "
    assert rows[first.id]["reports"] == " ".join(
        str(pk) for pk in sorted(first.reported_by.values_list("id", flat=True))
    )
    first.refresh_from_db()
    stamp = first.updated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert rows[first.id]["updated_at"] == stamp
    assert text.startswith(b"id,figure_low,") and b"\r\n" not in text


# Cells an uploader controls (the article's title, outlet and text), crafted as formulas.
FORMULAS = ["=1+1", "+SUM(A1:A9)", "-2+3", '@HYPERLINK("http://example.invalid")', "\tTAB", "\rCR"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_a_spreadsheet_would_run_as_formulas_start_with_a_quote(api_client, formula):
    outlet = SourceFactory(name=formula + " News", kind=Source.Kind.MEDIA)
    claimant = SourceFactory(name=formula)
    article = ArticleFactory(title=formula, outlet=outlet)
    claim = approved(article=article, claimant=claimant, unit=formula, excerpt=formula)

    text = b"".join(api_client.get(LIST, {"format": "csv"}).streaming_content).decode()
    row = next(csv.DictReader(io.StringIO(text, newline="")))

    assert int(row["id"]) == claim.id
    for column in ("excerpt", "claimant_name", "unit", "article_title"):
        assert row[column] == "'" + formula, column
    assert row["article_outlet"] == "'" + formula + " News"
    assert row["figure_low"] == "1200"  # numbers stay numbers


def test_a_negative_looking_text_is_quoted_the_same_in_the_page_and_the_api(api_client, client):
    claim = approved(excerpt="-40 degrees and 300 soldiers were lost.")

    api_text = b"".join(api_client.get(LIST, {"format": "csv"}).streaming_content).decode()
    page = client.get(f"/battles/{claim.battle.slug}/claims.csv")
    page_text = b"".join(page.streaming_content).decode()

    api_row = next(csv.DictReader(io.StringIO(api_text)))
    page_row = next(csv.DictReader(io.StringIO(page_text)))
    assert api_row["excerpt"] == page_row["excerpt"] == "'-40 degrees and 300 soldiers were lost."


@pytest.mark.postgresql  # COPY is PostgreSQL's; elsewhere only the Python writer runs
def test_postgresql_writes_the_same_csv_as_python_does():
    from claims import exports, selectors

    _tricky_claims()
    approved(excerpt="=1+1", unit="@unit", article=ArticleFactory(title="+title"))
    claims = selectors.claim_list_api().order_by("id")

    by_copy = b"".join(exports._copy_csv(claims))
    by_python = b"".join(exports._python_csv(claims))

    assert by_copy.count(b"\n") >= 3
    assert by_copy == by_python


@pytest.mark.postgresql  # COPY is PostgreSQL's
def test_a_csv_download_stopped_halfway_leaves_the_connection_usable(monkeypatch):
    from claims import exports, selectors

    ClaimFactory.create_batch(50, status=Claim.Status.APPROVED)
    monkeypatch.setattr(exports, "BLOCK_BYTES", 100)
    stream = exports._copy_csv(selectors.claim_list_api())

    assert next(stream)
    stream.close()  # what the server does when the client goes away

    assert Claim.objects.filter(status=Claim.Status.APPROVED).count() == 50


def test_csv_rows_are_read_in_chunks_through_an_iterator(monkeypatch):
    from claims import exports

    ClaimFactory.create_batch(5, status=Claim.Status.APPROVED)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    from claims.selectors import claim_list_api

    blocks = list(exports._python_csv(claim_list_api()))

    assert len(blocks) == 3  # 2 + 2 + 1 rows
    assert sum(block.count(b"\n") for block in blocks) == 5


def test_lists_send_etag_and_last_modified_and_answer_304(api_client):
    claim = approved()
    first = api_client.get(LIST)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert api_client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api_client.get(LIST, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert api_client.get(LIST, {"side": "russia"}, HTTP_IF_NONE_MATCH=etag).status_code == 200

    claim.figure_low = claim.figure_high = 5
    claim.save()
    changed = api_client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize("rename", ["claimant", "battle", "article", "outlet"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_renaming_a_related_row_changes_the_list_validators(api_client, rename, fmt):
    outlet = SourceFactory(name="Evening Post", kind=Source.Kind.MEDIA)
    claim = approved(article=ArticleFactory(outlet=outlet))
    a_day_ago = timezone.now() - timedelta(days=1)
    for model in (Claim, Source, Battle, Article):
        model.objects.update(updated_at=a_day_ago)
    query = {"claimant": claim.claimant.slug, "format": fmt}

    def get(**headers):
        response = api_client.get(LIST, query, **headers)
        if response.streaming:
            b"".join(response.streaming_content)  # to its end, which ends its transaction
        return response

    before = get()
    etag, last_modified = before["ETag"], before["Last-Modified"]

    related = {
        "claimant": claim.claimant,
        "battle": claim.battle,
        "article": claim.article,
        "outlet": outlet,
    }[rename]
    setattr(related, "title" if rename == "article" else "name", "A new name")
    related.save()

    assert get(HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert get(HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200
    after = get()
    assert after["ETag"] != etag and after["Last-Modified"] != last_modified


def test_list_query_count_does_not_grow_with_rows(api_client, django_assert_num_queries):
    from django.db import connection

    for _ in range(30):
        claim = approved()
        claim.reported_by.add(ArticleFactory())
    # freshness (count + last change), the page's ids, its claims, the reporting articles
    with django_assert_num_queries(4):
        assert len(api_client.get(LIST).json()["results"]) == 30
    # freshness, the rows, their reporting articles; plus the savepoint pair of the stream's
    # transaction (inside the test's own transaction). PostgreSQL: freshness, then one COPY
    # that Django's query log does not see.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 5):
        b"".join(api_client.get(LIST, {"format": "csv"}).streaming_content)
    # the page's ids (off the filters' index), its claims, the reporting articles
    with django_assert_num_queries(3):
        api_client.get(f"{LIST}dump/")
    with django_assert_num_queries(2):  # the claim, its reporting articles
        api_client.get(f"{LIST}{claim.id}/")


def test_csv_query_count_is_one_per_chunk(api_client, django_assert_num_queries, monkeypatch):
    from django.db import connection

    from claims import exports

    monkeypatch.setattr(exports, "CHUNK_ROWS", 10)
    for _ in range(25):
        approved()
    python = connection.vendor != "postgresql"
    # Freshness, then the first block is made before the answer starts (a failing query is
    # still an error answer). Python: the savepoint, the rows, the first 10-row chunk's
    # reports. PostgreSQL: one COPY, which Django's query log does not see.
    with django_assert_num_queries(4 if python else 1):
        response = api_client.get(LIST, {"format": "csv"})
    # The other two chunks' reports and the savepoint's release, while streaming.
    with django_assert_num_queries(3 if python else 0):
        body = b"".join(response.streaming_content).decode()
    assert body.count("\n") == 26


def test_hand_written_claim_output_equals_the_declared_fields(rf):
    from claims.api.serializers import ClaimBriefSerializer, ClaimSerializer
    from claims.api.views import claim_shown
    from claims.selectors import claim_list_api

    parent = approved()
    claim = approved(
        part_of=parent,
        qualifier="range",
        figure_low=7000,
        figure_high=15000,
        period_start=date(2022, 9, 1),
        article=ArticleFactory(outlet=SourceFactory(kind="media"), url="https://x.example/a"),
    )
    claim.reported_by.add(ArticleFactory(outlet=SourceFactory(kind="media")))
    whole_war = approved(battle=None, claimant=None)
    context = {"request": rf.get("/")}

    for loaded in claim_shown(claim_list_api()).filter(pk__in=[claim.pk, whole_war.pk]):
        for serializer_class in (ClaimSerializer, ClaimBriefSerializer):
            serializer = serializer_class(context=context)
            generic = super(serializer_class, serializer).to_representation(loaded)
            assert serializer.to_representation(loaded) == dict(generic)


def test_a_csv_of_a_filter_that_can_match_nothing_is_its_header_alone(api_client):
    # No claim is contested: the filter becomes an empty id list, which Django proves matches
    # nothing before any SQL is written (PostgreSQL's COPY path had no SQL to run: a 500).
    approved()
    response = api_client.get(LIST, {"contested": "true", "format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert response.status_code == 200
    assert len(lines) == 1 and lines[0].startswith("id,")


def test_the_api_builds_only_the_filters_a_query_names(api_client, django_assert_num_queries):
    from claims.filtersets import ClaimFilterSet

    asked = ClaimFilterSet({"side": "russia", "category": "killed"}, only_asked=True)
    assert list(asked.filters) == ["side", "category"]
    assert list(asked.form.fields) == ["side", "category"]
    # Built for a page or the browsable API's form, the filter set keeps every filter.
    assert set(ClaimFilterSet({"side": "russia"}).filters) == set(ClaimFilterSet.base_filters)

    kept = approved(side="russia")
    approved(side="ukraine")
    assert ids(api_client.get(LIST, {"side": "Russia"})) == [kept.id]
    # One claim by id builds no filter: its claimant filter's query is not even made.
    with django_assert_num_queries(2):  # the claim, its reporting articles
        assert api_client.get(f"{LIST}{kept.id}/").json()["id"] == kept.id


def test_the_browsable_api_still_offers_every_filter(api_client):
    approved()
    page = api_client.get(LIST, {"side": "russia"}, HTTP_ACCEPT="text/html").content.decode()
    for name in ("claimant_kind", "corroborations_min", "updated_since", "overlaps"):
        assert f'name="{name}"' in page


def test_a_long_list_counts_up_to_the_limit_and_every_page_still_reads(api_client, monkeypatch):
    from claims import selectors

    monkeypatch.setattr(selectors, "CLAIM_COUNT_LIMIT", 3)
    claims = [approved(claim_date=date(2024, 1, day)) for day in range(1, 8)]
    newest_first = [claim.id for claim in reversed(claims)]

    first = api_client.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 3 and first["count_is_capped"] is True
    seen, page = [], 1
    while True:
        answer = api_client.get(LIST, {"page_size": 2, "page": page}).json()
        seen += [item["id"] for item in answer["results"]]
        # At least the claims up to this page's end and the one after it.
        assert answer["count"] == max(3, min(2 * page + 1, 7)) and answer["count_is_capped"]
        if answer["next"] is None:
            break
        page += 1
    assert seen == newest_first and page == 4
    assert api_client.get(LIST, {"page_size": 2, "page": 5}).status_code == 404
    last = api_client.get(LIST, {"page": "last"})
    assert last.status_code == 400 and "not counted" in last.json()["fields"]["page"][0]
    # A filter that matches no more than the limit is counted exactly.
    narrow = api_client.get(LIST, {"claim_date_after": "2024-01-05"}).json()
    assert narrow["count"] == 3 and narrow["count_is_capped"] is False


def test_a_capped_list_changes_its_etag_when_a_claim_of_it_is_withdrawn(
    api_client, editor, monkeypatch
):
    from claims import selectors
    from claims.services import claim_return_to_draft

    monkeypatch.setattr(selectors, "CLAIM_COUNT_LIMIT", 3)
    claims = [approved() for _ in range(5)]
    a_day_ago = timezone.now() - timedelta(days=1)
    for model in (Claim, Source, Battle, Article):
        model.objects.update(updated_at=a_day_ago)
    before = api_client.get(LIST)
    assert before.json()["count_is_capped"] is True

    # Still more than the limit afterwards, and the newest change left is a day old: only
    # the withdrawal itself says the list changed.
    claim_return_to_draft(claim=claims[0].id, user=editor)
    Claim.objects.filter(pk=claims[0].pk).update(updated_at=a_day_ago)
    after = api_client.get(LIST, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert claims[0].id not in ids(after)

"""The researcher pages: what each shows, that only approved claims ever show, and how many
queries each page costs."""

import csv
import io
from datetime import date

import pytest

from claims.models import Claim
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

APPROVED = Claim.Status.APPROVED


def approved(**kwargs) -> Claim:
    return ClaimFactory(status=APPROVED, **kwargs)


@pytest.fixture
def bakhmut():
    return BattleFactory(name="Battle of Bakhmut", slug="bakhmut", conflict="Russo-Ukrainian War")


@pytest.fixture
def zelensky():
    return SourceFactory(name="Volodymyr Zelensky", slug="zelensky", affiliation="ukraine")


@pytest.fixture
def kirby():
    return SourceFactory(
        name="John Kirby", slug="kirby", affiliation="united_states", kind="government"
    )


# --- home ---------------------------------------------------------------------------------


def test_home_works_on_an_empty_database(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # conflicts, battle aggregates, battles
        response = client.get("/")
    assert response.status_code == 200
    assert "No conflicts yet" in response.content.decode()


def test_home_lists_battles_with_counts_range_and_latest_claim(client, bakhmut, kirby):
    approved(battle=bakhmut, figure_low=20000, figure_high=20000, claim_date=date(2023, 5, 1))
    approved(
        battle=bakhmut,
        claimant=kirby,
        qualifier=Claim.Qualifier.AT_LEAST,
        figure_low=100000,
        figure_high=None,
        category=Claim.Category.CASUALTIES,
        claim_date=date(2023, 6, 1),
    )
    ClaimFactory(battle=bakhmut, figure_low=999999, figure_high=999999)  # a draft
    html = client.get("/").content.decode()
    assert "Russo-Ukrainian War" in html
    assert 'href="/battles/bakhmut/"' in html
    assert "20,000 – 100,000" in html
    assert "999,999" not in html
    assert "≥ 100,000 casualties (Russia)" in html and "John Kirby" in html


def test_home_query_count_does_not_grow_with_battles(client, django_assert_num_queries):
    for _ in range(5):
        approved()
    # conflicts, per-battle aggregates, battles, the latest dates' claim ids, those claims
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200


# --- battle ------------------------------------------------------------------------------


def test_battle_page_shows_only_approved_claims(client, bakhmut):
    approved(battle=bakhmut, figure_low=20000, figure_high=20000)
    ClaimFactory(battle=bakhmut, figure_low=777777, figure_high=777777)
    ClaimFactory(
        battle=bakhmut, figure_low=888888, figure_high=888888, status=Claim.Status.REJECTED
    )
    response = client.get("/battles/bakhmut/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "20,000" in html
    assert "777,777" not in html and "777777" not in html
    assert "888,888" not in html and "888888" not in html
    assert [p["value"] for p in response.context["chart_points"]] == [20000]


def test_battle_page_unknown_slug_is_404(client):
    assert client.get("/battles/nowhere/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("side=ukraine", {"ukr"}),
        ("category=wounded", {"wounded"}),
        ("claimant=kirby", {"kirby"}),
        ("qualifier=at_least", {"kirby"}),
        ("claim_date_after=2023-06-01", {"kirby", "wounded"}),
        ("claim_date_before=2023-03-01", {"ukr"}),
        ("q=meat+grinder", {"wounded"}),
        ("", {"ukr", "kirby", "wounded"}),
        # The same filters as the API (issue 13): names in any case, any of repeated values.
        ("side=Ukraine", {"ukr"}),
        ("side=ukraine&side=RUSSIA", {"ukr", "kirby", "wounded"}),
        ("category=wounded&category=casualties", {"wounded"}),
        ("category=wounded&category=killed", {"ukr", "kirby", "wounded"}),
        ("category=&side=", {"ukr", "kirby", "wounded"}),
        ("conflict=russo-ukrainian-war", {"ukr", "kirby", "wounded"}),
        ("conflict=Russo-Ukrainian+War", {"ukr", "kirby", "wounded"}),
        ("q=Kirby", {"kirby"}),
    ],
)
def test_battle_filters_narrow_the_table(client, bakhmut, kirby, query, expected):
    rows = {
        "ukr": approved(battle=bakhmut, side="ukraine", claim_date=date(2023, 2, 1)),
        "kirby": approved(
            battle=bakhmut,
            claimant=kirby,
            qualifier=Claim.Qualifier.AT_LEAST,
            figure_low=100000,
            figure_high=None,
            claim_date=date(2023, 7, 1),
        ),
        "wounded": approved(
            battle=bakhmut,
            category=Claim.Category.WOUNDED,
            claim_date=date(2023, 6, 15),
            excerpt="The meat grinder left 1,200 wounded.",
        ),
    }
    response = client.get(f"/battles/bakhmut/?{query}")
    shown = {claim.id for claim in response.context["page"]}
    assert shown == {rows[name].id for name in expected}
    assert {p["id"] for p in response.context["chart_points"]} == shown


def test_battle_filter_with_a_bad_value_says_so_and_lists_nothing(client, bakhmut):
    approved(battle=bakhmut)
    response = client.get("/battles/bakhmut/?claim_date_after=yesterday&category=poisoned")
    html = response.content.decode()
    assert response.status_code == 400  # the page, with the reason, as a client error
    assert "could not be used" in html
    assert "Enter a valid date." in html
    assert list(response.context["page"]) == []


def test_battle_page_ignores_a_battle_parameter_pointing_elsewhere(client, bakhmut):
    other = BattleFactory()
    mine = approved(battle=bakhmut)
    approved(battle=other)
    response = client.get(f"/battles/bakhmut/?battle={other.slug}")
    assert [c.id for c in response.context["page"]] == [mine.id]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-figure", [300, 200, 100]),
        ("figure", [100, 200, 300]),
        ("date", [200, 300, 100]),
        ("-date", [100, 300, 200]),
        ("nonsense", [100, 300, 200]),
    ],
)
def test_battle_table_sorts(client, bakhmut, sort, expected):
    for figure, day in ((100, 20), (200, 1), (300, 10)):
        approved(
            battle=bakhmut, figure_low=figure, figure_high=figure, claim_date=date(2023, 3, day)
        )
    response = client.get(f"/battles/bakhmut/?sort={sort}")
    assert [c.figure_low for c in response.context["page"]] == expected


def test_battle_table_paginates_and_keeps_filters_in_links(client, bakhmut):
    for _ in range(55):
        approved(battle=bakhmut, side="ukraine")
    first = client.get("/battles/bakhmut/?side=ukraine")
    assert len(first.context["page"]) == 50
    html = first.content.decode()
    assert "side=ukraine&amp;page=2" in html
    second = client.get("/battles/bakhmut/?side=ukraine&page=2")
    assert len(second.context["page"]) == 5
    assert client.get("/battles/bakhmut/?page=abc").status_code == 200


def test_battle_page_permalink_and_csv_link_keep_the_filters(client, bakhmut):
    approved(battle=bakhmut)
    html = client.get("/battles/bakhmut/?side=russia&sort=figure&page=1").content.decode()
    assert 'id="permalink" href="/battles/bakhmut/?side=russia&amp;sort=figure&amp;page=1"' in html
    assert 'href="/battles/bakhmut/claims.csv?side=russia&amp;sort=figure"' in html


def test_latest_figure_per_claimant_keeps_each_claimants_newest_claim(
    client, bakhmut, zelensky, kirby
):
    approved(
        battle=bakhmut,
        claimant=zelensky,
        figure_low=10,
        figure_high=10,
        claim_date=date(2023, 1, 1),
    )
    newest = approved(
        battle=bakhmut,
        claimant=zelensky,
        figure_low=30,
        figure_high=30,
        claim_date=date(2023, 3, 1),
    )
    wounded = approved(
        battle=bakhmut, claimant=zelensky, category="wounded", claim_date=date(2023, 2, 1)
    )
    kirby_claim = approved(battle=bakhmut, claimant=kirby, claim_date=date(2023, 2, 1))
    ClaimFactory(battle=bakhmut, claimant=kirby, claim_date=date(2023, 9, 1))  # draft
    response = client.get("/battles/bakhmut/")
    latest = {c.id for c in response.context["latest_per_claimant"]}
    assert latest == {newest.id, wounded.id, kirby_claim.id}


def test_battle_chart_data_is_json_in_the_page_not_a_script(client, bakhmut):
    approved(battle=bakhmut, excerpt="</script><script>alert(1)</script>")
    html = client.get("/battles/bakhmut/").content.decode()
    assert '<script id="battle-chart-data" type="application/json">' in html
    assert "<script>alert(1)" not in html
    # Every <script> on the page is a static file or the JSON data: nothing inline runs.
    assert html.count("<script") == html.count('<script src="/static/') + 1


def test_battle_chart_points_place_hedged_figures(client, bakhmut):
    approved(battle=bakhmut, qualifier="at_least", figure_low=7000, figure_high=None)
    approved(battle=bakhmut, qualifier="at_most", figure_low=None, figure_high=40000)
    approved(battle=bakhmut, qualifier="range", figure_low=7000, figure_high=15000)
    points = client.get("/battles/bakhmut/").context["chart_points"]
    by_hedge = {p["qualifier"]: p for p in points}
    assert by_hedge["at_least"]["value"] == 7000 and by_hedge["at_least"]["figure"] == "≥ 7,000"
    assert by_hedge["at_most"]["value"] == 40000
    assert (by_hedge["range"]["low"], by_hedge["range"]["high"]) == (7000, 15000)
    assert by_hedge["range"]["panel"] == "Killed · Russia"


def test_battle_page_query_count_is_bounded(client, bakhmut, django_assert_num_queries):
    for n in range(30):
        approved(
            battle=bakhmut,
            claimant=SourceFactory(),
            article=ArticleFactory(outlet=SourceFactory(kind="media")),
            side=["russia", "ukraine"][n % 2],
        )
    # battle, filter choices (sides, claimants), count, page ids, page rows, chart ids (stated
    # dates, then publication dates), chart rows, claims it cannot place, and for the
    # comparison: latest dates, candidates, latest rows
    with django_assert_num_queries(13):
        response = client.get("/battles/bakhmut/")
    assert response.status_code == 200
    slug = Claim.objects.first().claimant.slug
    with django_assert_num_queries(14):  # + the claimant filter's own lookup
        client.get(f"/battles/bakhmut/?claimant={slug}")


# --- CSV ---------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_downloads_the_filtered_approved_rows(client, bakhmut, kirby):
    kept = approved(battle=bakhmut, claimant=kirby, side="russia")
    approved(battle=bakhmut, side="ukraine")
    ClaimFactory(battle=bakhmut, claimant=kirby, side="russia")  # draft
    response = client.get("/battles/bakhmut/claims.csv?side=russia")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="bakhmut-claims.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert [int(r["id"]) for r in rows] == [kept.id]
    assert rows[0]["claimant"] == "John Kirby"
    assert rows[0]["permalink"] == f"http://testserver/claims/{kept.id}/"


def test_csv_neutralises_spreadsheet_formulas(client, bakhmut):
    approved(battle=bakhmut, excerpt='=HYPERLINK("http://evil")')
    rows = read_csv(client.get("/battles/bakhmut/claims.csv"))
    assert rows[0]["excerpt"].startswith("'=")


def test_csv_with_a_bad_filter_is_a_400_with_the_reason(client, bakhmut):
    response = client.get("/battles/bakhmut/claims.csv?figure_min=lots")
    assert response.status_code == 400
    assert "figure_min" in response.content.decode()


def test_csv_query_count_does_not_grow_with_rows(client, bakhmut, django_assert_num_queries):
    for _ in range(20):
        approved(battle=bakhmut)
    with django_assert_num_queries(2):  # battle, then the rows
        rows = read_csv(client.get("/battles/bakhmut/claims.csv"))
    assert len(rows) == 20


# --- claim -------------------------------------------------------------------------------


def test_claim_page_highlights_the_figure_in_its_paragraph(client, bakhmut, zelensky):
    body = "First paragraph.\n\nOfficials said 1,200 soldiers died near the river.\n\nLast."
    article = ArticleFactory(body=body, title="River report", url="https://example.org/r")
    start = body.index("1,200")
    claim = approved(
        battle=bakhmut,
        claimant=zelensky,
        article=article,
        start_offset=start,
        end_offset=start + 5,
    )
    html = client.get(f"/claims/{claim.id}/").content.decode()
    assert "<p>Officials said <mark>1,200</mark> soldiers died near the river.</p>" in html
    assert "First paragraph." not in html
    assert 'href="https://example.org/r"' in html
    assert "Volodymyr Zelensky" in html and 'href="/battles/bakhmut/"' in html


def test_claim_page_escapes_article_text(client):
    body = "<script>alert('x')</script> Officials said 1,200 died."
    start = body.index("1,200")
    article = ArticleFactory(body=body)
    claim = approved(article=article, start_offset=start, end_offset=start + 5)
    html = client.get(f"/claims/{claim.id}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_claim_page_falls_back_to_excerpt_when_offsets_do_not_fit(client):
    claim = approved(start_offset=5000, end_offset=5005, excerpt="Said <b>1,200</b>.")
    html = client.get(f"/claims/{claim.id}/").content.decode()
    assert "<p>Said &lt;b&gt;1,200&lt;/b&gt;.</p>" in html


def test_claim_page_hides_drafts_and_rejected_claims_from_the_public(client, viewer):
    draft = ClaimFactory()
    rejected = ClaimFactory(status=Claim.Status.REJECTED)
    assert client.get(f"/claims/{draft.id}/").status_code == 404
    assert client.get(f"/claims/{rejected.id}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/claims/{draft.id}/").status_code == 404


def test_claim_page_shows_a_draft_to_a_reviewer_with_a_warning(client, editor):
    draft = ClaimFactory()
    client.force_login(editor)
    response = client.get(f"/claims/{draft.id}/")
    assert response.status_code == 200
    assert "only reviewers see this page" in response.content.decode()
    assert "private" in response["Cache-Control"]  # no shared cache may keep a draft


def test_pages_for_anonymous_visitors_are_not_marked_private(client):
    claim = approved()
    for url in ("/", f"/claims/{claim.id}/", f"/battles/{claim.battle.slug}/"):
        assert "private" not in client.get(url).get("Cache-Control", ""), url


def test_claim_page_links_parts_reporting_articles_and_shows_public_history(client):
    whole = approved(category="casualties", figure_low=100000, figure_high=100000)
    part = approved(part_of=whole, article=whole.article)
    hidden_part = ClaimFactory(part_of=whole, article=whole.article, figure_low=5, figure_high=5)
    other = ArticleFactory(title="Wire copy", outlet=SourceFactory(name="Wire Agency"))
    whole.reported_by.add(other)
    whole.figure_low = whole.figure_high = 110000
    whole.save()
    html = client.get(f"/claims/{whole.id}/").content.decode()
    assert f'href="/claims/{part.id}/"' in html
    assert f'href="/claims/{hidden_part.id}/"' not in html
    assert "Wire copy" in html and "Wire Agency" in html
    assert "Approved on" in html and "Corrected on" in html
    part_html = client.get(f"/claims/{part.id}/").content.decode()
    assert f'href="/claims/{whole.id}/"' in part_html


def test_claim_page_does_not_link_to_a_draft_it_is_part_of(client):
    draft_whole = ClaimFactory()
    part = approved(part_of=draft_whole)
    html = client.get(f"/claims/{part.id}/").content.decode()
    assert f'href="/claims/{draft_whole.id}/"' not in html


def test_claim_page_query_count(client, django_assert_num_queries):
    claim = approved()
    claim.reported_by.add(ArticleFactory(), ArticleFactory())
    # claim, reported_by, parts, history, the claims contradicting it
    with django_assert_num_queries(5):
        assert client.get(f"/claims/{claim.id}/").status_code == 200


def test_claim_page_never_links_a_javascript_url(client):
    claim = approved(article=ArticleFactory(url="javascript:alert(1)"))
    html = client.get(f"/claims/{claim.id}/").content.decode()
    assert "javascript:alert" not in html


# --- source ------------------------------------------------------------------------------


def test_source_page_splits_own_losses_from_the_enemys(client, zelensky, bakhmut):
    own = approved(claimant=zelensky, side="ukraine", battle=bakhmut)
    enemy = approved(claimant=zelensky, side="russia", battle=bakhmut)
    ClaimFactory(claimant=zelensky, side="russia", figure_low=424242, figure_high=424242)
    response = client.get("/sources/zelensky/")
    html = response.content.decode()
    assert response.status_code == 200
    panels = {p["id"]: p["panel"] for p in response.context["chart_points"]}
    assert panels == {own.id: "Own losses (Ukraine) · Killed", enemy.id: "Losses (Russia) · Killed"}
    assert "424,242" not in html
    assert 'href="/battles/bakhmut/"' in html


def test_source_page_query_count(client, zelensky, django_assert_num_queries):
    for _ in range(10):
        approved(claimant=zelensky, battle=BattleFactory())
    # source, count, page, chart ids (stated dates, publication dates), chart rows, unplaced
    with django_assert_num_queries(7):
        assert client.get("/sources/zelensky/").status_code == 200


def test_source_page_breadcrumb_leads_from_the_battles_to_this_source(client, zelensky):
    approved(claimant=zelensky)
    html = client.get("/sources/zelensky/").content.decode()
    assert (
        '<nav class="breadcrumbs" aria-label="Breadcrumbs"><a href="/">Battles</a> › '
        '<span aria-current="page">Volodymyr Zelensky</span></nav>'
    ) in html


def test_source_page_unknown_slug_is_404(client):
    assert client.get("/sources/nobody/").status_code == 404


# --- article -----------------------------------------------------------------------------


def test_article_page_highlights_and_links_approved_claims_only(client):
    body = "Kyiv said 1,200 died.\nMoscow said 300 died.\n<script>alert(1)</script>"
    article = ArticleFactory(body=body)
    a = body.index("1,200")
    b = body.index("300")
    shown = approved(article=article, start_offset=a, end_offset=a + 5)
    ClaimFactory(article=article, start_offset=b, end_offset=b + 3)  # draft
    html = client.get(f"/articles/{article.id}/").content.decode()
    assert f'<mark><a href="/claims/{shown.id}/"' in html and ">1,200</a></mark>" in html
    assert "<mark><a" in html and html.count("<mark>") == 1
    assert "Moscow said 300 died." in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


PLAIN_UPLOAD = (
    "Northern Courier\n"
    "Shelling resumes along the river\n"
    "March 4, 2023\n"
    "\n"
    "Officials said 1,200 soldiers died near the river on Friday.\n"
)


def _lede(html: str) -> str:
    return html.split('<p class="lede">', 1)[1].split("</p>", 1)[0]


def test_article_page_text_does_not_repeat_the_title_and_date_of_its_header(client):
    article = ArticleFactory(
        body=PLAIN_UPLOAD, title="Shelling resumes along the river", published_date=date(2023, 3, 4)
    )
    start = PLAIN_UPLOAD.index("1,200")
    approved(article=article, start_offset=start, end_offset=start + 5)

    html = client.get(f"/articles/{article.id}/").content.decode()
    text = html.split('<div class="body">', 1)[1]

    assert html.count("Shelling resumes along the river") == 2  # <title> and <h1>
    assert "March 4, 2023" not in text and "Northern Courier" not in text
    assert "Officials said <mark>" in text


def test_article_page_keeps_a_header_line_that_holds_a_claim(client):
    body = "1,200 killed, officials say\nMarch 4, 2023\n\nThe officials spoke on Friday.\n"
    article = ArticleFactory(
        body=body, title="1,200 killed, officials say", published_date=date(2023, 3, 4)
    )
    approved(article=article, start_offset=0, end_offset=5)

    text = client.get(f"/articles/{article.id}/").content.decode().split('class="body">', 1)[1]

    assert ">1,200</a></mark> killed, officials say" in text


@pytest.mark.parametrize(
    ("outlet", "author", "expected"),
    [
        (False, "", '<time datetime="2023-03-04">4 March 2023</time>'),
        (False, "Ana Reyes", 'By Ana Reyes, <time datetime="2023-03-04">4 March 2023</time>'),
        (True, "", '<a href="/sources/courier/">Courier</a>, <time datetime="2023-03-04">'),
        (True, "Ana Reyes", '<a href="/sources/courier/">Courier</a>, by Ana Reyes, <time'),
    ],
)
def test_article_subtitle_separates_only_the_parts_it_has(client, outlet, author, expected):
    article = ArticleFactory(
        author=author,
        published_date=date(2023, 3, 4),
        outlet=SourceFactory(name="Courier", slug="courier", kind="media") if outlet else None,
    )
    approved(article=article)

    lede = _lede(client.get(f"/articles/{article.id}/").content.decode())

    assert lede.startswith(expected)
    assert not lede.lstrip().startswith(",")


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/claims/favicon")
    assert response["Location"].endswith(".svg")


def test_article_page_survives_overlapping_or_bad_offsets(client):
    body = "They said 1,200 died."
    article = ArticleFactory(body=body)
    approved(article=article, start_offset=10, end_offset=15)
    approved(article=article, start_offset=12, end_offset=14)
    approved(article=article, start_offset=90, end_offset=95)
    response = client.get(f"/articles/{article.id}/")
    assert response.status_code == 200
    assert response.content.decode().count("<mark>") == 1


def test_article_without_approved_claims_is_not_public(client):
    article = ArticleFactory()
    ClaimFactory(article=article)
    assert client.get(f"/articles/{article.id}/").status_code == 404


def test_article_that_reports_an_approved_claim_is_public(client):
    claim = approved()
    reporter = ArticleFactory(title="Reprint")
    claim.reported_by.add(reporter)
    html = client.get(f"/articles/{reporter.id}/").content.decode()
    assert "Reprint" in html and f'href="/claims/{claim.id}/"' in html


def test_article_page_query_count(client, django_assert_num_queries):
    article = ArticleFactory()
    for n in range(5):
        approved(article=article, start_offset=n, end_offset=n + 1)
    with django_assert_num_queries(3):  # article, its claims, claims it reports
        assert client.get(f"/articles/{article.id}/").status_code == 200


# --- search and about --------------------------------------------------------------------


def test_search_finds_claims_by_excerpt_claimant_and_battle_grouped_by_battle(
    client, bakhmut, kirby
):
    by_excerpt = approved(battle=bakhmut, excerpt="The meat grinder killed 1,200.")
    by_claimant = approved(battle=BattleFactory(name="Avdiivka"), claimant=kirby)
    ClaimFactory(battle=bakhmut, excerpt="meat grinder draft")
    html = client.get("/search/?q=meat grinder").content.decode()
    assert f'href="/claims/{by_excerpt.id}/"' in html
    assert "meat grinder draft" not in html
    html = client.get("/search/?q=Kirby").content.decode()
    assert f'href="/claims/{by_claimant.id}/"' in html and "Avdiivka" in html
    assert "Battle of Bakhmut" in client.get("/search/?q=Bakhmut").content.decode()


@pytest.mark.parametrize("query", ["side=%00", "side=russia&side=ru%00ssia", "conflict=%00"])
def test_battle_filter_with_a_null_character_says_so(client, bakhmut, query):
    approved(battle=bakhmut)
    response = client.get(f"/battles/bakhmut/?{query}")
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert list(response.context["page"]) == []


def test_battle_page_refuses_an_unknown_conflict_with_the_known_ones(client, bakhmut):
    approved(battle=bakhmut)
    response = client.get("/battles/bakhmut/?conflict=napoleonic-wars")
    html = response.content.decode()
    assert response.status_code == 400 and "could not be used" in html
    assert "No conflict called" in html and "russo-ukrainian-war" in html
    assert list(response.context["page"]) == []


def test_battle_page_q_finds_what_the_search_page_finds_of_that_battle(client, bakhmut, kirby):
    by_battle_alias = approved(battle=bakhmut, excerpt="Losses were heavy in the east.")
    by_claimant = approved(battle=bakhmut, claimant=kirby, excerpt="A briefing figure.")
    by_excerpt = approved(battle=bakhmut, excerpt="Losses at the Bakhmut salt mines.")
    bakhmut.aliases = ["Artemivsk"]
    bakhmut.save()
    on_page = {}
    for query in ("artemivsk", "kirby", "salt mines"):
        searched = {c.id for c in client.get("/search/", {"q": query}).context["claims"]}
        page = client.get("/battles/bakhmut/", {"q": query}).context["page"]
        on_page[query] = {c.id for c in page}
        assert on_page[query] == searched, query
    assert on_page["artemivsk"] == {by_battle_alias.id, by_claimant.id, by_excerpt.id}
    assert on_page["kirby"] == {by_claimant.id}


def test_search_finds_public_articles_but_not_unreviewed_uploads(client):
    public = approved(article=ArticleFactory(title="Siege diary")).article
    hidden = ArticleFactory(title="Siege notes")
    ClaimFactory(article=hidden)
    html = client.get("/search/?q=siege").content.decode()
    assert f'href="/articles/{public.id}/"' in html
    assert f'href="/articles/{hidden.id}/"' not in html


def test_search_with_no_query_or_odd_input_is_fine(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/search/").status_code == 200
    assert client.get("/search/?q=%00%27%22<b>" + "x" * 1000).status_code == 200


def test_search_query_count(client, django_assert_num_queries):
    for _ in range(5):
        approved(excerpt="artillery fire")
    # claimant names, battle names, ids matching the text, those claims, articles
    with django_assert_num_queries(5):
        client.get("/search/?q=artillery")
    # + the newest ids of each battle and of each claimant whose name matches
    BattleFactory(name="Artillery Hill")
    SourceFactory(name="Artillery command")
    with django_assert_num_queries(7):
        client.get("/search/?q=Artillery")  # another address: not the cached page


def test_search_shows_the_newest_matches_once_each_grouped_by_battle(client, bakhmut, monkeypatch):
    from claims import selectors

    monkeypatch.setattr(selectors, "SEARCH_RESULT_LIMIT", 3)
    other = BattleFactory(name="Avdiivka", conflict="Russo-Ukrainian War")
    oldest = approved(battle=bakhmut, excerpt="Bakhmut shelling", claim_date=date(2023, 1, 1))
    newer = [
        approved(battle=battle, excerpt="shelling", claim_date=date(2023, 3, day))
        for battle, day in ((other, 1), (bakhmut, 2), (other, 3))
    ]

    results = selectors.search_everything(query="shelling")
    both = selectors.search_everything(query="Bakhmut")

    assert results["claims_truncated"] and oldest not in results["claims"]
    # Avdiivka before Battle of Bakhmut, newest first within each.
    assert results["claims"] == [newer[2], newer[0], newer[1]]
    # Matched by its excerpt and by its battle's name: listed once.
    assert [claim.pk for claim in both["claims"]].count(oldest.pk) == 1


@pytest.mark.postgresql  # the full-text index is PostgreSQL's
def test_the_article_search_can_use_its_full_text_index():
    from django.db import connection

    from claims.selectors import search_everything

    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        search_everything(query="shelling")
    plans = []
    with connection.cursor() as cursor:
        # On a near-empty table a scan is cheapest; with scans and plain index scans
        # forbidden, a bitmap scan of the full-text index is left if its expression matches.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for sql, params in statements:
            if "to_tsvector" in sql and 'FROM "claims_article"' in sql:
                cursor.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))

    assert len(plans) == 1
    assert "article_text_search" in plans[0], plans[0]


def test_about_page_explains_categories_and_qualifiers(client):
    html = client.get("/about/").content.decode()
    for word in ("Casualties", "At least", "Up to", "Between", "How claims are reviewed"):
        assert word in html


@pytest.mark.parametrize(
    "url", ["/", "/about/", "/search/?q=x", "/battles/x/", "/claims/1/", "/articles/1/"]
)
def test_pages_refuse_writes(client, url):
    assert client.post(url).status_code == 405


def test_latest_per_claimant_breaks_a_same_day_tie_by_the_newer_claim_and_caps_rows(
    bakhmut, zelensky, kirby
):
    from claims import selectors

    approved(battle=bakhmut, claimant=zelensky, claim_date=date(2023, 3, 1))
    newer = approved(battle=bakhmut, claimant=zelensky, claim_date=date(2023, 3, 1))
    kirby_claim = approved(battle=bakhmut, claimant=kirby, claim_date=date(2023, 4, 1))
    approved(battle=bakhmut, claimant=kirby, claim_date=None)  # undated: never "latest"
    claims = selectors.battle_claim_list(battle=bakhmut)
    assert {c.id for c in selectors.claim_latest_per_claimant(claims=claims)} == {
        newer.id,
        kirby_claim.id,
    }
    assert [c.id for c in selectors.claim_latest_per_claimant(claims=claims, limit=1)] == [
        kirby_claim.id
    ]


def test_home_latest_claim_is_the_newest_of_that_battle_only(client, bakhmut):
    other = BattleFactory()
    approved(battle=bakhmut, claim_date=date(2023, 5, 1), figure_low=11, figure_high=11)
    approved(battle=other, claim_date=date(2023, 5, 1), figure_low=22, figure_high=22)
    approved(battle=bakhmut, claim_date=date(2023, 1, 1), figure_low=33, figure_high=33)
    conflicts = client.get("/").context["conflicts"]
    battles = {b.pk: b for conflict in conflicts for b in conflict.battle_summaries}
    assert battles[bakhmut.pk].latest_claim.figure_low == 11
    assert battles[other.pk].latest_claim.figure_low == 22

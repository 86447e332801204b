"""The pages in a real browser: the chart draws a mark per claim, filters change the table,
the CSV link downloads the filtered rows, and nothing logs a console error. Screenshots of the
main pages land in artifacts/."""

import csv
import io
from datetime import date

import pytest

from claims.models import Claim
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bakhmut_claims():
    """A battle with claims from three claimants about both sides, with every hedge."""
    battle = BattleFactory(
        name="Battle of Bakhmut",
        slug="bakhmut",
        conflict="Russo-Ukrainian War",
        start_date=date(2022, 8, 1),
        end_date=date(2023, 5, 20),
    )
    zelensky = SourceFactory(name="Volodymyr Zelensky", slug="zelensky", affiliation="ukraine")
    kirby = SourceFactory(
        name="John Kirby", slug="kirby", affiliation="united_states", kind="government"
    )
    mod = SourceFactory(name="Russian Ministry of Defence", slug="ru-mod", affiliation="russia")
    outlet = SourceFactory(name="Example Wire", slug="example-wire", kind="media")
    body = (
        "Fighting around the city went on.\n\n"
        "Officials said at least 20,000 Russian soldiers were killed since December.\n\n"
        "Ukraine's losses were put at between 7,000 and 15,000 wounded."
    )
    article = ArticleFactory(
        title="Bakhmut: the toll", body=body, outlet=outlet, url="https://example.org/toll"
    )
    specs = [
        (zelensky, "russia", "killed", "at_least", 20000, None, date(2023, 1, 10)),
        (zelensky, "russia", "killed", "approx", 30000, 30000, date(2023, 3, 2)),
        (kirby, "russia", "casualties", "approx", 100000, 100000, date(2023, 5, 1)),
        (kirby, "russia", "killed", "exact", 20000, 20000, date(2023, 5, 1)),
        (mod, "ukraine", "killed", "at_most", None, 40000, date(2023, 2, 14)),
        (mod, "ukraine", "wounded", "range", 7000, 15000, date(2023, 4, 20)),
        (zelensky, "ukraine", "killed", "exact", 500, 500, date(2022, 12, 1)),
    ]
    claims = []
    for claimant, side, category, qualifier, low, high, when in specs:
        start = body.index("20,000")
        claims.append(
            ClaimFactory(
                battle=battle,
                article=article,
                claimant=claimant,
                side=side,
                category=category,
                qualifier=qualifier,
                figure_low=low,
                figure_high=high,
                claim_date=when,
                start_offset=start,
                end_offset=start + 6,
                excerpt="Officials said at least 20,000 Russian soldiers were killed.",
                status=Claim.Status.APPROVED,
            )
        )
    ClaimFactory(battle=battle, article=article, figure_low=31337, figure_high=31337)  # draft
    return claims


def chart_marks(page, selector: str) -> int:
    page.wait_for_selector(f"{selector}[data-rendered='true']", timeout=15000)
    return page.locator(f"{selector} svg g.mark-symbol.role-mark path").count()


def test_battle_chart_draws_a_mark_per_approved_claim(
    live_server, page, screenshot, bakhmut_claims
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/battles/bakhmut/")
    assert chart_marks(page, "#battle-chart") == len(bakhmut_claims)
    # Ranges are drawn as bars from low to high.
    assert page.locator("#battle-chart svg g.mark-rule.role-mark line").count() == 1
    assert "31,337" not in page.content()
    screenshot("battle")
    page.check("#battle-chart-log")
    page.wait_for_selector("#battle-chart[data-rendered='true'] svg")
    assert chart_marks(page, "#battle-chart") == len(bakhmut_claims)
    assert page.console_errors == []


def test_battle_filters_change_table_chart_and_url(live_server, page, bakhmut_claims):
    page.goto(f"{live_server.url}/battles/bakhmut/")
    assert page.locator("#claims-table tbody tr").count() == 7
    page.select_option("#f-side", "ukraine")
    page.select_option("#f-claimant", "ru-mod")
    page.click("button:text('Apply filters')")
    page.wait_for_url("**/battles/bakhmut/?*side=ukraine*")
    assert page.locator("#claims-table tbody tr").count() == 2
    assert chart_marks(page, "#battle-chart") == 2
    permalink = page.get_attribute("#permalink", "href")
    assert "side=ukraine" in permalink and "claimant=ru-mod" in permalink
    page.click("th a:text('Figure')")
    page.wait_for_url("**sort=-figure*")
    figures = page.locator("#claims-table tbody td.num").all_inner_texts()
    assert figures == ["≤ 40,000", "7,000–15,000"]
    assert page.console_errors == []


def test_csv_link_downloads_the_filtered_rows(live_server, page, bakhmut_claims):
    page.goto(f"{live_server.url}/battles/bakhmut/?claimant=kirby")
    with page.expect_download() as download_info:
        page.click("#csv-link")
    download = download_info.value
    assert download.suggested_filename == "bakhmut-claims.csv"
    with open(download.path(), encoding="utf-8") as downloaded:
        rows = list(csv.DictReader(io.StringIO(downloaded.read())))
    assert sorted(row["figure"] for row in rows) == ["20,000", "≈ 100,000"]
    assert {row["claimant"] for row in rows} == {"John Kirby"}
    assert page.console_errors == []


def test_main_pages_render_without_console_errors(live_server, page, screenshot, bakhmut_claims):
    claim = bakhmut_claims[0]
    for name, path in [
        ("home", "/"),
        ("claim", f"/claims/{claim.id}/"),
        ("source", "/sources/zelensky/"),
        ("article", f"/articles/{claim.article_id}/"),
        ("search", "/search/?q=Bakhmut"),
        ("about", "/about/"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        if name == "source":
            assert chart_marks(page, "#source-chart") == 3
        screenshot(name)
    assert page.console_errors == []


def test_battle_page_reads_on_a_phone(live_server, page, screenshot, bakhmut_claims):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/battles/bakhmut/")
    assert chart_marks(page, "#battle-chart") == len(bakhmut_claims)
    # The page itself does not scroll sideways; wide tables scroll inside their box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("battle-phone")
    assert page.console_errors == []


def test_home_on_an_empty_database(live_server, page, screenshot):
    page.goto(f"{live_server.url}/")
    assert page.locator("h2:text('No conflicts yet')").is_visible()
    screenshot("home-empty")
    assert page.console_errors == []


def test_keyboard_reaches_the_filters_and_the_skip_link(live_server, page, bakhmut_claims):
    page.goto(f"{live_server.url}/battles/bakhmut/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.focus("#f-category")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-claimant"


def test_article_with_a_script_shows_the_text_and_runs_nothing(live_server, page):
    body = "<script>window.pwned = true</script><img src=x onerror='window.pwned=true'> 1,200 died."
    article = ArticleFactory(body=body, title="<b>Hostile</b>")
    start = body.index("1,200")
    ClaimFactory(
        article=article, start_offset=start, end_offset=start + 5, status=Claim.Status.APPROVED
    )
    page.goto(f"{live_server.url}/articles/{article.id}/")
    assert "<script>window.pwned = true</script>" in page.inner_text(".article-text .body")
    assert page.inner_text("h1") == "<b>Hostile</b>"
    assert page.evaluate("window.pwned === undefined")

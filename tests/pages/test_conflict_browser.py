"""Conflict pages and undated claims in a real browser (issue 14): the timeline draws a
claimant's running total as a line, a battle whose claims are all undated still shows them,
and Vega logs neither errors nor warnings."""

from datetime import date

import pytest

from claims.models import Claim
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_warnings(page) -> list[str]:
    """Console warnings as well as the errors the `page` fixture records."""
    warnings: list[str] = []
    page.on("console", lambda msg: msg.type == "warning" and warnings.append(msg.text))
    return warnings


def drawn(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-rendered='true']", timeout=15000)


def test_conflict_page_draws_each_claimants_running_total_as_a_line(live_server, page, screenshot):
    battle = BattleFactory(
        name="Battle of Marsh Ford", slug="marsh-ford", conflict="War of the Marsh"
    )
    war = battle.conflict
    staff = SourceFactory(name="Marsh general staff", slug="marsh-staff", affiliation="ukraine")
    analysts = SourceFactory(name="Lowland analysts", slug="lowland", affiliation="independent")
    totals = [(staff, 400_000, date(2024, 1, 5)), (staff, 520_000, date(2024, 6, 5))]
    totals += [(analysts, 300_000, date(2024, 2, 1)), (analysts, 350_000, date(2024, 7, 1))]
    for claimant, figure, when in totals:
        ClaimFactory(
            battle=None,
            conflict=war,
            claimant=claimant,
            figure_low=figure,
            figure_high=figure,
            claim_date=when,
            status=Claim.Status.APPROVED,
        )
    # A daily tally, drawn apart from the totals; and a claim placed at its article's date.
    ClaimFactory(
        battle=None,
        conflict=war,
        claimant=staff,
        figure_low=1100,
        figure_high=1100,
        claim_date=date(2024, 6, 5),
        period_start=date(2024, 6, 4),
        period_end=date(2024, 6, 5),
        status=Claim.Status.APPROVED,
    )
    ClaimFactory(
        battle=None,
        conflict=war,
        claimant=analysts,
        figure_low=360_000,
        figure_high=360_000,
        claim_date=None,
        article=ArticleFactory(published_date=date(2024, 8, 1)),
        status=Claim.Status.APPROVED,
    )
    ClaimFactory(battle=battle, status=Claim.Status.APPROVED)
    warnings = record_warnings(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/")
    page.click(f"a[href='/conflicts/{war.slug}/']:text('War of the Marsh')")
    page.wait_for_url(f"**/conflicts/{war.slug}/")
    drawn(page, "#conflict-timeline")

    # One line per claimant among the running totals, a mark per claim.
    assert page.locator("#conflict-timeline svg g.mark-line.role-mark path").count() == 2
    assert page.locator("#conflict-timeline svg g.mark-symbol.role-mark path").count() == 6
    panels = page.locator("#conflict-timeline svg").text_content() or ""
    assert "running totals" in panels and "daily tallies" in panels
    # The date axis is labelled.
    assert "Date (stated in the text" in panels
    assert page.locator("table.battles a:text('Battle of Marsh Ford')").count() == 1
    assert page.locator("#claims-table tbody tr").count() == 6
    assert page.locator("#claims-table .date-basis").count() == 1
    screenshot("conflict")
    assert page.console_errors == []
    assert warnings == []


def test_battle_page_whose_claims_are_all_undated_shows_every_claim(live_server, page):
    battle = BattleFactory(name="Battle of Undated Hill", slug="undated-hill")
    for figure in (120, 340):
        ClaimFactory(
            battle=battle,
            claim_date=None,
            figure_low=figure,
            figure_high=figure,
            article=ArticleFactory(published_date=None),
            status=Claim.Status.APPROVED,
        )
    ClaimFactory(
        battle=battle,
        claim_date=None,
        figure_low=560,
        figure_high=560,
        article=ArticleFactory(published_date=date(2024, 4, 2)),
        status=Claim.Status.APPROVED,
    )
    warnings = record_warnings(page)

    page.goto(f"{live_server.url}/battles/undated-hill/")
    drawn(page, "#battle-chart")

    assert page.locator("#battle-chart svg g.mark-symbol.role-mark path").count() == 1
    unplaced = page.locator(".chart-unplaced").inner_text()
    assert unplaced.startswith("2 claims could not be placed on the chart")
    assert page.locator("#claims-table tbody tr").count() == 3
    assert page.locator("table.compare tbody tr").count() == 3  # one per claimant
    assert "No approved claims yet" not in page.content()
    assert page.console_errors == []
    assert warnings == []

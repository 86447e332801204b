"""Issue 16's "Done when": an editor reviews a real multi-claim article (a shared seed) on the
article review screen from the keyboard alone: approves the right drafts, corrects a field,
rejects one, adds a missed claim from a text selection; then the public battle page and the
API show exactly the approved claims.

The extractor reads the seeds without a mistake, so the test plants one of each kind first:
it removes one draft (a miss), puts a wrong side on another (a field to correct) and adds a
draft on a figure that counts no losses (one to reject). The numbers of keystrokes and page
loads per claim are written to artifacts/review-desk-scenario.json for bench/review_desk.py."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from claims.models import Article, Battle, Claim
from ingest.services import article_submit
from tests.conftest import ARTIFACTS
from tests.needs import shared_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_FILE = "000_542a2ba3e6e6db0d.txt"


def seed_gold() -> dict:
    gold = json.loads(shared_path("seeds", "gold.json").read_text(encoding="utf-8"))
    return next(a for a in gold["articles"] if a["file"] == SEED_FILE)


class Keyboard:
    """Presses keys on the page and counts them (typed text counts one per character)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)


def selected_figure(page) -> tuple[int, str]:
    row = page.locator("#desk-list > li.draft.selected")
    return int(row.get_attribute("data-claim")), row.locator(".draft-figure").inner_text()


def test_editor_reviews_a_seed_article_from_the_keyboard(
    live_server, page, screenshot, editor, client
):
    call_command("load_reference", verbosity=0)
    gold = seed_gold()
    content = shared_path("seeds", "articles", SEED_FILE).read_bytes()
    submission = article_submit(
        content=content,
        filename=SEED_FILE,
        content_type="text/plain",
        published=date.fromisoformat(gold["published"]),
    )
    article = Article.objects.get(pk=submission.article.pk)
    assert article.status == Article.Status.PARSED
    drafts = list(article.claims.order_by("start_offset"))
    assert len(drafts) == len(gold["claims"]) == 4

    # The planted mistakes (see the module docstring).
    missed, miscorrected = drafts[1], drafts[3]
    missed_text = article.body[missed.start_offset : missed.end_offset]
    missed_values = (missed.figure_low, missed.category, missed.side, missed.claimant_id)
    missed.delete()
    right_side = miscorrected.side
    wrong_side = "russia" if right_side != "russia" else "ukraine"
    Claim.objects.filter(pk=miscorrected.pk).update(side=wrong_side)
    distractor = next(d for d in gold["distractors"] if any(ch.isdigit() for ch in d))
    at = article.body.index(distractor)
    digits = next(i for i, ch in enumerate(distractor) if ch.isdigit())
    digits_end = digits
    while digits_end < len(distractor) and distractor[digits_end].isdigit():
        digits_end += 1
    spurious = Claim.objects.create(
        article=article,
        side="russia",
        category=Claim.Category.KILLED,
        qualifier=Claim.Qualifier.EXACT,
        figure_low=12,
        figure_high=12,
        excerpt=distractor,
        start_offset=at + digits,
        end_offset=at + digits_end,
        confidence=0.2,
        extractor_version="planted",
        extracted_values={"figure_low": 12, "figure_high": 12, "category": "killed"},
    )

    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    keys = Keyboard(page)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/claim/")
    page.locator("#id_username").focus()
    keys.type(editor.username)
    keys.press("Tab")
    keys.type("correct-horse-battery")
    keys.press("Enter")
    # The queue: each draft's sentence with its figure marked, filters within one screen.
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list .queue-sentence mark.figure").count() == 4
    filters = page.locator("#changelist-filter").bounding_box()
    assert filters is not None and filters["y"] + filters["height"] <= 800
    screenshot("review-queue")
    page.goto(f"{live_server.url}/admin/claims/article/{article.pk}/review/")
    page.wait_for_selector("#desk-list")
    loads_before_review, keys.count = len(loads), 0
    requests: list[str] = []  # the pages the review asks for (a POST, then its redirect)
    page.on("request", lambda r: r.is_navigation_request() and requests.append(r.method))
    screenshot("review-desk-start")

    # The actions bar stays in view while the list scrolls.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 100  # the list is taller than the screen
    bar = page.locator("#desk-actions").bounding_box()
    assert bar is not None and 0 <= bar["y"] < 100
    page.evaluate("window.scrollTo(0, 0)")

    handled = set()
    while page.locator("#desk-list > li.draft").count():
        claim_id, figure = selected_figure(page)
        assert claim_id not in handled, "the same draft came back"
        handled.add(claim_id)
        if claim_id == spurious.pk:
            keys.press("r")
            keys.type("not a casualty figure")
            keys.press("Enter")
        elif claim_id == miscorrected.pk:
            keys.press("e")
            for _ in range(4):  # qualifier, low, high, category, then side
                keys.press("Tab")
            keys.type(right_side.replace("_", " ")[:4])
            assert page.locator(f"#id_c{claim_id}-side").input_value() == right_side
            page.screenshot(path=str(ARTIFACTS / "review-desk-correcting-viewport.png"))
            keys.press("Escape")
            keys.press("a")
        else:
            keys.press("a")
        page.wait_for_load_state()
        page.wait_for_selector("#desk-actions")

    # The missed figure: found with "/" and added from the selection with "n".
    keys.press("/")
    keys.type(missed_text)
    keys.press("Enter")
    keys.press("n")
    page.wait_for_selector("#desk-list > li.draft.selected")
    added_id, added_figure = selected_figure(page)
    screenshot("review-desk-added")
    keys.press("a")
    page.wait_for_selector("#desk-empty")
    screenshot("review-desk-done")
    assert page.console_errors == []

    added = Claim.objects.get(pk=added_id)
    assert added.added_by_editor and added.extracted_values == {}
    assert (added.figure_low, added.category, added.side, added.claimant_id) == missed_values
    assert added.history.earliest("history_date").history_user == editor

    approved = Claim.objects.filter(article=article, status=Claim.Status.APPROVED)
    assert approved.count() == 4
    assert Claim.objects.get(pk=miscorrected.pk).side == right_side
    assert Claim.objects.get(pk=spurious.pk).status == Claim.Status.REJECTED
    assert {c.figure_low for c in approved} == {c["figure_low"] for c in gold["claims"]}

    # The public side shows exactly the approved claims.
    api = client.get(f"/api/v1/claims/?article={article.pk}").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert sorted(row["id"] for row in rows) == sorted(c.pk for c in approved)
    for battle in Battle.objects.filter(claims__article=article).distinct():
        html = client.get(f"/battles/{battle.slug}/").content.decode()
        for claim in Claim.objects.filter(article=article, battle=battle):
            shown = f"/claims/{claim.pk}/" in html
            assert shown == (claim.status == Claim.Status.APPROVED), claim

    review_loads = len(loads) - loads_before_review
    claims_handled = len(handled) + 1
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "review-desk-scenario.json").write_text(
        json.dumps(
            {
                "claims": claims_handled,
                "keystrokes_in_review": keys.count,
                "page_loads_in_review": review_loads,
                "page_requests_in_review": len(requests),
                "posts_in_review": requests.count("POST"),
            }
        )
    )
    assert review_loads <= 2 * claims_handled + 1


def test_clicking_a_figure_selects_its_draft_and_shift_a_approves_the_untouched(
    live_server, page, editor
):
    from tests.factories import ArticleFactory, ClaimFactory

    body = "Officials said 1,200 soldiers died.\n\nLater, 300 more were wounded."
    article = ArticleFactory(title="Two figures", body=body)
    first = ClaimFactory(article=article, start_offset=15, end_offset=20, confidence=0.9)
    second = ClaimFactory(
        article=article,
        start_offset=body.index("300"),
        end_offset=body.index("300") + 3,
        category=Claim.Category.WOUNDED,
        figure_low=300,
        figure_high=300,
        confidence=0.3,
    )
    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/article/{article.pk}/review/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#desk-list")
    # Doubtful first: the 300 is selected, its figure outlined in the text.
    assert page.locator("li.draft.selected").get_attribute("data-claim") == str(second.pk)
    assert page.locator("#article-body a.figure.selected").inner_text() == "300"
    page.click(f"#fig-{first.pk}")
    assert page.locator("li.draft.selected").get_attribute("data-claim") == str(first.pk)
    page.click(f"#claim-{second.pk} .draft-head")
    assert page.locator("#article-body a.figure.selected").inner_text() == "300"
    page.keyboard.press("Shift+A")
    page.wait_for_selector("#desk-empty")
    assert set(article.claims.values_list("status", flat=True)) == {Claim.Status.APPROVED}
    assert page.console_errors == []

"""The public cache keeps one answer per query a page or API list takes, whatever the order of
its parameters, and none for queries it does not take or filters that do not validate: random
query strings must not fill the cache: answers to queries share PUBLIC_CACHE_QUERY_SLOTS entries."""

import random
import string

import pytest
from django.core.cache import cache

from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _kept_answers() -> int:
    # LocMemCache, as in the test settings; entries are named claims:public:<hash>.
    keys = cache._cache.keys()  # type: ignore[attr-defined]
    return sum(1 for key in keys if key.startswith(":1:claims:public:") and "filling" not in key)


@pytest.fixture
def battle_page():
    claim = ClaimFactory(status=Claim.Status.APPROVED, side="russia")
    return f"/battles/{claim.battle.slug}/"


def test_a_page_query_in_any_order_is_kept_once(client, battle_page):
    client.get(battle_page + "?side=russia&sort=date")
    client.get(battle_page + "?sort=date&side=russia")

    assert _kept_answers() == 1


def test_queries_with_parameters_a_page_does_not_take_are_answered_but_not_kept(
    client, battle_page
):
    answers = [client.get(f"{battle_page}?junk{n}=x{n}").status_code for n in range(20)]
    repeated = client.get(battle_page + "?side=russia&side=ukraine").status_code

    assert answers == [200] * 20 and repeated == 200
    assert _kept_answers() == 0


def test_a_filter_that_does_not_validate_is_a_400_page_and_not_kept(client, battle_page):
    response = client.get(battle_page + "?figure_min=lots")

    assert response.status_code == 400
    assert "Enter a whole number." in response.content.decode()
    assert _kept_answers() == 0


def test_api_lists_keep_one_answer_per_query_whatever_the_order(client):
    ClaimFactory(status=Claim.Status.APPROVED)

    client.get("/api/v1/claims/?page_size=5&side=russia")
    client.get("/api/v1/claims/?side=russia&page_size=5")
    refused = client.get("/api/v1/claims/?junk=1")

    assert refused.status_code == 400
    assert _kept_answers() == 1


def _random_words(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=12))


def test_random_searches_fill_no_more_than_the_query_slots(client, battle_page, settings):
    settings.PUBLIC_CACHE_QUERY_SLOTS = 8
    rng = random.Random(17)
    paths = ["/search/?q=", battle_page + "?q=", "/api/v1/claims/?q="]

    answers = {
        client.get(path + _random_words(rng)).status_code for _ in range(70) for path in paths
    }

    assert answers == {200}
    assert _kept_answers() <= 8


def test_random_numbers_and_filter_combinations_fill_no_more_than_the_query_slots(
    client, battle_page, settings
):
    settings.PUBLIC_CACHE_QUERY_SLOTS = 8
    rng = random.Random(17)
    sides, categories = ["russia", "ukraine", "israel", "hamas"], ["killed", "wounded", "captured"]

    for _ in range(100):
        client.get(f"{battle_page}?figure_min={rng.randrange(10**9)}")
        client.get(
            f"/api/v1/claims/?side={rng.choice(sides)}&category={rng.choice(categories)}"
            f"&page_size={rng.randrange(1, 100)}"
        )

    assert _kept_answers() <= 8


def test_a_query_is_served_from_its_entry_and_never_gets_another_querys_answer(
    client, battle_page, settings, django_assert_num_queries
):
    settings.PUBLIC_CACHE_QUERY_SLOTS = 1  # every query in the same entry
    client.get("/search/?q=alpha")
    with django_assert_num_queries(0):
        kept = client.get("/search/?q=alpha")

    pushed_out = client.get("/search/?q=bravo")
    again = client.get("/search/?q=alpha")

    assert 'value="alpha"' in kept.content.decode()
    assert 'value="bravo"' in pushed_out.content.decode()
    assert 'value="alpha"' in again.content.decode()
    assert _kept_answers() == 1


def test_no_query_slots_keeps_pages_but_no_answer_to_a_query(client, battle_page, settings):
    settings.PUBLIC_CACHE_QUERY_SLOTS = 0

    client.get(battle_page)
    client.get(battle_page + "?side=russia")
    client.get("/search/?q=alpha")

    assert _kept_answers() == 1

from datetime import date

from ingest.extraction import extract_article
from ingest.extraction.battles import battle_index, choose, find_battles
from ingest.extraction.types import BattleRef, ReferenceData


def battle(text, reference, published=None):
    return [
        c.battle for c in extract_article(text, published=published, reference=reference).claims
    ]


def test_the_same_place_in_2022_and_2024_is_two_battles(reference):
    text = "Around 2,000 Russian troops were killed in Kharkiv Oblast, the governor said."
    assert battle(text, reference, date(2022, 4, 1)) == ["Battle of Kharkiv (2022)"]
    assert battle(text, reference, date(2024, 6, 1)) == ["Kharkiv offensive (2024)"]


def test_an_alias_names_the_battle(reference):
    text = "More than 300 Ukrainian soldiers were killed near Artemivsk, the ministry said."
    assert battle(text, reference, date(2023, 3, 1)) == ["Battle of Bakhmut"]


def test_regional_variants_of_a_place_match(reference):
    text = "The enemy lost 80 servicemen in the Kursk Region, the ministry said."
    assert battle(text, reference, date(2024, 10, 13)) == ["Kursk incursion"]


def test_a_war_wide_figure_has_no_battle(reference):
    text = (
        "Fighting for Bakhmut continues.\n"
        "Russia has lost 200,000 troops since the full-scale invasion began, Kyiv said.\n"
    )
    assert battle(text, reference, date(2023, 3, 1)) == [None]


def test_a_place_without_a_date_and_several_battles_is_left_empty(reference):
    hits = find_battles("near Kharkiv", battle_index(reference))
    assert choose(hits, None) is None


def test_battles_come_from_the_reference_data_not_the_code():
    text = "More than 300 soldiers were killed near Nowhereville, the ministry said."
    assert battle(text, ReferenceData(), date(2025, 3, 1)) == [None]
    editors_battle = BattleRef(
        name="Battle of Nowhereville",
        conflict="Test war",
        aliases=("Nowhereville",),
        start=date(2025, 1, 1),
    )
    assert battle(text, ReferenceData(battles=(editors_battle,)), date(2025, 3, 1)) == [
        "Battle of Nowhereville"
    ]


def test_a_place_names_a_battle_only_while_it_goes_on(reference):
    text = "Officials reported 8 dead and 23 injured after the shelling of Kherson."
    assert battle(text, reference, date(2024, 11, 20)) == [None, None]


def test_indexes_are_built_once_for_equal_reference_data(reference):
    # The task builds a fresh ReferenceData from the database for every article.
    copy = ReferenceData(
        battles=tuple(reference.battles),
        sources=tuple(reference.sources),
        conflicts=tuple(reference.conflicts),
    )
    assert copy is not reference
    assert battle_index(copy) is battle_index(reference)


def test_without_any_date_a_region_alone_gives_no_battle(reference):
    # Kharkiv Oblast was fought over in 2022 and in 2024: undated, nothing says which.
    assert battle(
        "About 800 soldiers were killed in Kharkiv Oblast, the governor said.", reference
    ) == [None]
    # A region of only one battle is no better: the figure may come from before or after it.
    one = ReferenceData(
        battles=(
            BattleRef(name="Battle of Somewhere", conflict="test", places=("Somewhere Valley",)),
        )
    )
    assert battle("About 800 soldiers were killed in Somewhere Valley.", one) == [None]
    assert battle("About 800 soldiers were killed in the Battle of Somewhere.", one) == [
        "Battle of Somewhere"
    ]


def test_a_region_in_an_article_about_a_named_operation_is_that_operation(reference):
    text = (
        "Ukraine's counteroffensive pushed south toward Robotyne this week.\n"
        "The army said on Saturday that 14 Ukrainian tanks were destroyed in Donetsk Oblast.\n"
    )
    assert battle(text, reference, date(2023, 6, 20)) == ["2023 Ukrainian counteroffensive"]

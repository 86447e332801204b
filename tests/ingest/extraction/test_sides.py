import pytest

from ingest.extraction import extract_article
from ingest.extraction.sides import mentions, resolve, side_of_phrase


def side(sentence, **kwargs):
    (claim,) = extract_article(sentence, **kwargs).claims
    return claim.side, claim.unit


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Around 20,000 Russian troops were killed, the president said.", ("russia", None)),
        ("Russia's army lost 4,000 troops, officials said.", ("russia", None)),
        ("About 300 North Korean soldiers were killed, Seoul said.", ("north_korea", None)),
        (
            "Half of the 10,000 Wagner fighters killed were convicts, he said.",
            ("russia", "Wagner Group"),
        ),
        (
            "The army said 300 Hamas fighters were killed in the operation.",
            ("palestine", "Hamas fighters"),
        ),
        (
            "Israeli forces killed at least 12 Palestinians in a strike, medics said.",
            ("palestine", None),
        ),
        ("The RSF said it killed more than 89 enemy personnel.", ("sudan", None)),
        ("Ukrainian troops destroyed three tanks, the governor said.", ("russia", "tanks")),
        ("At least 47 civilians were killed in El Fasher, activists said.", ("sudan", "civilians")),
    ],
)
def test_whose_losses(sentence, expected):
    assert side(sentence) == expected


def test_the_enemy_is_the_claimants_opponent():
    (m,) = [m for m in mentions("the enemy lost") if m.kind == "enemy"]
    assert resolve(m, "russia") == "ukraine"
    assert resolve(m, "ukraine") == "russia"


def test_claimant_phrases_carry_their_party():
    assert side_of_phrase("Russia's defence ministry") == "russia"
    assert side_of_phrase("the Rapid Support Forces") == "rsf"


def test_a_total_over_several_sides_is_multiple():
    found = extract_article(
        "At least 61 people – 33 civilians, 16 rebels and 12 soldiers – were killed in "
        "Aleppo, the Syrian Observatory for Human Rights said."
    ).claims
    assert [(c.figure_low, c.side) for c in found] == [
        (61, "multiple"),
        (33, "syria"),
        (16, "syrian_rebels"),
        (12, "syria"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Israeli strikes killed at least 45 people across Gaza overnight, the agency said.",
            "palestine",
        ),
        ("The death toll from the Russian strike on Dnipro rose to 40, officials said.", "ukraine"),
        ("Hezbollah said 21 of its fighters were killed in southern Lebanon.", "lebanon"),
    ],
)
def test_the_victims_of_an_attack_are_the_attackers_opponents(sentence, expected):
    assert side(sentence)[0] == expected


def test_enemy_resolves_through_the_speakers_stated_affiliation():
    text = (
        "Today Russian forces lost more than 500 soldiers near the town. "
        "This was stated by Petro Kovalenko, spokesman for the armed forces of Ukraine.\n"
        '"During the fighting, 221 enemies were killed and 314 wounded," he said.\n'
    )
    assert [c.side for c in extract_article(text).claims] == ["russia", "russia", "russia"]


def test_a_health_ministrys_toll_counts_its_own_side(reference):
    text = (
        "The Israeli military said its troops fired warning shots.\n"
        "The Gaza health ministry said the death toll had risen to 30,035.\n"
    )
    (claim,) = extract_article(text, reference=reference).claims
    assert claim.side == "palestine"


@pytest.mark.parametrize(
    "sentence",
    [
        "The conflict has killed some 80,000 people on both sides, researchers estimate.",
        "Combined, Israeli and Palestinian casualties exceed 9,000, the report said.",
        "Fighting between the army and the RSF has killed 6,000 people, the agency said.",
    ],
)
def test_a_total_across_sides_is_multiple(sentence, reference):
    (claim,) = extract_article(sentence, reference=reference).claims
    assert claim.side == "multiple"


def test_the_enemy_named_after_the_loss_word_is_the_claimants_opponent(reference):
    text = "According to the General Staff, the losses of the enemy reached 7,300 personnel."
    (claim,) = extract_article(text, reference=reference).claims
    assert claim.side == "russia"


def test_people_killed_by_a_strike_belong_to_the_country_it_hit(reference):
    text = "An Israeli air strike on a town in Lebanon killed 9 people, officials said."
    (claim,) = extract_article(text, reference=reference).claims
    assert claim.side == "lebanon"


def test_with_no_claimant_the_enemy_is_the_opponent_of_the_party_named_before_it(reference):
    text = "Overnight, Ukrainian drones hit 14 enemy tanks near the river."
    (claim,) = extract_article(text, reference=reference).claims
    assert claim.side == "russia"

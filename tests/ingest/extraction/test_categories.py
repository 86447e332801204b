import pytest

from ingest.extraction import extract_article
from ingest.extraction.categories import noun_phrase


def claims(text, **kwargs):
    return extract_article(text, **kwargs).claims


@pytest.mark.parametrize(
    ("sentence", "category"),
    [
        ("The army said 120 soldiers were killed in action.", "killed"),
        ("Officials said 35 people died in the strike.", "killed"),
        ("The ministry reported 212 fatalities.", "killed"),
        ("Another 80,000 troops have been wounded, officials said.", "wounded"),
        ("Doctors treated 64 injured civilians, the hospital said.", "wounded"),
        ("The army has suffered 4,000 casualties, the general said.", "casualties"),
        ("The brigade lost 300 troops, its commander said.", "casualties"),
        ("More than 3,000 soldiers have been killed or injured, the president said.", "casualties"),
        ("Up to 40,000 troops were dead, captured, or injured, NATO estimates.", "casualties"),
        ("Kyiv said 120 Russian soldiers were taken prisoner.", "captured"),
        ("Some 250 marines surrendered, the ministry said.", "captured"),
        ("About 2,500 soldiers are missing in action, the ombudsman said.", "missing"),
    ],
)
def test_loss_words_decide_the_category(sentence, category):
    (claim,) = claims(sentence)
    assert claim.category == category


def test_equipment_keeps_its_kind_as_the_unit():
    found = claims(
        "The enemy lost 86 tanks, 158 armored fighting vehicles and 46 units of "
        "other equipment, the General Staff said."
    )
    assert [(c.figure_low, c.category, c.unit) for c in found] == [
        (86, "equipment", "tanks"),
        (158, "equipment", "armored fighting vehicles"),
        (46, "equipment", "other equipment"),
    ]


def test_pieces_of_equipment_have_no_unit():
    (claim,) = claims("Russia lost more than 1,000 pieces of equipment, the general said.")
    assert (claim.category, claim.unit) == ("equipment", None)


@pytest.mark.parametrize(
    "sentence",
    [
        "The city had a pre-war population of 70,000.",
        "Troops captured about 1,300 square kilometers of territory.",
        "Ukraine raised spending by almost $12 billion.",
        "Russia has stationed approximately 12,000 North Korean soldiers in the region.",
        "A brigade can include between 2,000 and 8,000 troops.",
        "Losses were lower than Russia's by a factor of 7.5.",
        "Russian assaults led to a 90% increase in casualties.",
        "More than 12 million people have been displaced by the war.",
        "Air defences intercepted 22 of 28 missiles overnight.",
        "The youngest of the dead was 19 years old.",
        "Over 1,100 artillery attacks took place in one day.",
        "Around 5,000 Russian troops are trapped in the town.",
        "Russians lose 60 to 80 soldiers a day near the city.",
        "The army lost 400 soldiers daily in December, the commander said.",
        "The 10-month-long assault continued.",
    ],
)
def test_distractors_are_not_claims(sentence):
    assert claims(sentence) == []


def test_a_total_and_its_including_part_are_two_linked_claims():
    found = claims(
        '"Russia has suffered more than 100,000 casualties, including over 20,000 '
        'killed in action," he said.'
    )
    assert [(c.figure_low, c.category) for c in found] == [
        (100000, "casualties"),
        (20000, "killed"),
    ]
    assert found[1].parent == 0


def test_the_same_figure_in_headline_body_and_quote_is_one_claim():
    text = (
        "Over 500 Russian troops killed near the river\n\n"
        "More than 500 Russian troops were killed near the river, the navy said.\n\n"
        '"Over 500 Russian troops were killed," the spokesman said.\n'
    )
    (claim,) = claims(text)
    assert claim.excerpt.startswith("More than 500")


def test_noun_phrase_reads_what_is_counted():
    sentence = "lost 590 pieces of Russian equipment yesterday"
    np = noun_phrase(sentence, sentence.index("590") + 3, len(sentence))
    assert (np.text, np.kind) == ("pieces of Russian equipment", "equipment")


def test_a_verb_after_the_figure_with_its_own_object_is_not_the_figures():
    assert claims("The brigade has about 3,000 soldiers and lost a third of them.") == []


def test_people_returned_in_a_prisoner_exchange_were_captured():
    text = (
        "The two sides carried out another prisoner exchange on Friday.\n"
        "Kyiv brought home 90 soldiers, and 40 servicemen returned to Russia.\n"
    )
    found = claims(text)
    assert [(c.figure_low, c.category, c.side) for c in found] == [
        (90, "captured", "ukraine"),
        (40, "captured", "russia"),
    ]


def test_returning_troops_outside_an_exchange_story_are_not_claims():
    assert claims("About 300 soldiers returned to their base after the drill.") == []


def test_losses_including_the_wounded_are_casualties():
    found = claims("The ministry put the enemy's losses, including the wounded, at 8,400.")
    assert [(c.figure_low, c.category) for c in found] == [(8400, "casualties")]


def test_deaths_at_one_figure_and_casualties_at_another_are_two_categories():
    text = (
        "The institute put the army's deaths at 21,000 and its casualties, "
        "including the wounded, at 64,000."
    )
    assert [(c.figure_low, c.category) for c in claims(text)] == [
        (21000, "killed"),
        (64000, "casualties"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Aid groups warned that deaths could reach 30,000 by the winter.",
        "The toll is expected to rise to more than 5,000, the agency said.",
    ],
)
def test_a_projection_is_not_a_claim(sentence):
    assert claims(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "category"),
    [
        ("The ministry said the toll had reached 140 martyrs.", "killed"),
        ("Some 75 people remain captive in the tunnels, officials said.", "captured"),
    ],
)
def test_translated_and_hostage_wording(sentence, category):
    assert [c.category for c in claims(sentence)] == [category]


@pytest.mark.parametrize(
    "sentence",
    [
        "The army sent a force of 9,000 troops, of whom 700 were killed, the general said.",
        "The raid involved 2,000 soldiers; 150 of them were killed.",
    ],
)
def test_the_force_a_part_of_which_was_killed_is_not_a_claim(sentence):
    assert len(claims(sentence)) == 1


@pytest.mark.parametrize(
    ("sentence", "unit"),
    [
        ("Some 45 National Guard soldiers were killed, officials said.", "National Guard"),
        ("The hospital said 12 patients died after the power cut.", "patients"),
        (
            "The army lost 40 armoured fighting vehicles and about 80 guns.",
            "armoured fighting vehicles",
        ),
        ("Kyiv said 3 military pilots returned home in the swap.", "military pilots"),
    ],
)
def test_the_unit_is_the_group_counted_without_the_words_around_it(sentence, unit):
    assert claims(sentence)[0].unit == unit


def test_vehicles_of_wars_outside_europe_are_equipment():
    found = claims(
        "The army said 75 troop carriers were captured and 40 Land Cruisers were seized."
    )
    assert [(c.figure_low, c.category, c.unit) for c in found] == [
        (75, "equipment", "troop carriers"),
        (40, "equipment", "Land Cruisers"),
    ]

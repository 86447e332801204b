import pytest

from ingest.extraction import extract_article


def claimant(text, reference):
    return [c.claimant for c in extract_article(text, reference=reference).claims]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Some 2,000 troops were killed, President Volodymyr Zelensky said.", "Volodymyr Zelensky"),
        (
            "According to the UK Ministry of Defence, 4,000 Russian troops were killed.",
            "UK Ministry of Defence",
        ),
        ("NATO estimates that 7,000 Russian troops were killed.", "NATO"),
        ('"We killed 120 Russian soldiers," said Captain Ihor Savchuk.', "Ihor Savchuk"),
        ("Kirby told reporters that 20,000 Russian troops had died.", "John Kirby"),
        ("The RSF said it killed 89 enemy soldiers.", "Rapid Support Forces"),
        ("Zelenskyy said 31,000 Ukrainian troops had been killed.", "Volodymyr Zelensky"),
    ],
)
def test_known_claimants_are_matched_to_their_source(text, expected, reference):
    assert claimant(text, reference) == [expected]


def test_unknown_claimants_are_kept_as_written_without_titles(reference):
    text = "Around 400 Russian soldiers were killed, Colonel-General Taras Hrytsak said."
    assert claimant(text, reference) == ["Taras Hrytsak"]


def test_he_said_is_the_person_named_before(reference):
    text = (
        "Colonel Andrii Lysenko commands the brigade near the town.\n"
        "Lysenko said on Monday that 90 Russian soldiers were killed.\n"
        '"We also destroyed four tanks," he said.\n'
    )
    assert claimant(text, reference) == ["Andrii Lysenko", "Andrii Lysenko"]


def test_the_general_added_is_the_general_quoted_before(reference):
    text = (
        "Russia lost 3,000 troops, Commander-in-Chief Oleksandr Syrskyi said.\n"
        "Over 700 Russian servicemen were captured, the general added.\n"
    )
    assert claimant(text, reference) == ["Oleksandr Syrskyi", "Oleksandr Syrskyi"]


def test_a_statement_attributed_in_the_next_sentence(reference):
    text = (
        "Today Russian forces lost more than 500 soldiers near the city. "
        "This was stated by Serhiy Tkach, spokesman for the eastern group."
    )
    assert claimant(text, reference) == ["Serhiy Tkach"]


def test_relays_do_not_replace_the_claimant(reference):
    text = "NATO estimates that 7,000 Russian troops were killed, Reuters reported."
    assert claimant(text, reference) == ["NATO"]


def test_the_article_itself_asserting_a_figure_has_no_claimant(reference):
    text = "By one account, as many as 500 Russian troops may have been killed."
    assert claimant(text, reference) == [None]


def test_each_figure_takes_the_speaker_that_follows_it(reference):
    text = (
        "At least 100 RSF fighters died in the clashes, the army said, while the RSF said it "
        "had killed 300 soldiers."
    )
    assert claimant(text, reference) == ["army", "Rapid Support Forces"]


def test_the_speaker_beats_the_subject_of_a_reported_statement(reference):
    text = "Ukraine has confirmed the deaths of 43,000 of its soldiers, Zelensky said."
    assert claimant(text, reference) == ["Volodymyr Zelensky"]


def test_a_demonym_alone_names_its_country(reference):
    text = "According to Israeli figures, about 1,200 people were killed in the attack."
    assert claimant(text, reference) == ["Israel"]


def test_an_organisation_never_named_before_is_kept_as_written(reference):
    assert claimant("Over 300 soldiers were injured, the army said.", reference) == ["army"]


def test_he_said_is_the_person_introduced_by_a_title_when_nobody_was_quoted(reference):
    text = (
        "Defence Minister Marta Kovalchuk toured the eastern front on Tuesday.\n"
        "\n"
        '"Our artillery killed 150 Russian soldiers in a single day," she said.\n'
    )
    assert claimant(text, reference) == ["Marta Kovalchuk"]


def test_the_spokesman_is_the_person_an_appositive_calls_one(reference):
    text = (
        "Bohdan Ilchenko, a spokesman for the southern command, spoke to reporters.\n"
        "\n"
        "The spokesman said 75 Russian soldiers had been captured since Friday.\n"
    )
    assert claimant(text, reference) == ["Bohdan Ilchenko"]


def test_a_surname_takes_the_full_name_with_its_middle_initial(reference):
    text = (
        "Colonel Dmytro V. Harasym, who leads the brigade, arrived at the base on Sunday.\n"
        "\n"
        "Harasym said 60 Russian soldiers were killed in the assault.\n"
    )
    assert claimant(text, reference) == ["Dmytro V. Harasym"]


def test_a_quote_over_two_paragraphs_takes_the_attribution_at_its_end(reference):
    text = (
        "General Ostap Melnyk briefed journalists on Thursday.\n"
        "\n"
        "“Over the week the enemy lost 420 soldiers near the bridge.\n"
        "\n"
        "“We are holding every position,” Melnyk said.\n"
    )
    assert claimant(text, reference) == ["Ostap Melnyk"]


def test_reported_speech_goes_on_over_paragraphs_until_someone_else_is_cited(reference):
    text = (
        "According to Governor Iryna Sydorenko, the shelling went on all night.\n"
        "\n"
        "“Russian strikes killed 12 civilians in the city.”\n"
        "\n"
        "Rescuers worked until dawn.\n"
        "\n"
        "In total, 40 people were wounded.\n"
        "\n"
        "The State Border Guard Service reported fighting near the border.\n"
        "\n"
        "There, 30 Russian soldiers were killed.\n"
    )
    expected = ["Iryna Sydorenko", "Iryna Sydorenko", "State Border Guard Service"]
    assert claimant(text, reference) == expected


def test_reported_speech_does_not_reach_past_three_sentences(reference):
    text = (
        "According to Governor Iryna Sydorenko, the shelling went on all night.\n"
        "Rescuers worked until dawn. Power was cut in two districts. Schools were closed.\n"
        "In total, 40 people were wounded.\n"
    )
    assert claimant(text, reference) == [None]


def test_a_statement_attributed_in_the_next_sentence_beats_an_earlier_speaker(reference):
    text = (
        "According to Governor Iryna Sydorenko, the shelling went on all night.\n"
        "\n"
        "Today Russian forces lost more than 500 soldiers near the city. "
        "This was stated by Serhiy Tkach, spokesman for the eastern group.\n"
    )
    assert claimant(text, reference) == ["Serhiy Tkach"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The words before a verb, or a noun phrase around the figure, are not a speaker.
        ("The number of enemy casualties counted by the brigade rose to 2,900.", None),
        ("Russian troops said 35 Ukrainian soldiers were killed near the river.", None),
        # A speaker's name ends where its clause's verb, a time word or a description starts.
        ("The relief committee said it had recorded 61 deaths.", "relief committee"),
        (
            "The Health Office in the occupied district said today that 85 people died.",
            "Health Office",
        ),
    ],
)
def test_a_claimant_is_a_speaker_never_a_fragment_of_the_sentence(text, expected, reference):
    assert claimant(text, reference) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moscow said 140 Ukrainian soldiers were killed.", "Russian Ministry of Defence"),
        ("Kyiv says 900 Russian troops were killed.", "Ukrainian Ministry of Defence"),
        (
            "Ukraine's Defense Ministry said 900 Russian troops were killed.",
            "Ukrainian Ministry of Defence",
        ),
        ("The Pentagon said 60,000 Russian troops had died.", "US Department of Defense"),
    ],
)
def test_an_institution_named_two_ways_is_one_source(text, expected, reference):
    assert claimant(text, reference) == [expected]


def test_it_in_reported_speech_is_the_source_named_before(reference):
    text = (
        "The Pentagon released an estimate on Monday. "
        "It put that number at 64,000 Russian troops killed."
    )
    assert claimant(text, reference) == ["US Department of Defense"]


@pytest.mark.parametrize(
    "text",
    [
        "The army said it killed 250 RSF fighters, while the RSF said 70 soldiers died.",
        "250 RSF fighters were killed, the army said, while the RSF said 70 soldiers died.",
        "The army said 250 RSF fighters were killed, while 70 soldiers died, the RSF said.",
    ],
)
def test_with_two_speakers_each_figure_takes_the_one_whose_clause_holds_it(text, reference):
    assert claimant(text, reference) == ["army", "Rapid Support Forces"]


def test_a_report_speaks_for_the_body_that_published_it(reference):
    text = (
        "A new study from the Lviv Institute of Demography estimates that 41,000 soldiers were "
        "killed. The study says 9,000 soldiers were wounded."
    )
    assert claimant(text, reference) == ["Lviv Institute of Demography"] * 2


def test_the_source_an_agency_cites_is_the_claimant(reference):
    text = (
        "About 70 soldiers were killed, a news agency reported, citing the UK Ministry of Defence."
    )
    assert claimant(text, reference) == ["UK Ministry of Defence"]


def test_the_army_is_the_army_named_before_not_the_last_organisation(reference):
    text = (
        "Fighting between Sudan's army and the Rapid Support Forces went on. "
        "The army said 60 RSF fighters were killed."
    )
    # Read back as "Sudan's army", it is the known source of that name.
    assert claimant(text, reference) == ["Sudanese Armed Forces"]


def test_a_ministry_statement_is_the_ministry_named_before(reference):
    text = (
        "At least 900 people have been killed, the Health Office of the region said on Monday. "
        "A ministry statement said 45 people had been killed in the last day."
    )
    assert claimant(text, reference) == ["Health Office of the region"] * 2


def test_a_name_before_its_title_set_off_by_commas_is_the_speaker(reference):
    text = "Ana Petrova, the brigade's deputy commander, said 90 soldiers were wounded."
    assert claimant(text, reference) == ["Ana Petrova"]

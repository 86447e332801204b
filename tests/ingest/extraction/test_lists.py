"""Lists and tallies inside a sentence: each entry is a claim counted like its neighbours."""

from datetime import date

from ingest.extraction import extract_article


def rows(text, reference):
    claims = extract_article(text, published=date(2024, 5, 15), reference=reference).claims
    return [(c.figure_low, c.category, c.unit) for c in claims]


def test_a_daily_increment_in_brackets_counts_what_its_figure_counts(reference):
    text = (
        "Since the invasion began, Russia has lost 401,000 personnel (+950), 6,100 tanks (+9) "
        "and 11,300 artillery systems (+21), the General Staff said."
    )
    assert rows(text, reference) == [
        (401000, "casualties", None),
        (950, "casualties", None),
        (6100, "equipment", "tanks"),
        (9, "equipment", "tanks"),
        (11300, "equipment", "artillery systems"),
        (21, "equipment", "artillery systems"),
    ]


def test_a_label_before_a_dash_says_what_the_figure_counts(reference):
    text = (
        "The enemy's combat losses were approximately: personnel - about 9,800, "
        "tanks - 340, armoured vehicles - 910, the General Staff reported."
    )
    assert rows(text, reference) == [
        (9800, "casualties", None),
        (340, "equipment", "tanks"),
        (910, "equipment", "armoured vehicles"),
    ]


def test_labelled_sub_counts_take_their_own_category(reference):
    text = "The army put its losses for the week at 1,700 troops: killed - 600, wounded - 1,100."
    assert rows(text, reference) == [
        (1700, "casualties", None),
        (600, "killed", None),
        (1100, "wounded", None),
    ]


def test_list_lines_take_category_and_claimant_from_the_line_introducing_them(reference):
    text = (
        "The monitoring group said it had recorded these deaths:\n"
        "- 48 civilians, including 11 children.\n"
        "- 19 soldiers of the army.\n"
    )
    claims = extract_article(text, published=date(2024, 5, 15), reference=reference).claims
    assert [(c.figure_low, c.category, c.unit) for c in claims] == [
        (48, "killed", "civilians"),
        (11, "killed", "children"),
        (19, "killed", None),
    ]
    assert {c.claimant for c in claims} == {"monitoring group"}
    assert claims[0].excerpt == "- 48 civilians, including 11 children."


def test_month_lines_under_a_losses_line_are_claims(reference):
    text = "Russian losses by month, according to the ministry:\nMay - over 9,000\nJune - 11,500\n"
    assert rows(text, reference) == [(9000, "casualties", None), (11500, "casualties", None)]


def test_an_increment_after_the_counted_noun_still_belongs_to_its_figure(reference):
    text = (
        "Enemy losses were approximately: personnel - about 31.5 thousand people (+410), "
        "tanks - 1190 (+6)."
    )
    assert rows(text, reference) == [
        (31500, "casualties", None),
        (410, "casualties", None),
        (1190, "equipment", "tanks"),
        (6, "equipment", "tanks"),
    ]


def test_a_sentence_of_labels_and_figures_splits_the_claim_before(reference):
    text = (
        "Kyiv said 120 of its people came home from captivity on Friday. "
        "Navy - 30, Territorial Defence - 70, Police - 20."
    )
    assert rows(text, reference) == [
        (120, "captured", None),
        (30, "captured", "Navy"),
        (70, "captured", "Territorial Defence"),
        (20, "captured", "Police"),
    ]


def test_a_label_after_a_dash_names_what_the_figure_counts(reference):
    text = "In all, 95 Ukrainians were freed from captivity: 80 - soldiers, 15 - civilians."
    assert rows(text, reference) == [
        (95, "captured", None),
        (80, "captured", None),
        (15, "captured", "civilians"),
    ]


def test_respectively_gives_each_figure_its_own_noun(reference):
    text = "Russia has lost 410,000 and 7,000 troops and tanks, respectively, the ministry said."
    assert rows(text, reference) == [(410000, "casualties", None), (7000, "equipment", "tanks")]


def test_destroyed_said_of_people_means_killed(reference):
    text = "Over the past day the brigade destroyed 140 enemy soldiers and 3 tanks, it said."
    assert rows(text, reference) == [(140, "killed", None), (3, "equipment", "tanks")]


def test_a_participle_after_the_last_noun_is_the_whole_lists_verb(reference):
    text = "Medics said 73 civilians, including 21 children and 9 women killed by shelling, died."
    assert [c[:2] for c in rows(text, reference)] == [(73, "killed"), (21, "killed"), (9, "killed")]


def test_a_demonym_alone_shares_the_noun_of_the_next_figure(reference):
    text = "Some 35 Lebanese and 6 foreign workers were killed on Sunday, the ministry said."
    assert [c[:2] for c in rows(text, reference)] == [(35, "killed"), (6, "killed")]


def test_a_sub_count_sentence_belongs_to_the_claim_just_before_it(reference):
    text = (
        "Troops captured 40 fighters, the army said on Monday.\n"
        "About 900 soldiers were surrounded in the valley. Of these, about 300 were reservists."
    )
    assert [c[:2] for c in rows(text, reference)] == [(40, "captured")]


def test_the_total_in_the_next_sentence_counts_what_the_sentence_before_counted(reference):
    text = (
        "Russia has lost 41,000 troops, the ministry said. "
        "A later estimate put the total at 44,500."
    )
    claims = extract_article(text, published=date(2024, 5, 15), reference=reference).claims
    assert [(c.figure_low, c.category, c.side) for c in claims] == [
        (41000, "casualties", "russia"),
        (44500, "casualties", "russia"),
    ]


def test_running_totals_given_respectively_count_what_the_list_before_counts(reference):
    text = (
        "The brigade destroyed 4 tanks and 11 armoured vehicles on Friday, bringing the totals "
        "to 310 and 870, respectively."
    )
    assert rows(text, reference) == [
        (4, "equipment", "tanks"),
        (11, "equipment", "armoured vehicles"),
        (310, "equipment", "tanks"),
        (870, "equipment", "armoured vehicles"),
    ]


def test_a_demonym_alone_shares_hostages_with_the_next_figure(reference):
    text = "During the truce, 52 Israeli and 11 foreign hostages were released."
    assert [c[:2] for c in rows(text, reference)] == [(52, "captured"), (11, "captured")]


def test_labels_in_a_sub_count_sentence_name_the_groups(reference):
    text = (
        "Kyiv said 120 of its people came home from captivity on Friday. "
        "Among them: the Navy – 30, the State Emergency Service – 15."
    )
    assert rows(text, reference) == [
        (120, "captured", None),
        (30, "captured", "Navy"),
        (15, "captured", "State Emergency Service"),
    ]


def test_bulleted_tally_lines_take_their_label(reference):
    text = (
        "The General Staff reported the losses of the Russian army:\n"
        "• personnel – 9,100 (+120);\n"
        "• tanks – 610 (+2);\n"
    )
    assert rows(text, reference) == [
        (9100, "casualties", None),
        (120, "casualties", None),
        (610, "equipment", "tanks"),
        (2, "equipment", "tanks"),
    ]

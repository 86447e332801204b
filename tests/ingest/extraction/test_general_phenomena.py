"""Phenomena seen across outlets and wars, each in sentences of our own: tally lines written as
label and figure, the owner of a loss noun, captives and their holder, 'rebels' in a civil
war, long institutional names, datelines. Every test fails on the extractor before its rule."""

from datetime import date

from ingest.extraction import extract_article


def claims(text, reference, published=date(2025, 3, 3)):
    return extract_article(text, published=published, reference=reference).claims


def test_tally_lines_of_label_dash_figure_and_increment_under_a_loss_intro(reference):
    text = (
        "Enemy losses\n\n"
        "The total combat losses of the enemy from 24.02.22 to 03.03.25 were approximately:\n\n"
        "personnel - about 872,360 (+1,150) people;\n"
        "tanks - 10,540 (+12);\n"
        "artillery systems - 24,110 (+27).\n"
    )
    got = [(c.figure_low, c.qualifier, c.category, c.unit) for c in claims(text, reference)]
    assert got == [
        (872360, "approx", "casualties", None),
        (1150, "exact", "casualties", None),
        (10540, "exact", "equipment", "tanks"),
        (12, "exact", "equipment", "tanks"),
        (24110, "exact", "equipment", "artillery systems"),
        (27, "exact", "equipment", "artillery systems"),
    ]


def test_list_lines_take_the_speaker_of_the_sentence_before_their_colon_intro(reference):
    text = (
        "Russia lost 1,100 troops over the past day, the General Staff of Ukraine said.\n\n"
        "Also destroyed over the last day:\n\n"
        "tanks – 7\n"
        "drones – 41\n"
    )
    got = {c.figure_low: c.claimant for c in claims(text, reference)}
    assert got[7] == got[41] == got[1100]
    assert got[7] is not None


def test_a_possessive_source_before_its_tally_is_the_claimant(reference):
    text = "The Ukrainian General Staff's running tally of Russian losses:\n\ntanks - 10,540\n"
    (claim,) = claims(text, reference)
    assert claim.claimant is not None
    assert "General Staff" in claim.claimant


def test_a_determiner_after_the_counted_noun_starts_a_new_phrase(reference):
    text = (
        "Russia also lost 1,210 troops and 9 tanks the day before, bringing its totals to "
        "651,710 and 8,878, respectively, Ukraine said."
    )
    got = [(c.figure_low, c.category, c.unit) for c in claims(text, reference)]
    assert (9, "equipment", "tanks") in got
    assert (8878, "equipment", "tanks") in got


def test_a_dateline_city_is_not_whose_losses(reference):
    text = (
        "KYIV, March 3 (Wire) - The combat losses of the enemy reached 872,360 people, "
        "the General Staff of Ukraine reported."
    )
    (claim,) = claims(text, reference)
    assert claim.side == "russia"


def test_the_party_owning_a_loss_noun_wins_over_an_attack_named_after_it(reference):
    owned = "Russian losses in the Russian offensive on Avdiivka reached 16,000, Kyiv said."
    toll = "The death toll from the Israeli offensive in Gaza has surpassed 40,000, officials said."
    assert [c.side for c in claims(owned, reference)] == ["russia"]
    assert [c.side for c in claims(toll, reference)] == ["palestine"]


def test_a_loss_noun_a_few_words_before_a_verb_of_reaching_still_governs_it(reference):
    text = "Russia's combat losses in the war have exceeded 150,000, the analysts said."
    got = [(c.figure_low, c.qualifier, c.category, c.side) for c in claims(text, reference)]
    assert got == [(150000, "at_least", "casualties", "russia")]


def test_irreplaceable_losses_are_the_dead(reference):
    # Killed, missing and captured for good: nearer the dead than casualties with the wounded.
    text = "Russia's irreplaceable losses in the war have exceeded 150,000, the analysts said."
    assert [c.category for c in claims(text, reference)] == ["killed"]


def test_captives_belong_to_the_enemy_of_whoever_holds_them(reference):
    text = "Hamas is still holding 101 hostages, Israeli officials said."
    (claim,) = claims(text, reference)
    assert (claim.category, claim.side) == ("captured", "israel")


def test_rebels_in_a_state_s_mouth_are_its_civil_war_opponent(reference):
    sudan = "The Sudanese army said it killed over 300 rebels in Omdurman."
    syria = "The Syrian army said it killed 40 rebels near Aleppo."
    assert [c.side for c in claims(sudan, reference)] == ["rsf"]
    assert [c.side for c in claims(syria, reference)] == ["syrian_rebels"]


def test_a_long_institutional_name_is_a_claimant_and_no_person(reference):
    text = (
        "Ukraine has returned 90 of its citizens from Russian captivity, the Coordination "
        "Headquarters for the Treatment of Prisoners of War said."
    )
    committees = "The El Fasher Resistance Committees said nine people were killed."
    assert [c.claimant for c in claims(text, reference)] == [
        "Coordination Headquarters for the Treatment of Prisoners of War"
    ]
    assert [c.claimant for c in claims(committees, reference)] == [
        "El Fasher Resistance Committees"
    ]


def test_a_count_is_never_its_own_claimant(reference):
    text = "Since August 6, the count has recorded 361 conscripts killed, the journalists said."
    assert [c.claimant for c in claims(text, reference)] == [None]


def test_a_blocker_inside_a_prepositional_phrase_does_not_stop_a_long_subject(reference):
    text = (
        "The health ministry said the number of people killed in the overnight strike on a "
        "school for displaced families in the western part of Khan Younis has risen to 45."
    )
    assert [(c.figure_low, c.category) for c in claims(text, reference)] == [(45, "killed")]


def test_a_count_for_the_past_day_is_dated_the_day_it_was_reported(reference):
    text = "Over the past 24 hours, 66 people were killed in Gaza, the health ministry said."
    (claim,) = claims(text, reference, published=date(2024, 5, 27))
    assert claim.claim_date == date(2024, 5, 27)


def test_a_count_for_the_past_day_takes_the_day_its_speaker_spoke(reference):
    text = (
        "A brigade spokesman, Ivan Petrenko, said on December 18 that the assaults go on.\n\n"
        "In the last 24 hours, the brigade killed 74 Russian soldiers, he said."
    )
    (claim,) = claims(text, reference, published=date(2024, 12, 20))
    assert claim.claim_date == date(2024, 12, 18)


def test_soldiers_named_without_a_party_who_were_killed_are_the_speaker_s_own(reference):
    text = (
        "The Israeli military said its jets struck 40 targets overnight.\n\n"
        "Meanwhile, 56 Palestinians were killed in Gaza on Sunday, the health ministry said.\n\n"
        "The army said that 290 soldiers have been killed since the ground operation began."
    )
    got = {c.figure_low: c.side for c in claims(text, reference)}
    assert got[290] == "israel"


def test_parts_named_by_the_body_they_come_from(reference):
    text = (
        "Ukraine brought home 60 prisoners of war in an exchange, the ombudsman said.\n\n"
        "Among those freed are 40 servicemen – 25 from the Navy and 15 from the National "
        "Guard – as well as 20 civilians."
    )
    got = {(c.figure_low, c.unit) for c in claims(text, reference)}
    assert {(25, "Navy"), (15, "National Guard")} <= got


def test_bodies_handed_over_belong_to_the_country_receiving_them(reference):
    text = (
        "Ukraine received 254 bodies of its soldiers, while 45 bodies were handed over to Russia."
    )
    got = {c.figure_low: c.side for c in claims(text, reference)}
    assert got[45] == "russia"


def test_a_descriptor_refers_back_to_the_name_it_introduced(reference):
    text = (
        "The army repelled an attack by the paramilitary Rapid Support Forces. A statement "
        "posted by the paramilitary on X said its forces had killed 187 soldiers."
    )
    (claim,) = claims(text, reference)
    assert claim.claimant == "Rapid Support Forces"
    assert claim.side == "sudan"


def test_a_lower_case_descriptor_before_a_name_is_not_part_of_it(reference):
    text = "At least 5,800 civilians were killed, according to the monitoring group Airwars."
    assert [c.claimant for c in claims(text, reference)] == ["Airwars"]


def test_a_count_put_after_a_question_about_losses_counts_what_was_asked(reference):
    text = (
        "HOST: How many Russian soldiers have died in this war?\n\n"
        "GUEST: The latest British estimate put that number at around 200,000."
    )
    got = [(c.figure_low, c.qualifier, c.category, c.side) for c in claims(text, reference)]
    assert got == [(200000, "approx", "killed", "russia")]


def test_a_unit_named_by_its_number_is_a_speaker(reference):
    text = "The 93rd brigade said it had captured 48 soldiers near Balakliia."
    assert [c.claimant for c in claims(text, reference)] == ["93rd brigade"]


def test_it_said_is_the_institution_the_sentence_before_was_about(reference):
    text = (
        "Ukrainian investigators found a burial site, the regional police chief said.\n\n"
        "In Moscow, the Russian defence ministry gave a very different picture. Over the past "
        "week, it said, Ukrainian losses amounted to more than 4,000 killed and wounded."
    )
    got = {c.figure_low: c.claimant for c in claims(text, reference)}
    assert got[4000] == "Russian Ministry of Defence"


def test_a_joint_count_is_credited_to_the_first_known_partner(reference):
    text = (
        "Independent outlet Mediazona and the BBC Russian Service have established the names "
        "of 70,112 Russian servicemen killed in the war, they said on Friday."
    )
    assert [c.claimant for c in claims(text, reference)] == ["Mediazona"]


def test_a_new_reported_clause_does_not_lend_its_loss_word(reference):
    text = (
        "UN agencies warn that the 1.8 million people living in and around the city face "
        "famine, and that the toll could reach thousands."
    )
    assert claims(text, reference) == []


def test_an_institution_is_never_the_person_quoted_last(reference):
    text = (
        "Prime Minister Jane Doe declared victory on Monday, she said.\n\n"
        "The government says more than 25,000 fighters were killed in the battle."
    )
    got = {c.figure_low: c.claimant for c in claims(text, reference)}
    assert got[25000] == "government"


def test_a_relative_clause_with_a_figure_does_not_hide_the_subject(reference):
    text = (
        "The U.S.-led coalition, which carried out more than 5,000 strikes on the city, has "
        "acknowledged 603 civilian deaths."
    )
    got = {c.figure_low: c.claimant for c in claims(text, reference)}
    assert got[603] is not None and "coalition" in got[603]


def test_put_out_of_action_is_a_loss_not_a_speaker(reference):
    text = "Ukrainian defenders put out of action another 1,410 Russian invaders over the past day."
    (claim,) = claims(text, reference)
    assert claim.claimant is None
    assert (claim.category, claim.side) == ("casualties", "russia")


def test_an_unnamed_health_ministry_is_that_of_the_country_named_before(reference):
    text = (
        "Lebanon: toll from Israeli strikes rises\n\n"
        "Israeli strikes on southern Lebanon on Monday killed more than 550 people, the health "
        "ministry said. A first tally released by the ministry late on Monday had put the number "
        "of dead at 492."
    )
    got = {c.figure_low: c.claimant for c in claims(text, reference)}
    assert got[550] == got[492] == "Lebanese Health Ministry"


def test_a_defence_ministry_is_not_guessed_from_the_country_named_before(reference):
    text = (
        "The war has cost Russia's armed forces dearly, according to the Ministry of Defence. "
        "It said Russia had probably sustained roughly 900,000 casualties."
    )
    got = {c.figure_low: c.claimant for c in claims(text, reference)}
    assert got[900000] != "Russian Ministry of Defence"


def test_when_a_source_spoke_is_not_part_of_its_name(reference):
    text = "The Soviet General Staff in 1989 put Soviet losses at 15,051 killed."
    assert [c.claimant for c in claims(text, reference)] == ["Soviet General Staff"]


def test_a_possessive_pointing_back_at_a_place_names_its_health_ministry(reference):
    text = (
        "Israeli strikes went on across Gaza on Monday.\n\n"
        "More than 40,000 Palestinians have been killed, according to the territory's health "
        "ministry."
    )
    assert [c.claimant for c in claims(text, reference)] == ["Gaza Health Ministry"]


def test_a_projection_with_pass_is_not_a_count(reference):
    text = "If the rate continues, Russian losses could pass one million by the end of 2025."
    assert claims(text, reference) == []


def test_the_source_named_after_a_figure_speaks_on_not_the_outlet_relaying_it(reference):
    text = (
        "Ukrainian defenders put out of action another 1,410 Russian invaders yesterday.\n\n"
        "This was reported by the General Staff of the Armed Forces of Ukraine on Facebook, "
        "Ukrinform reports.\n\n"
        "The total combat losses of the enemy were approximately: tanks - 9,424 (+9), "
        "artillery systems - 20,812 (+40)."
    )
    got = {c.figure_low: (c.claimant, c.side) for c in claims(text, reference)}
    staff = "General Staff of the Armed Forces of Ukraine"
    assert got[1410] == got[9424] == got[20812] == (staff, "russia")


def test_people_killed_in_a_part_of_a_country_are_its_people(reference):
    text = (
        "Israeli strikes on southern and eastern Lebanon on Monday killed more than 550 people, "
        "the health ministry said."
    )
    assert [c.side for c in claims(text, reference)] == ["lebanon"]


def test_the_country_attacked_is_not_who_killed(reference):
    text = (
        "The war began when Hamas-led militants attacked southern Israel, killing about 1,200 "
        "people and taking 251 hostages, according to Israeli tallies."
    )
    assert [c.side for c in claims(text, reference)] == ["israel", "israel"]


def test_we_lost_is_the_speaker_s_own_loss(reference):
    text = '"We lost about 20,000 people in Bakhmut," Yevgeny Prigozhin said in a video.'
    assert [c.side for c in claims(text, reference)] == ["russia"]


def test_month_lines_after_a_pointing_intro_count_what_the_sentence_before_counted(reference):
    text = (
        "The UK Ministry of Defence said Russian casualties averaged 1,500 a day last month.\n\n"
        "The monthly picture given by the ministry is:\n\n"
        "September – more than 38,000\n"
        "October – approximately 41,980\n"
    )
    got = [(c.figure_low, c.category, c.side) for c in claims(text, reference)]
    assert got == [(38000, "casualties", "russia"), (41980, "casualties", "russia")]


def test_list_lines_labelled_by_service_are_groups_of_the_people_counted(reference):
    text = (
        "Ukraine brought home 100 prisoners of war in an exchange, the ombudsman said.\n\n"
        "According to the ombudsman, those released are:\n"
        "Armed Forces – 60 (including Navy – 19, territorial defence – 6);\n"
        "State Border Guard Service – 18;\n\n"
        "Nine officers and 91 privates are among them."
    )
    got = {(c.figure_low, c.unit, c.category) for c in claims(text, reference)}
    assert {
        (60, "Armed Forces", "captured"),
        (19, "Navy", "captured"),
        (6, "territorial defence", "captured"),
        (18, "State Border Guard Service", "captured"),
        (9, "officers", "captured"),
    } <= got
    assert (91, "captured") in {(figure, category) for figure, _, category in got}


def test_a_new_clause_with_that_does_not_lend_its_verb_back_to_the_list(reference):
    text = (
        "The minister said the toll had risen to 558, including 50 children and 94 women, and "
        "that 1,835 people had been wounded."
    )
    got = {c.figure_low: c.category for c in claims(text, reference)}
    assert (got[50], got[94], got[1835]) == ("killed", "killed", "wounded")


def test_equipment_listed_before_its_verb_takes_it(reference):
    text = (
        "Ukrainian losses amounted to more than 4,000 killed and wounded, and 38 tanks and 27 "
        "infantry fighting vehicles were destroyed, the ministry said."
    )
    got = {(c.figure_low, c.category) for c in claims(text, reference)}
    assert {(38, "equipment"), (27, "equipment")} <= got


def test_others_counts_more_of_what_the_figure_before_counts(reference):
    text = "The army said it destroyed 45 combat vehicles and captured 12 others near Khartoum."
    got = {c.figure_low: (c.category, c.unit) for c in claims(text, reference)}
    assert got[12] == ("equipment", "combat vehicles")


def test_a_running_total_to_the_day_of_the_report_is_dated_that_day(reference):
    text = (
        "The total combat losses of the enemy from 24.02.22 to 19.11.24 were about 721,450 people."
    )
    (claim,) = claims(text, reference, published=date(2024, 11, 19))
    assert claim.claim_date == date(2024, 11, 19)


def test_a_past_span_is_not_the_day_a_figure_was_given(reference):
    text = "Amnesty says 5,805 civilians may have been killed from Feb. 19 to June 19."
    (claim,) = claims(text, reference, published=date(2017, 7, 11))
    assert claim.claim_date != date(2017, 6, 19)


def test_entries_of_a_live_blog_are_of_its_day(reference):
    text = (
        "Gaza live: strikes continue\n\n"
        "09:40 GMT – Toll from camp strike rises to 45\n\n"
        "The health ministry said 45 people were killed in the strike on the camp.\n\n"
        "08:55 GMT – Rescue teams at work\n\n"
        "Rescuers said they had recovered 28 bodies during the night."
    )
    got = {c.figure_low: c.claim_date for c in claims(text, reference, published=date(2024, 5, 27))}
    assert got[45] == got[28] == date(2024, 5, 27)


def test_who_bore_the_losses_inflicted_died(reference):
    text = (
        "The army repelled an attack by the paramilitary Rapid Support Forces.\n\n"
        "The RSF gave another account. A statement posted by the paramilitary on X said its "
        'forces had "inflicted heavy losses on the enemy, killing 187 and capturing 63".'
    )
    assert [c.side for c in claims(text, reference)] == ["sudan", "sudan"]


def test_bodies_recovered_are_of_the_place_they_were_found(reference):
    text = (
        "Islamic State fighters were killed in the battle, the army said.\n\n"
        "Civil defence teams recovered 42 bodies from the rubble in Mosul on Monday."
    )
    got = {c.figure_low: c.side for c in claims(text, reference)}
    assert got[42] == "iraq"


def test_they_put_it_at_goes_on_with_the_count_just_spoken_of(reference):
    text = (
        "Russia's defence ministry said Ukrainian forces lost up to 1,500 servicemen.\n\n"
        '"They put it at 600,000 in all," the spokesman said of the British estimate.'
    )
    got = {c.figure_low or c.figure_high: c.category for c in claims(text, reference)}
    assert got[600000] == "casualties"


def test_what_an_operation_cost_a_party_is_its_loss(reference):
    text = "The General Staff said the offensive had cost Russia 2,600 soldiers since June."
    got = [(c.figure_low, c.category, c.side) for c in claims(text, reference)]
    assert got == [(2600, "casualties", "russia")]


def test_a_participle_naming_what_an_institution_does_stays_in_its_name(reference):
    text = (
        "The UN human rights monitoring mission has verified 11,973 civilian deaths in Ukraine "
        "since February 2022."
    )
    assert [c.claimant for c in claims(text, reference)] == [
        "UN Human Rights Monitoring Mission in Ukraine"
    ]


def test_as_high_as_after_a_verb_still_counts(reference):
    text = "Russian troop deaths could be as high as 250,000, the analysts say."
    got = [(c.figure_high, c.qualifier, c.category) for c in claims(text, reference)]
    assert got == [(250000, "at_most", "killed")]


def test_the_author_of_a_report_is_its_claimant(reference):
    text = (
        "The report, by the Center for Strategic and International Studies, says Ukrainian "
        "deaths are up to 100,000."
    )
    assert [c.claimant for c in claims(text, reference)] == [
        "Center for Strategic and International Studies"
    ]


def test_their_fighters_killed_by_the_speaker_are_the_enemy(reference):
    text = (
        '"We have killed more than 1,000 of their fighters this week," Lt. Col. Nadav Shoshani, '
        "an Israeli military spokesman, told reporters."
    )
    assert [c.side for c in claims(text, reference)] == ["palestine"]


def test_a_speaker_named_before_a_title_in_commas_is_that_person(reference):
    text = (
        "Kyrylo Budanov, head of Ukraine's military intelligence, said in an interview that "
        "Russia had lost 150,000 soldiers killed."
    )
    assert [c.claimant for c in claims(text, reference)] == ["Kyrylo Budanov"]


def test_a_subject_with_its_own_speech_verb_is_no_aside(reference):
    text = (
        "In a post on Telegram, the Russian defence ministry said its air defences had downed "
        "37 drones, and that Ukraine had lost 420 servicemen in the Kupiansk direction."
    )
    got = {c.figure_low: c.claimant for c in claims(text, reference)}
    assert got[420] == "Russian Ministry of Defence"


def test_whoever_confirmed_figures_in_the_passive_gave_them(reference):
    text = "The losses, 520 killed and 1,400 wounded, were confirmed by the Israeli army on Friday."
    got = {c.figure_low: c.claimant for c in claims(text, reference)}
    assert got[520] == got[1400] == "Israel Defense Forces"


def test_a_share_of_a_force_is_no_count_of_its_whole(reference):
    text = "The brigade has lost about a third of its 3,000 soldiers since the summer, it said."
    assert claims(text, reference) == []


def test_unnamed_officials_are_not_the_institution_named_before(reference):
    text = (
        "About 3.7 million people remain displaced, according to the UN.\n\n"
        "At least 12 people were killed when a missile struck a shopping centre, officials said."
    )
    got = {c.figure_low: c.claimant for c in claims(text, reference)}
    assert got[12] == "officials"


def test_a_place_before_an_unnamed_speaker_is_no_name(reference):
    text = "Near Robotyne, a Ukrainian commander said his brigade had lost 40 armoured vehicles."
    assert [c.claimant for c in claims(text, reference)] == ["Ukrainian commander"]


def test_it_is_closer_to_goes_on_with_the_count_just_spoken_of(reference):
    text = (
        "The Ukrainian side says Russia has lost about 600,000 troops killed or wounded. "
        "Western intelligence agencies say it's closer to 400,000."
    )
    got = {c.figure_low: (c.category, c.side) for c in claims(text, reference)}
    assert got[400000] == ("casualties", "russia")


def test_government_soldiers_belong_to_the_country_their_sentence_names(reference):
    text = (
        "SUDAN: Fighters of the Rapid Support Forces killed at least 104 people in Gezira.\n\n"
        "In Syria, the Syrian Observatory for Human Rights said 23 government soldiers were killed "
        "in clashes in the desert."
    )
    got = {c.figure_low: c.side for c in claims(text, reference)}
    assert got[23] == "syria"

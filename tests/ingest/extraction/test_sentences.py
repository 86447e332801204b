from ingest.extraction.sentences import MAX_SENTENCE_CHARS, split_sentences


def test_sentences_keep_their_offsets_and_abbreviations_do_not_split():
    text = "Gen. Smith spoke. About 300 were killed.\nHeadline without stop"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Gen. Smith spoke.",
        "About 300 were killed.",
        "Headline without stop",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert sentences[-1].is_heading and not sentences[0].is_heading


def test_a_run_on_sentence_is_cut_into_bounded_pieces_with_exact_offsets():
    text = "Officials said 1,200 soldiers were killed near the river, and it went on " * 200
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert not any(s.text.startswith("200 soldiers") for s in sentences)  # never inside 1,200

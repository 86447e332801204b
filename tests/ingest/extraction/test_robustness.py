"""Scraped input is messy: the extractor must stay fast and quiet on it."""

import time

from ingest.extraction import extract_article


def test_thousands_of_sentences_on_one_line_take_linear_time():
    sentence = "Around 200 Russian troops were killed, the general said. "
    started = time.process_time()
    extraction = extract_article(sentence * 4000)
    assert time.process_time() - started < 5  # about 0.7 s; quadratic code took minutes
    assert len(extraction.claims) == 1  # one assertion repeated is one claim


def test_junk_without_sentences_gives_no_claims():
    for text in (", ".join(str(i) for i in range(5000)), "x" * 100_000, "1" * 50_000, '"' * 500):
        assert extract_article(text).claims == []


def test_offsets_index_the_text_as_given_with_curly_quotes_and_crlf():
    text = "Title line\r\n\r\n“More than 1,200 Russian soldiers died,” the governor said.\r\n"
    (claim,) = extract_article(text).claims
    assert text[claim.start : claim.end] == "1,200"
    assert claim.excerpt in text

"""Scraped input is messy: the extractor must stay fast and quiet on it."""

import time

from ingest.extraction import extract_article


def test_thousands_of_sentences_on_one_line_take_linear_time():
    # How the time grows, not how long it takes (that is bench/extract.py's): four times the
    # sentences take about four times the CPU time; quadratic code took sixteen times.
    sentence = "Around 200 Russian troops were killed, the general said. "

    def cpu_seconds(repeats: int) -> float:
        times = []
        for _ in range(2):  # the faster of two runs: less noise from a busy machine
            started = time.process_time()
            extraction = extract_article(sentence * repeats)
            times.append(time.process_time() - started)
            assert len(extraction.claims) == 1  # one assertion repeated is one claim
        return min(times)

    assert cpu_seconds(4000) < 8 * cpu_seconds(1000)


def test_junk_without_sentences_gives_no_claims():
    for text in (", ".join(str(i) for i in range(5000)), "x" * 100_000, "1" * 50_000, '"' * 500):
        assert extract_article(text).claims == []


def test_offsets_index_the_text_as_given_with_curly_quotes_and_crlf():
    text = "Title line\r\n\r\n“More than 1,200 Russian soldiers died,” the governor said.\r\n"
    (claim,) = extract_article(text).claims
    assert text[claim.start : claim.end] == "1,200"
    assert claim.excerpt in text

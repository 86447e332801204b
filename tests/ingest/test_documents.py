import codecs

import pytest

from ingest.documents import DocumentError, content_hash, document_read


def test_plain_utf8_text_is_read_as_is():
    document = document_read("Около 2,000 soldiers — killed.\r\nNext line".encode())
    assert document.text == "Около 2,000 soldiers — killed.\nNext line"
    assert not document.is_html


def test_utf16_with_bom_is_decoded():
    content = codecs.BOM_UTF16_LE + "About 300 were captured.".encode("utf-16-le")
    assert document_read(content).text == "About 300 were captured."


def test_windows_1251_cyrillic_is_decoded():
    text = "Генеральный штаб сообщил, что погибли около 500 военнослужащих противника."
    assert document_read(text.encode("cp1251")).text == text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "only white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"some text\x00with a NUL", "NUL"),
    ],
)
def test_what_is_not_text_is_refused_with_the_reason(content, reason):
    with pytest.raises(DocumentError, match=reason):
        document_read(content)


def test_html_gives_main_text_and_metadata():
    html = b"""<!doctype html><html><head><title>Heavy losses reported</title>
    <meta name="author" content="Anna Writer">
    <meta property="article:published_time" content="2024-05-02T10:00:00Z">
    <meta property="og:site_name" content="Example Daily"></head>
    <body><nav>Skip to content | Subscribe</nav><article><h1>Heavy losses reported</h1>
    <p>About 2,000 soldiers were killed near the town, the general said on Monday.</p>
    <p>The figure could not be verified independently by reporters on the ground.</p>
    </article><footer>Share this article</footer></body></html>"""
    document = document_read(html, content_type="text/html")
    assert document.is_html
    assert "About 2,000 soldiers were killed" in document.text
    assert "Skip to content" not in document.text
    assert document.metadata.title == "Heavy losses reported"
    assert document.metadata.author == "Anna Writer"
    assert document.metadata.outlet == "Example Daily"
    assert str(document.metadata.published) == "2024-05-02"


def test_html_without_article_text_is_refused():
    with pytest.raises(DocumentError, match="no readable article text"):
        document_read(b"<html><body><script>alert(1)</script></body></html>")


def test_hash_ignores_spacing_but_not_words():
    assert content_hash("About 300\nwere  killed") == content_hash("About 300 were killed ")
    assert content_hash("About 300 were killed") != content_hash("About 400 were killed")


def test_svg_page_whose_metadata_breaks_htmldate_still_gives_its_text():
    # htmldate raised AssertionError (lxml drop_tree on the root) on this page: a 500 on upload.
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>x=1</script><text>About 300 killed.'
    document = document_read(svg + b"</text></svg>", filename="chart.html")
    assert "About 300 killed." in document.text
    assert "x=1" not in document.text


def test_plain_text_named_html_is_read_as_text():
    document = document_read(b"About 300 soldiers were killed, the army said.", filename="a.html")
    assert not document.is_html
    assert document.text == "About 300 soldiers were killed, the army said."


def test_html_that_breaks_the_parser_is_refused_with_the_reason(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("lxml gave up")

    monkeypatch.setattr("ingest.documents.trafilatura.extract", broken)
    with pytest.raises(DocumentError, match=r"could not be read \(ValueError\)"):
        document_read(b"<html><body><p>About 300 were killed.</p></body></html>")

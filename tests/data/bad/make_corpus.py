"""Writes the large files of the bad-input corpus, which the repository does not carry.

    python tests/data/bad/make_corpus.py OUT_DIR

Tests call `generate(tmp_path)`. Everything is deterministic (fixed seed)."""

import random
import sys
from pathlib import Path

SENTENCE = (
    "The ministry said on Monday that about 1,200 Russian soldiers were killed near Bakhmut. "
)
MB = 1024 * 1024


def _paragraphs(size: int) -> bytes:
    paragraph = (SENTENCE * 8).strip() + "\n\n"
    return (paragraph * (size // len(paragraph) + 1)).encode()[:size]


def generate(out: Path) -> list[Path]:
    """Writes the generated files into `out` and returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    files = {
        # Over the default 10 MiB upload limit: refused before it is read.
        "text_20mb.txt": _paragraphs(20 * MB),
        # Under the limit but one line of 5 MB: no sentence or line breaks to split on.
        "one_line_5mb.txt": (SENTENCE * (5 * MB // len(SENTENCE))).replace("\n", " ").encode(),
        # One 5 MB line without a single space or full stop.
        "one_word_5mb.txt": b"1,200" + b"x" * (5 * MB),
        # Thousands of figures in one article, each in a sentence of its own.
        "thousands_of_numbers.txt": "".join(
            f"Officials said {rng.randint(1, 99_999):,} soldiers were killed and "
            f"{rng.randint(1, 999)} to {rng.randint(1_000, 9_999)} wounded.\n"
            for _ in range(1_000)
        ).encode(),
        # Thousands of numbers in one sentence.
        "thousands_of_numbers_one_sentence.txt": (
            "The ministry said "
            + ", ".join(f"{rng.randint(1, 99_999):,}" for _ in range(5_000))
            + " soldiers were killed.\n"
        ).encode(),
        # 100,000 nested elements: parsers with recursion or depth limits meet them here.
        "deeply_nested.html": (
            b"<html><body>"
            + b"<div>" * 100_000
            + SENTENCE.encode()
            + b"</div>" * 100_000
            + b"</body></html>"
        ),
        # Random bytes with no known file signature.
        "random_binary.txt": rng.randbytes(64 * 1024),
    }
    paths = []
    for name, content in files.items():
        path = out / name
        path.write_bytes(content)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in generate(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(f"{written} {written.stat().st_size:,} bytes")

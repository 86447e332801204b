"""Throughput of the claim extractor on one core (issue 3: at least 200 articles/s for ~5 KB
articles, start-up paid once per worker).

    .venv/bin/python bench/extract.py [--articles 2000] [--size 5000] [--json out.json]

The corpus is our own invented articles (tests/data/extractor/articles, or with --shared the
shared seeds and devset pages), several joined into each article of about --size characters
with scraped-page junk between them. One warm-up pass pays the start-up (word lists, compiled
patterns, alias indexes); the timed pass then runs the extractor over --articles articles and
prints articles/s and MB/s on CPU time (other jobs on the machine do not count against it),
claims found, the process peak RSS, and with --memory the traced peak of the timed pass.
Exits 1 below the target.
"""

import argparse
import json
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.extraction import extract_article  # noqa: E402
from ingest.extraction.reference import load_reference_files  # noqa: E402

TARGET = 200.0
JUNK = "\nShare this article\nSubscribe to our newsletter\n* indicates required\nAdvertisement\n"


def corpus(size: int, folders: list[Path]) -> list[str]:
    """~size-character articles made of different source articles one after another, with
    every digit run shifted per article so that no two benchmark articles share a sentence
    (a cache keyed on text could not flatter the figure)."""
    bodies = [p.read_text(encoding="utf-8") for f in folders for p in sorted(f.glob("*.txt"))]
    texts = []
    for start in range(len(bodies)):
        parts, length, k = [], 0, start
        while length < size:
            body = bodies[k % len(bodies)]
            parts.append(body)
            length += len(body) + len(JUNK)
            k += 1
        text = JUNK.join(parts)[: max(size, len(parts[0]))]
        texts.append(text)
    return texts


def shifted(text: str, n: int) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group(0)) + n % 7), text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--size", type=int, default=5000, help="characters per article")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--memory",
        action="store_true",
        help="trace Python allocations for the peak (slows the run down about twofold)",
    )
    parser.add_argument(
        "--shared",
        action="store_true",
        help="use ../shared seeds and devset articles (real pages) instead of our own corpus",
    )
    args = parser.parse_args()

    reference = load_reference_files(
        ROOT / "seeds" / "battles.json", ROOT / "seeds" / "sources.json"
    )
    folders = [ROOT / "tests" / "data" / "extractor" / "articles"]
    if args.shared:
        shared = ROOT.parent / "shared"
        folders = [shared / "seeds" / "articles", shared / "devset" / "articles"]
    texts = corpus(args.size, folders)
    started = time.perf_counter()
    for text in texts:  # warm-up: word lists, compiled patterns and indexes are built once
        extract_article(text, reference=reference)
    startup = time.perf_counter() - started

    batch = [shifted(texts[i % len(texts)], i // len(texts)) for i in range(args.articles)]
    total_bytes = sum(len(t.encode("utf-8")) for t in batch)
    tracemalloc.start() if args.memory else None
    claims = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for text in batch:
        claims += len(extract_article(text, reference=reference).claims)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = 0
    if args.memory:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    result = {
        "articles": args.articles,
        "avg_article_bytes": round(total_bytes / args.articles),
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(cpu, 3),
        "articles_per_s": round(args.articles / cpu, 1),
        "articles_per_s_wall": round(args.articles / elapsed, 1),
        "mb_per_s": round(total_bytes / cpu / 1e6, 3),
        "claims": claims,
        "warmup_seconds": round(startup, 3),
        "peak_traced_mb": round(peak / 1e6, 2),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    for key, value in result.items():
        print(f"{key:>18}: {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["articles_per_s"] >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

"""How long an upload holds a web request (issue 17 item 10: a 50,000-paragraph HTML upload took
24.7 s, a 9 MB one 12 s, each holding a web thread).

    .venv/bin/python bench/upload.py [--repeat 3] [--worker]

Posts each generated HTML file to POST /api/v1/articles/ (multipart, as an editor with a
token would) through Django's test client and prints the request's wall time, median of
--repeat uploads (each with different bytes, so none is a duplicate). Celery sends to an
in-memory broker instead of running the task in-process, as a deployment with Redis does:
the figure is the request alone. --worker then also times what the worker does with the
last upload of each file (reading the upload and extracting claims).

The database is a fresh SQLite file in a temporary folder unless DATABASE_URL names one.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FRONT_LINE = (
    "Fighting continued along the front line, the regional administration said, and several "
    "villages were shelled overnight while residents sheltered in basements. "
)
CLAIM = "The ministry said on Monday that about 1,200 Russian soldiers were killed near Bakhmut."


def paragraphs_html(count: int, *, tag: int) -> bytes:
    """A page of `count` short paragraphs; one in a thousand carries a casualty figure."""
    rows = [
        f"<p>{CLAIM if i % 1000 == 0 else 'Villages were shelled overnight.'} ({i})</p>"
        for i in range(count)
    ]
    return _page(f"Report {tag}", "\n".join(rows))


def sized_html(size: int, *, tag: int) -> bytes:
    """A page of about `size` bytes: sections of long paragraphs, navigation and tables."""
    section = (
        "<section><h2>Update</h2><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        + f"<p>{FRONT_LINE * 12}</p><p>{CLAIM}</p>"
        + "<table><tr><td>Region</td><td>Shelling</td></tr><tr><td>East</td><td>12</td></tr>"
        + "</table></section>\n"
    )
    head = _page(f"Report {tag}", "")
    count = (size - len(head)) // len(section.encode())
    return _page(f"Report {tag}", section * count)


def _page(title: str, body: str) -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><article>{body}</article></body></html>"
    ).encode()


def django_setup(tmp: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.pop("REDIS_URL", None)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "claimsite.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    from claimsite.celery import app

    # Send tasks to the in-memory broker, as to Redis in production: the request does not run
    # the parse itself (it would with in-process tasks).
    app.conf.task_always_eager = False
    call_command("migrate", verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help="also time the worker's part")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        django_setup(Path(tmp))
        from django.contrib.auth.models import User
        from django.core.files.uploadedfile import SimpleUploadedFile
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        from claims.models import Article
        from ingest.services import article_parse

        editor = User.objects.create_superuser("bench-editor", password="x")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
        files = {
            "50,000 paragraphs": lambda tag: paragraphs_html(50_000, tag=tag),
            "9 MB": lambda tag: sized_html(9_000_000, tag=tag),
        }
        # Warm-up: the first request of a process pays for imports and URL patterns.
        client.post("/api/v1/articles/", {"text": "Warm-up: 12 tanks were destroyed."})
        tag = 0
        for name, make in files.items():
            times, size, article_id = [], 0, 0
            for _ in range(args.repeat):
                tag += 1
                content = make(tag)
                size = len(content)
                upload = SimpleUploadedFile("page.html", content, content_type="text/html")
                started = time.perf_counter()
                response = client.post("/api/v1/articles/", {"file": upload}, format="multipart")
                times.append(time.perf_counter() - started)
                if response.status_code not in (200, 201, 202):
                    print(f"{name}: {response.status_code} {response.content[:300]!r}")
                    return 1
                article_id = response.json()["id"]
            print(
                f"{name} HTML ({size:,} bytes): upload request {statistics.median(times):.2f} s "
                f"(median of {len(times)}: {', '.join(f'{t:.2f}' for t in times)})",
                flush=True,
            )
            if args.worker:
                started = time.perf_counter()
                article = article_parse(article_id=article_id)
                took = time.perf_counter() - started
                body = Article.objects.values_list("body", flat=True).get(pk=article_id)
                print(
                    f"{name} HTML: worker {took:.2f} s, status {article.status}, "
                    f"{len(body):,} characters of text, {article.claims.count()} claims",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

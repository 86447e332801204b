"""Datasette beside the project, for bench/api.py's side-by-side comparison (issue 18): its
own virtual environment, the same claims copied from PostgreSQL into SQLite, and the server.

Datasette is not a dependency of the project: it is installed with pip into
bench/.venv-datasette (ignored by git) the first time it is needed. The SQLite copy holds
what Datasette would serve of the same data (claims, articles, sources, battles and
conflicts, with their foreign keys and the index of the filters the bench uses) and is kept
in run/datasette/ until the number of claims in PostgreSQL changes.
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".venv-datasette"
DATASETTE_VERSION = "0.65.5"

# (table, columns): what the API shows of each row, copied as they are.
TABLES = {
    "claims_conflict": ["id", "name", "slug"],
    "claims_battle": ["id", "name", "slug", "conflict_id"],
    "claims_source": ["id", "name", "slug", "kind", "affiliation"],
    "claims_article": ["id", "title", "url", "outlet_id", "published_date"],
    "claims_claim": [
        "id",
        "figure_low",
        "figure_high",
        "qualifier",
        "category",
        "basis",
        "side",
        "unit",
        "claimant_id",
        "battle_id",
        "conflict_id",
        "claim_date",
        "claim_date_precision",
        "period_start",
        "period_end",
        "excerpt",
        "article_id",
        "part_of_id",
        "updated_at",
    ],
}
FOREIGN_KEYS = {
    "claims_battle": {"conflict_id": "claims_conflict"},
    "claims_article": {"outlet_id": "claims_source"},
    "claims_claim": {
        "claimant_id": "claims_source",
        "battle_id": "claims_battle",
        "conflict_id": "claims_conflict",
        "article_id": "claims_article",
    },
}


def datasette_install() -> Path:
    """The datasette executable of bench/.venv-datasette, created with pip when missing."""
    datasette = VENV / "bin" / "datasette"
    if not datasette.exists():
        print(f"Installing Datasette {DATASETTE_VERSION} into {VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "--quiet", f"datasette=={DATASETTE_VERSION}"],
            check=True,
        )
    return datasette


def sqlite_build(path: Path, *, claims: int) -> Path:
    """Copies the approved claims and what they refer to from the Django database into the
    SQLite file `path`, unless it already holds `claims` claims. Rows stream from a
    server-side cursor, so a million never sit in memory together."""
    from django.db import connection, transaction

    if path.exists():
        with sqlite3.connect(path) as db:
            try:
                (have,) = db.execute("SELECT count(*) FROM claims_claim").fetchone()
            except sqlite3.OperationalError:
                have = -1
        if have == claims:
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    started = time.perf_counter()
    print(f"Copying {claims:,} claims into {path} for Datasette ...", flush=True)
    db = sqlite3.connect(building)
    for table, columns in TABLES.items():
        keys = FOREIGN_KEYS.get(table, {})
        definitions = [
            "id INTEGER PRIMARY KEY",
            *(
                f"{column} INTEGER REFERENCES {keys[column]}(id)" if column in keys else column
                for column in columns[1:]
            ),
        ]
        db.execute(f"CREATE TABLE {table} ({', '.join(definitions)})")
        where = " WHERE status = 'approved'" if table == "claims_claim" else ""
        select = f"SELECT {', '.join(columns)} FROM {table}{where} ORDER BY id"
        insert = f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})"
        with transaction.atomic(), connection.cursor() as cursor:
            # psycopg's server-side cursor: rows arrive in batches of itersize.
            named = cursor.connection.cursor(name=f"copy_{table}")
            named.itersize = 20_000
            named.execute(select)
            while batch := named.fetchmany(20_000):
                db.executemany(insert, [tuple(_plain(v) for v in row) for row in batch])
            named.close()
    # What Datasette's filtered table view uses: equality on the three columns, rows in
    # rowid order (an SQLite index keeps equal keys in rowid order).
    db.execute("CREATE INDEX claim_filters ON claims_claim (battle_id, side, category)")
    db.execute("CREATE INDEX claim_article ON claims_claim (article_id)")
    db.commit()
    db.execute("VACUUM")
    db.execute("ANALYZE")
    db.close()
    building.rename(path)
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def _plain(value):
    """Dates and date-times as ISO text, as Datasette shows them."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def datasette_start(*, database: Path, port: int) -> subprocess.Popen:
    """`datasette serve` of `database` as immutable (-i: no change checks, counts cached)
    on 127.0.0.1:`port`, with its default settings but facet suggestions: by default every
    table page tries each column as a facet (up to 50 ms each), which made one filtered page
    of a million claims take a second. Without them Datasette answers as fast as it can."""
    from bench.common import http_get, server_stop

    server = subprocess.Popen(
        [
            str(datasette_install()),
            "serve",
            "-i",
            str(database),
            "--port",
            str(port),
            "--setting",
            "suggest_facets",
            "off",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if http_get(port, "/-/versions.json")[0] == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit(f"datasette exited with {server.returncode}")
        time.sleep(0.3)
    server_stop(server)
    sys.exit("datasette did not answer within 120 s")

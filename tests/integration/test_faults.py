"""Faults with the real services: a worker killed mid-parse; under load, the test database cut
off on the shared server, and a private PostgreSQL server (initdb) really restarted."""

import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from claims.models import Article, Claim
from tests.integration.conftest import ROOT, long_article, manage, wait_for
from tests.needs import missing

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

# Short, so the killed worker's task comes back within the test; production keeps an hour.
VISIBILITY_TIMEOUT = "5"


def test_a_worker_killed_mid_parse_has_its_task_delivered_again_and_parsed_once(
    service_env, start_worker, tmp_path
):
    env = {**service_env, "CELERY_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT}
    path = tmp_path / "long.txt"
    path.write_text(long_article())
    first = start_worker("doomed", CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT)

    result = manage(env, "ingest_articles", str(path))
    assert result.returncode == 0, result.stderr
    article = Article.objects.get()
    parsing = wait_for(
        lambda: Article.objects.filter(pk=article.pk, status=Article.Status.PARSING).exists(),
        timeout=60,
    )
    assert parsing, (first.log_path.read_text(), Article.objects.get().status)
    first.kill()

    article.refresh_from_db()
    assert article.status == Article.Status.PARSING and article.attempts == 1
    assert not article.claims.exists()

    start_worker("rescuer", CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT)
    parsed = wait_for(
        lambda: Article.objects.filter(pk=article.pk, status=Article.Status.PARSED).exists(),
        timeout=60,
        step=0.5,
    )
    article.refresh_from_db()
    assert parsed, (article.status, article.error)
    # Delivered again (a second attempt), and its drafts written once.
    assert article.attempts == 2
    drafts = article.claims.filter(status=Claim.Status.DRAFT)
    assert drafts.count() > 500
    duplicates = (
        drafts.values("start_offset", "category").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    assert duplicates == 0


# --- PostgreSQL going away under load -------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(url: str) -> int | str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError as exc:  # a refused connection or a hang past the timeout
        return type(exc).__name__


@contextmanager
def _gunicorn(env: dict, workdir: Path, *, pool_size: int = 0) -> Iterator[str]:
    """gunicorn serving `env`'s database on 127.0.0.1, stopped by its pidfile. With
    `pool_size`, each worker keeps a pool of that many connections, as in production."""
    port = _free_port()
    pidfile = workdir / "gunicorn.pid"
    log_path = workdir / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "claimsite.wsgi",
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--threads=4",
                f"--pid={pidfile}",
            ],
            cwd=ROOT,
            # Throttling would answer 429 to this load and hide what the test looks at.
            # By default a connection per thread: with a pool, requests may wait out a short
            # outage (up to the pool's 10 s) and all answer 200, and the failure path most of
            # these tests look at would not run.
            env={
                **env,
                "API_ANON_RATE": "1000000/minute",
                "DATABASE_POOL_SIZE": str(pool_size),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            up = wait_for(lambda: _status(url + "/") == 200, timeout=30, step=0.2)
            assert up, f"gunicorn did not answer 200: {log_path.read_text()[-3000:]}"
            yield url
        finally:
            os.kill(int(pidfile.read_text()) if pidfile.exists() else process.pid, signal.SIGTERM)
            process.wait(timeout=30)


@pytest.fixture
def gunicorn(service_env, tmp_path):
    """gunicorn serving the pytest test database."""
    with _gunicorn(service_env, tmp_path) as url:
        yield url


def _postgresql_bindir() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    candidates = [path.parent for path in versions if (path.parent / "initdb").exists()]
    return candidates[-1] if candidates else None


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class PrivatePostgreSQL:
    """A throwaway PostgreSQL server of the test's own (initdb), on a free port of 127.0.0.1,
    with its data and socket in one temporary directory: restarting it touches no one else."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = _free_port()
        # Not pytest's tmp_path: the server runs as `postgres` when we are root (initdb refuses
        # root), and that user cannot enter root's 0700 pytest directories.
        self.root = Path(tempfile.mkdtemp(prefix="claimsite-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "server.log"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/claimsite"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [*self._as_user, str(self.bindir / program), *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=90,
        )
        if result.returncode != 0:
            log = self.log_path.read_text() if self.log_path.exists() else ""
            raise RuntimeError(f"{program} {' '.join(args)}: {result.stderr}\n{log[-3000:]}")

    def _pg_ctl(self, action: str, *args: str) -> None:
        # Durability is not the point of a throwaway server: skip the fsyncs.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            action,
            "-D",
            str(self.data),
            "-l",
            str(self.log_path),
            "-w",
            "-t",
            "30",
            "-o",
            options,
            *args,
        )

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self._pg_ctl("start")
        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute("CREATE DATABASE claimsite")

    def restart(self) -> None:
        """A real server restart: every connection is cut, new ones refused until it is up."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *self._as_user,
                    str(self.bindir / "pg_ctl"),
                    "stop",
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30",
                ],
                cwd=self.root,
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def private_postgresql():
    """A PostgreSQL server of this test's own, migrated; always stopped and removed after."""
    bindir = _postgresql_bindir()
    problem = None
    if bindir is None:
        problem = "initdb and pg_ctl are not installed (apt-get install -y postgresql)"
    elif os.geteuid() == 0 and not (shutil.which("runuser") and _user_exists("postgres")):
        problem = "initdb refuses to run as root, and runuser or the postgres user is missing"
    if problem:
        missing(problem)
    server = PrivatePostgreSQL(bindir)
    try:
        server.start()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "claimsite.settings.test",
            "DATABASE_URL": server.url,
        }
        env.pop("REDIS_URL", None)  # no broker: nothing here enqueues, and no shared Redis
        for command in (["migrate", "--noinput"], ["load_reference"]):
            result = manage(env, *command)
            assert result.returncode == 0, result.stdout + result.stderr
        yield server, env
    finally:
        server.stop()


# Pages and lists already in the public cache are answered without the database, even while it
# is away; a query never asked before (a new search) must reach it, so the load mixes both.
PATHS = ("/", "/api/v1/battles/", "/about/", "/search/?q=killed+{n}", "/api/v1/claims/?side=x{n}")
_unique = itertools.count()


def _urls(base: str) -> list[str]:
    return [base + path.format(n=next(_unique)) for path in PATHS]


def _answers_under_load(base: str, outage) -> Counter:
    """Every answer four client threads get while `outage()` runs, with a second of load
    before and after it."""
    seen: list[int | str] = []
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            for url in _urls(base):
                seen.append(_status(url))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        outage()
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    return Counter(seen)


def _admin_sql(*statements: str) -> None:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        for statement in statements:
            admin.execute(statement)


def test_requests_fail_cleanly_while_the_database_is_cut_off_and_recover_after(
    gunicorn, service_env
):
    """Only the test database goes away, on the shared server: connections cut, new ones
    refused for three seconds."""
    from tests.factories import ClaimFactory

    ClaimFactory(status=Claim.Status.APPROVED)
    name = settings.DATABASES["default"]["NAME"]

    def cut_off() -> None:
        _admin_sql(
            f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
        )
        time.sleep(3)
        _admin_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    counts = _answers_under_load(gunicorn, cut_off)
    connection.close()  # this process's own connection was cut with the others

    assert set(counts) <= {200, 503}, counts
    assert counts[503] > 0, f"the outage was not seen: {counts}"
    recovered = [_status(url) for _ in range(3) for url in _urls(gunicorn)]
    assert set(recovered) == {200}, recovered


def test_requests_fail_cleanly_while_postgresql_restarts_and_recover_after(
    private_postgresql, tmp_path
):
    server, env = private_postgresql
    with _gunicorn(env, tmp_path) as base:
        counts = _answers_under_load(base, server.restart)

        assert set(counts) <= {200, 503}, counts
        assert counts[503] > 0, f"the restart was not seen: {counts}"
        recovered = [_status(url) for _ in range(3) for url in _urls(base)]
        assert set(recovered) == {200}, recovered


def test_a_pooled_server_hands_out_no_connection_a_postgresql_restart_killed(
    private_postgresql, tmp_path
):
    """Production's pool keeps connections open between requests; a restart kills them all.
    Once the server is back, the very next requests must get new connections, not fail on
    the dead ones still waiting in the pool."""
    server, env = private_postgresql
    with _gunicorn(env, tmp_path, pool_size=4) as base:
        warm_up = _answers_under_load(base, outage=lambda: None)
        assert set(warm_up) == {200}, warm_up

        server.restart()  # returns once PostgreSQL accepts connections again

        after = [_status(url) for _ in range(4) for url in _urls(base)]
        assert set(after) == {200}, after

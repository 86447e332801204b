"""Real services for integration tests: PostgreSQL (the pytest test database), Redis (db from
TEST_REDIS_URL) and Celery worker processes started with a pidfile and stopped by that pid."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.needs import missing

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _require_services() -> None:
    problem = None
    if connection.vendor != "postgresql":
        problem = "needs DATABASE_URL pointing at PostgreSQL"
    else:
        import redis

        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            problem = f"Redis at {REDIS_URL} is not reachable: {exc}"
    if problem:
        missing(problem)


@pytest.fixture
def service_env():
    _require_services()
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    db = settings.DATABASES["default"]
    database_url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "claimsite.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
    }
    return env


class Worker:
    """One Celery worker process. The solo pool parses in the process we signal; the prefork
    pool (one child) is the one that enforces time limits, by signalling or killing its child."""

    def __init__(
        self, env: dict, workdir: Path, name: str, *, app: str = "claimsite", pool: str = "solo"
    ):
        self.pidfile = workdir / f"{name}.pid"
        self.log_path = workdir / f"{name}.log"
        self._log = self.log_path.open("w")
        pool_options = ["--pool=solo"] if pool == "solo" else [f"--pool={pool}", "--concurrency=1"]
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                app,
                "worker",
                *pool_options,
                "--loglevel=info",
                f"--pidfile={self.pidfile}",
                f"--hostname={name}-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            # The project root on the path: an app or settings module under tests/ is importable
            # in the worker and its pool children.
            env={
                **env,
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
            },
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Its own process group, so a stop that has to force it takes the pool children too.
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return int(self.pidfile.read_text()) if self.pidfile.exists() else self.process.pid

    def kill(self) -> None:
        """SIGKILL: no chance to acknowledge, requeue or clean up."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture
def start_worker(service_env, tmp_path):
    """start_worker(name, app=..., pool=..., **env) -> a running Worker; every one is stopped
    after the test."""
    workers: list[Worker] = []

    def start(
        name: str = "test-worker", *, app: str = "claimsite", pool: str = "solo", **extra_env: str
    ) -> Worker:
        worker = Worker({**service_env, **extra_env}, tmp_path, name, app=app, pool=pool)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def worker(start_worker):
    """A real Celery worker process, started with a pidfile and stopped by that pid only."""
    return start_worker().process


def manage(env, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_for(predicate, *, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def long_article(lines: int = 5000) -> str:
    # Thousands of figures: about half a second of parsing per thousand lines on a quiet machine.
    rng = random.Random(3)
    return "".join(
        f"Officials said {rng.randint(1, 99_999):,} soldiers were killed and "
        f"{rng.randint(1, 999)} to {rng.randint(1_000, 9_999)} wounded.\n"
        for _ in range(lines)
    )

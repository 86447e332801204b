"""What the benchmarks under bench/ share: filling PostgreSQL with approved claims, serving
the app with gunicorn on 127.0.0.1 and reading wrk's figures. Scripts call django.setup()
before using database_fill."""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_fill(*, claims: int, seed: int) -> int:
    """Make the database hold at least `claims` approved claims; returns how many it holds."""
    from django.core.management import call_command
    from django.db import connection

    from claims.models import Battle, Claim

    if connection.vendor != "postgresql":
        sys.exit("The benchmarks measure PostgreSQL: point DATABASE_URL at one.")
    call_command("migrate", verbosity=0)
    if not Battle.objects.exists():
        call_command("load_reference")
    have = Claim.objects.filter(status=Claim.Status.APPROVED).count()
    if have < claims:
        print(f"Generating {claims - have:,} approved claims ...", flush=True)
        call_command("generate_demo_data", claims=claims - have, seed=seed)
        have = Claim.objects.filter(status=Claim.Status.APPROVED).count()
    with connection.cursor() as cursor:
        # VACUUM too: fresh rows have no visibility map yet, so without it the planner's
        # index-only scans read the heap, which autovacuum would have spared a live site.
        cursor.execute("VACUUM ANALYZE")
    return have


def production_env() -> dict[str, str]:
    """The environment the benchmarked server runs in: production settings on plain HTTP
    at 127.0.0.1, throttling lifted so that it measures the app, not the throttle."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "claimsite.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "API_ANON_RATE": "1000000000/s",
        "API_USER_RATE": "1000000000/s",
    }


BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")


def redis_cache_use(url: str = BENCH_REDIS_URL) -> None:
    """The server caches in Redis, as in production: the database at `url`, emptied first
    (also what an editor's approval amounts to: every cached public read is gone)."""
    import redis

    redis.Redis.from_url(url).flushdb()
    os.environ["REDIS_URL"] = url


def static_collect() -> None:
    """Production settings serve hashed static files from a manifest: build it (pages need it)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env=production_env(),
        check=True,
        timeout=300,
    )


def server_start(
    *, port: int, workers: int, pidfile: Path, access_log: Path | None = None
) -> subprocess.Popen:
    """gunicorn (gunicorn.conf.py, production settings) on 127.0.0.1:`port`. With
    `access_log`, each request's milliseconds, path and status are written there."""
    env = production_env()
    gunicorn = shutil.which("gunicorn", path=str(ROOT / ".venv" / "bin")) or "gunicorn"
    logging = (
        ["--access-logfile", str(access_log), "--access-logformat", "%(M)s %(s)s %(U)s"]
        if access_log
        else []
    )
    server = subprocess.Popen(
        [
            gunicorn,
            "claimsite.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "600",  # a 1M-row CSV export streams for longer than the default 30 s
            "--pid",
            str(pidfile),
            "--log-level",
            "warning",
            *logging,
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = http_get(port, "/api/v1/battles/?page_size=1")
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}")
        time.sleep(0.3)
    server_stop(server)
    sys.exit("gunicorn did not answer within 60 s")


def access_log_slowest(access_log: Path, *, top: int = 8) -> list[tuple[float, str]]:
    """The paths (query dropped) whose slowest answer in `access_log` took longest, with
    that answer's milliseconds: where a p99 comes from."""
    slowest: dict[str, float] = {}
    for line in access_log.read_text().splitlines():
        milliseconds, _status, address = line.split(" ", 2)
        path = address.split("?")[0]
        slowest[path] = max(slowest.get(path, 0.0), float(milliseconds))
    return sorted(((ms, path) for path, ms in slowest.items()), reverse=True)[:top]


def server_stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()


def http_get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def parse_duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk_run(*, port: int, path: str, seconds: int, connections: int, threads: int) -> dict:
    """wrk's requests/s and latency percentiles for GET `path`; non-2xx answers are errors."""
    status, body = http_get(port, path)  # warm the caches, and fail early on a bad URL
    if status != 200:
        sys.exit(f"GET {path} answered {status}: {body[:300]!r}")
    output = wrk_output(
        url=f"http://127.0.0.1:{port}{path}",
        seconds=seconds,
        connections=connections,
        threads=threads,
    )
    return {"path": path, **wrk_figures(output)}


def wrk_output(
    *,
    url: str,
    seconds: int,
    connections: int,
    threads: int,
    script: Path | None = None,
    timeout: int | None = None,
) -> str:
    """Runs wrk against `url` (a Lua `script` may choose the paths) and returns its report.
    A request slower than `timeout` seconds (wrk's default: 2) counts as a socket error."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        "Accept: application/json",
    ]
    if script is not None:
        command += ["-s", str(script)]
    if timeout is not None:
        command += ["--timeout", f"{timeout}s"]
    return subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 120
    ).stdout


def wrk_figures(output: str) -> dict:
    """Requests/s, p50/p99 latency and errors out of wrk's --latency report. Errors are
    non-2xx/3xx answers; socket errors (connect, read, write, timeout) are counted apart."""
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if "99" not in percentiles:
        sys.exit(f"Could not read wrk's output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": parse_duration_ms(percentiles["50"]),
        "p99_ms": parse_duration_ms(percentiles["99"]),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


class QueryTimer:
    """Counts queries and adds up their time (connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def results_report(results: dict, *, targets: dict, missed: list[str], output: Path) -> int:
    """Writes the figures as JSON, says which targets were missed; the exit status (1: missed)."""
    results["targets"], results["missed"] = targets, missed
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {output}")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _check(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a deployment would have: the browser fixture may have set DJANGO_ALLOW_ASYNC_UNSAFE.
    skip = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in skip}
    environment.update(env, DJANGO_SETTINGS_MODULE="claimsite.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _check()
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = _check("--deploy", "--fail-level", "WARNING", SECRET_KEY="x" * 20 + "-Qz9" * 12)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _python(code: str, env: dict[str, str]) -> dict:
    """The JSON that `code` prints last, run in a fresh interpreter in the project root."""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _database_settings(**env: str) -> dict:
    """DATABASES["default"] as the settings build it from `env`."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'options': db.get('OPTIONS', {}), 'age': db['CONN_MAX_AGE']}))"
    )
    return _python(code, {**os.environ, "DJANGO_SETTINGS_MODULE": "claimsite.settings.test", **env})


def test_postgresql_runs_without_jit_and_pools_connections_when_asked():
    url = "postgres://postgres@127.0.0.1:5432/claimsite"
    plain = _database_settings(DATABASE_URL=url, DATABASE_POOL_SIZE="0")
    pooled = _database_settings(DATABASE_URL=url, DATABASE_POOL_SIZE="8")

    assert plain["options"]["options"] == "-c jit=off" and "pool" not in plain["options"]
    assert plain["age"] == 60
    assert pooled["options"]["pool"]["max_size"] == 8 and pooled["age"] == 0


def test_the_web_server_runs_threads_sharing_a_connection_pool():
    environment = dict(os.environ)
    environment.pop("DATABASE_POOL_SIZE", None)
    code = (
        "import runpy, json, os; c = runpy.run_path('gunicorn.conf.py'); "
        "print(json.dumps({'worker_class': c['worker_class'], 'threads': c['threads'], "
        "'pool': os.environ['DATABASE_POOL_SIZE']}))"
    )

    config = _python(code, environment)

    assert config["worker_class"] == "gthread" and config["threads"] > 4
    assert int(config["pool"]) > 0


def test_a_web_worker_loads_every_view_then_hides_them_from_the_garbage_collector():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "claimsite.settings.test"}
    code = (
        "import gc, json, runpy, sys, django; django.setup(); "
        "c = runpy.run_path('gunicorn.conf.py'); "
        "before = 'claims.api.views' in sys.modules; c['post_worker_init'](None); "
        "print(json.dumps({'views_before': before, "
        "'views_after': 'claims.api.views' in sys.modules, 'frozen': gc.get_freeze_count()}))"
    )

    worker = _python(code, environment)

    assert not worker["views_before"] and worker["views_after"]
    assert worker["frozen"] > 10_000

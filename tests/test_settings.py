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

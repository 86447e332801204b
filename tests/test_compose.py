"""docker-compose.yml cannot be run here (no Docker engine): check it against the compose
JSON schema and check that what it runs exists in the project."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"


def test_compose_file_validates_against_the_compose_spec():
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert checker, "check-jsonschema is a dev dependency"
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_names_the_services_of_the_stack(compose):
    assert {"db", "redis", "web", "worker"} <= set(compose["services"])
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in compose["services"][name], name


def test_compose_commands_exist_in_the_project(compose):
    services = compose["services"]
    web = services["web"]["command"]
    for command in ("migrate", "load_reference"):
        assert f"manage.py {command}" in web
        assert command in get_commands()
    assert "claimsite.wsgi" in web and (ROOT / "claimsite" / "wsgi.py").exists()
    assert services["worker"]["command"][:3] == ["celery", "-A", "claimsite"]
    assert (ROOT / "claimsite" / "celery.py").exists()
    assert services["web"]["build"] == "." and (ROOT / "Dockerfile").exists()


def test_compose_environment_uses_the_variables_settings_read(compose):
    from claimsite import env

    environment = compose["services"]["web"]["environment"]
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"):
        assert name in environment
        assert hasattr(env, name)

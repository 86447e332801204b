import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from tests.needs import missing


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def viewer(db):
    user = UserFactory(username="viewer", is_staff=True)
    user.groups.add(Group.objects.get(name="Viewers"))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium driven by Playwright. Skips with a reason where Chromium is
    not installed, except under CI, where a missing browser is a failure."""
    if not CHROMIUM.exists():
        missing("Chromium is not installed: apt-get install -y chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server and the ORM
    # calls made by the test itself are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page that records console errors in `page.console_errors`."""
    context = browser.new_context()
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves a PNG of the page under artifacts/ (ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test sends no signal, so what it
    cached under the public version would otherwise be served to the next test."""
    from django.core.cache import cache

    from claimsite.shared_cache import cache_reset

    cache_reset()  # a cache made unreachable by an earlier test is tried again
    cache.clear()


def pytest_collection_modifyitems(config, items):
    # `make test` leaves these out of its SQLite pass and runs them on PostgreSQL; a plain
    # `pytest` on SQLite skips them rather than testing what SQLite does not have.
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(
        reason="a PostgreSQL feature: set DATABASE_URL to a PostgreSQL database"
    )
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)

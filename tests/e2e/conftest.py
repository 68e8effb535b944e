"""Browser tests: Debian's Chromium driven by Playwright, at phone size (390x844).

No browser is downloaded: where /usr/bin/chromium is missing these tests are skipped with a
message saying so (`.ci/run` installs it).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the test itself (not the app)
# touches the database from it, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM}: not installed")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A French technician's phone.
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "has_touch": True,
        "is_mobile": True,
        # Only the offline tests run the service worker (they allow it with a marker): its
        # morning sync would otherwise fetch pages beside every other test's own requests.
        "service_workers": "block",
    }


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under tests/e2e/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


@pytest.fixture
def axe_violations(page):
    """Run axe-core (bundled, offline) on the current page and return its violations."""
    from axe_playwright_python.sync_playwright import Axe

    def run():
        results = Axe().run(page)
        return [(v["id"], v["help"]) for v in results.response["violations"]]

    return run


@pytest.fixture
def fits_the_phone(page):
    """Return whether the page fits the phone's width: no sideways scrolling."""

    def check():
        return page.evaluate("document.documentElement.scrollWidth") <= 390

    return check

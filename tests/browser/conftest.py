"""Browser fixtures: Playwright's sync API driving Debian's Chromium against `live_server`.

We never run `playwright install`: the browser is /usr/bin/chromium (`make browser-deps`).
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop in this thread, which makes Django refuse ORM
# calls ("You cannot call this from an async context"). The tests are plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("FUPIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def results_dir(pytestconfig) -> Path:
    path = Path(pytestconfig.rootpath) / "test-results"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Problems:
    """Console errors, uncaught page errors and failed /static/ requests seen by a page."""

    def __init__(self, page):
        self.console: list[str] = []
        self.static: list[str] = []
        self.expected_404: set[str] = set()
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console.append(f"pageerror: {exc}"))
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)

    def _on_console(self, msg):
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        # Chromium logs the document's own 404 ("Failed to load resource") as an error.
        if url in self.expected_404 and "404" in msg.text:
            return
        self.console.append(f"{msg.text} @ {url}")

    def _on_failed(self, request):
        # ERR_ABORTED: the page navigated away while the file loaded; not a server failure.
        if "/static/" in request.url and request.failure != "net::ERR_ABORTED":
            self.static.append(f"{request.url}: {request.failure}")

    def _on_response(self, response):
        if "/static/" in response.url and response.status >= 400:
            self.static.append(f"{response.url}: HTTP {response.status}")

    def check(self):
        assert not self.console, "console errors:\n" + "\n".join(self.console)
        assert not self.static, "static files failed:\n" + "\n".join(self.static)


@pytest.fixture
def page_factory(browser, live_server, transactional_db):
    """Make pages in fresh contexts (no shared cookies); close them after the test."""
    contexts = []

    def make(**context_args):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **context_args)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.problems = Problems(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def township_user(regions, make_user):
    from fupin.core.testing import TOWNSHIP_A

    return make_user("township", TOWNSHIP_A)


@pytest.fixture
def login(township_user):
    """Log in through the form; returns the user."""
    from fupin.core.testing import PASSWORD

    def do(page, user=township_user):
        page.goto("/accounts/login/")
        form = page.get_by_test_id("login-form")
        form.locator("input[name=username]").fill(user.username)
        form.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_test_id("login-submit").click()
        return user

    return do

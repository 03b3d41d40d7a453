"""Fixtures for the web view in real headless Chromium (Debian's, through Playwright): a generated
network served by the real companion (`python -m companion serve`), and a browser that opens
it through a real one-time launch link.

Scopes: one generated network and one companion per module (generating 300 people with their
facts takes a few seconds; the tests only add to it), one browser per module, a fresh context
(cookies, permissions) per test. Chromium resolves no name but loopback (the companion): any
other request fails, and is still seen in the request log.

A missing Chromium fails the tests, it never skips them (tests/extension/browser.py).
When a test fails, screenshots of the page it had open are kept, in the language it showed and
in the other one: test-artifacts/screenshots/web/<test name>-<ja|en>.png.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from companion.demo import ensure_demo
from tests.extension.browser import TIMEOUT_MS, BrowserMissing, chromium_path
from tests.helpers import ROOT, LiveServer, start_server, stop_server

HERE = Path(__file__).resolve().parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots" / "web"
NETWORK_CONTACTS = 300

expect.set_options(timeout=TIMEOUT_MS)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives headless Chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).resolve().parent == HERE:
            item.add_marker(pytest.mark.browser)


# -- the companion on a generated network ------------------------------------------------------

@pytest.fixture(scope="session")
def generated_network(tmp_path_factory) -> Path:
    """A 300-person network (bench/gen_network.py through companion/demo.py), made once."""
    folder = tmp_path_factory.mktemp("web-network") / "data"
    ensure_demo(folder, contacts=NETWORK_CONTACTS)
    return folder


@pytest.fixture(scope="module")
def companion(generated_network, tmp_path_factory) -> LiveServer:
    """The real companion serving a copy of the generated network (each module its own copy:
    the tests add notes and contacts)."""
    data_dir = tmp_path_factory.mktemp("web-companion") / "data"
    shutil.copytree(generated_network, data_dir)
    os.chmod(data_dir, 0o700)
    server = start_server(data_dir, {"GOEN_TOKEN_BACKEND": "file"})
    yield server
    stop_server(server)


def launch_url(server: LiveServer, next_path: str = "/") -> str:
    """A one-time link, asked of the companion as `goen open` and the native host ask."""
    request = urllib.request.Request(
        f"{server.base_url}/api/v1/launch", data=json.dumps({"next": next_path}).encode(),
        headers={"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"},
        method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["url"]


# -- the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    try:
        path = chromium_path()
    except BrowserMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    # WebGL (the network page) in headless Chromium without a GPU needs SwiftShader, which
    # Chromium no longer falls back to by itself: https://chromium.googlesource.com/chromium/src/+/main/docs/gpu/swiftshader.md
    args = ["--headless=new", "--enable-unsafe-swiftshader", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update",
            # every name but loopback fails to resolve: nothing leaves the machine
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    browser = driver.chromium.launch(executable_path=path, args=args)
    yield browser
    browser.close()
    driver.stop()


@dataclass
class WebPage:
    """A page of the web view in a fresh context, with everything it logged and requested."""

    page: object
    server: LiveServer
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)   # answers >= 400, and network failures

    def url(self, path: str) -> str:
        return f"{self.server.base_url}{path}"

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    @property
    def lang(self) -> str:
        return self.page.locator("html").get_attribute("lang") or "ja"

    def set_language(self, lang: str) -> None:
        if self.lang != lang:
            self.page.get_by_test_id(f"lang-{lang}").click()
            # the page loads again in that language (app.js sends the form, then reloads)
            expect(self.page.locator("html")).to_have_attribute("lang", lang)
            self.page.wait_for_load_state()

    def problems(self) -> list[str]:
        return self.console_errors + self.page_errors + self.failed


@pytest.fixture
def web(chromium, companion) -> WebPage:
    """A fresh context opened through a real launch link: it holds the session cookie."""
    context = chromium.new_context(locale="ja-JP", timezone_id="Asia/Tokyo",
                                   viewport={"width": 1200, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    opened = WebPage(page, companion)
    page.on("console", lambda m: opened.console_errors.append(m.text)
            if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.page_errors.append(str(e)))
    context.on("request", lambda r: opened.requests.append(r.url))
    context.on("response", lambda r: opened.failed.append(f"{r.status} {r.url}")
               if r.status >= 400 else None)
    # a request cut short because the page went on to another one is no failure
    context.on("requestfailed", lambda r: opened.failed.append(f"{r.failure} {r.url}")
               if "ERR_ABORTED" not in (r.failure or "") else None)
    response = page.goto(launch_url(companion))
    assert response is not None and response.ok, "the launch link did not open the web view"
    opened.set_language("ja")    # the language is kept by the companion: start each test in ja
    yield opened
    context.close()


# -- screenshots of a failing test's page ------------------------------------------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    opened = getattr(item, "funcargs", {}).get("web")
    if isinstance(opened, WebPage):
        saved = save_screenshots(opened, item.name)
        if saved:
            report.sections.append(("web view screenshots", "\n".join(map(str, saved))))


def save_screenshots(opened: WebPage, test_name: str, folder: Path = SCREENSHOTS) -> list[Path]:
    """The open page in its language, then in the other one (switched through the page's own
    menu, and switched back). Never raises: the test's own failure is what matters."""
    page = opened.page
    if page.is_closed():
        return []
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", test_name).strip("_")
    saved: list[Path] = []
    try:
        first = opened.lang
        path = folder / f"{stem}-{first}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
        other = "en" if first == "ja" else "ja"
        if page.get_by_test_id(f"lang-{other}").count():
            opened.set_language(other)
            path = folder / f"{stem}-{other}.png"
            page.screenshot(path=str(path), full_page=True)
            saved.append(path)
            opened.set_language(first)
    except Exception as exc:  # noqa: BLE001 (report, never mask the test's failure)
        saved.append(Path(f"(screenshot failed: {type(exc).__name__}: {exc})"))
    return saved

"""Fixtures for the end-to-end tests: the local HTTPS sites, the real companion, and headless
Chromium with the unpacked extension (tests/extension/browser.py).

Scopes: one local sites server for the whole run; Playwright and one browser per test module
(starting Chromium costs about half a second, and a fresh profile per test buys nothing:
``ext`` closes every page and clears the extension's storage before each test). Not for the
whole session: a running sync Playwright in the process makes every later
``sync_playwright()`` fail (tests/native_host starts its own). The companion is started per
test with its own data folder, so each test reads a database that holds only what it saved; a
server costs about 0.3 s.

When a browser test fails, pytest_runtest_makereport keeps screenshots of the popup it had
open, in the language it showed and in the other one:
test-artifacts/screenshots/<test name>-<en|ja>.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.extension.browser import (EXTENSION_DIR, TIMEOUT_MS, BrowserMissing,
                                     ExtensionBrowser, chromium_path, wait_for_popup_state)
from tests.extension.sites import SitesServer, mapped_hosts, site_fixtures
from tests.helpers import ROOT, start_server, stop_server

HERE = Path(__file__).resolve().parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

# expect()'s 5 s default is short for a 2-core machine busy with the rest of the suite
expect.set_options(timeout=TIMEOUT_MS)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives headless Chromium with the extension")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).resolve().parent == HERE:
            item.add_marker(pytest.mark.browser)


# -- the pieces --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def playwright_driver():
    """Playwright's driver (shipped in its wheel); the browser is always Debian's Chromium."""
    try:
        chromium_path()
    except BrowserMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    if not (EXTENSION_DIR / "manifest.json").is_file():
        pytest.fail(f"the extension is missing: {EXTENSION_DIR}/manifest.json does not exist",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def local_sites():
    """HTTPS on 127.0.0.1 answering as www.linkedin.com, x.com, github.com, … with the
    fixture pages at the URLs they were captured at."""
    with SitesServer(mapped_hosts()) as sites:
        for fixture in site_fixtures():
            sites.add_fixture(fixture)
        yield sites


def launch(driver, tmp_path_factory, sites, **options) -> ExtensionBrowser:
    return ExtensionBrowser(driver, tmp_path_factory.mktemp("chromium-profile"), sites.port,
                            mapped_hosts(), **options)


@pytest.fixture(scope="module")
def module_browser(playwright_driver, tmp_path_factory, local_sites):
    browser = launch(playwright_driver, tmp_path_factory, local_sites)
    yield browser
    browser.close()


@pytest.fixture
def companion(tmp_path):
    """The real companion (`python -m companion serve`) on a free loopback port, with an
    empty database of its own; GOEN_EXTENSION_IDS keeps its default, which lists the
    extension's fixed id."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    server = start_server(data_dir, {"GOEN_TOKEN_BACKEND": "file"})
    yield server
    stop_server(server)


@pytest.fixture
def unpaired(module_browser, local_sites) -> ExtensionBrowser:
    """The browser as after installing the extension: no pairing, language auto (en-US)."""
    module_browser.reset()
    local_sites.clear_hits()
    return module_browser


@pytest.fixture
def ext(unpaired, companion) -> ExtensionBrowser:
    """The browser paired with this test's companion (storage `companion` = {port, token})."""
    unpaired.pair(companion.port, companion.token)
    return unpaired


@pytest.fixture
def chromium_ja(playwright_driver, tmp_path_factory, local_sites, companion):
    """A second browser whose UI language is Japanese (--lang=ja, locale ja-JP), paired."""
    browser = launch(playwright_driver, tmp_path_factory, local_sites, locale="ja-JP",
                     lang="ja")
    browser.pair(companion.port, companion.token)
    yield browser
    browser.close()


# -- screenshots of a failing test's popup -----------------------------------------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    browsers = [v for v in getattr(item, "funcargs", {}).values()
                if isinstance(v, ExtensionBrowser)]
    saved = []
    for browser in dict.fromkeys(browsers):  # the same browser may come under two names
        saved += save_popup_screenshots(browser, item.name)
    if saved:
        report.sections.append(("popup screenshots", "\n".join(map(str, saved))))


def save_popup_screenshots(browser: ExtensionBrowser, test_name: str) -> list[Path]:
    """The open popup in its language, then reloaded in the other one; the language setting
    is put back afterwards. Never raises: the test's own failure is what matters."""
    page = browser.last_popup
    if page is None or page.is_closed():
        return []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", test_name).strip("_")
    saved = []
    try:
        before = browser.storage().get("language")
        first = browser.ui_language()
        path = SCREENSHOTS / f"{stem}-{first}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
        other = "ja" if first == "en" else "en"
        browser.set_language(other)
        page.reload()
        try:
            wait_for_popup_state(page, timeout=5000)
        except AssertionError:
            pass  # a popup stuck in loading is worth a picture too
        path = SCREENSHOTS / f"{stem}-{other}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
        if before is None:
            browser.evaluate("() => chrome.storage.local.remove('language')")
        else:
            browser.set_language(before)
    except Exception as exc:  # noqa: BLE001 (report, never mask the test's failure)
        saved.append(Path(f"(screenshot failed: {type(exc).__name__}: {exc})"))
    return saved


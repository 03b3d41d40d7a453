"""Debian's Chromium, headless, with the unpacked extension loaded: what the end-to-end tests
and bench/bench_extension.py drive through Playwright.

The launch follows /work/shared/DESIGN.md ("Testing in a real browser"): a persistent context
(extensions need one), ``--headless=new``, ``--load-extension``. Every host name the local
sites server plays is mapped to it, and every other name fails to resolve, so no request can
reach the internet; see ``host_resolver_rules``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers import ROOT

EXTENSION_DIR = ROOT / "extension"
# Fixed by the public "key" in extension/manifest.json (docs/EXTENSION.md, "Identity").
EXTENSION_ID = "bddjgpkhpndbfbomeobifkpedemfoeno"
POPUP_STATES = ("not_paired", "offline", "unsupported", "known", "unknown", "thread")
INSTALL_HINT = "install chromium: apt-get install -y chromium"
TIMEOUT_MS = 15_000


class BrowserMissing(RuntimeError):
    pass


def chromium_path() -> str:
    """GOEN_CHROMIUM, else Debian's /usr/bin/chromium; never a browser Playwright downloads."""
    path = os.environ.get("GOEN_CHROMIUM") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise BrowserMissing(f"no Chromium at {path}: {INSTALL_HINT} "
                             "(or set GOEN_CHROMIUM to a Chromium binary)")
    return path


def host_resolver_rules(hosts: set[str] | list[str], port: int) -> str:
    """Chromium's --host-resolver-rules: each site host:443 -> 127.0.0.1:<port>; loopback
    excluded from all rules (the companion); every other name fails with
    ERR_NAME_NOT_RESOLVED. Map rules apply in order, first match wins, and EXCLUDE rules are
    checked before any of them (net/base/host_mapping_rules.cc)."""
    rules = [f"MAP {host}:443 127.0.0.1:{port}" for host in sorted(hosts)]
    rules += ["MAP * ~NOTFOUND", "EXCLUDE 127.0.0.1", "EXCLUDE localhost"]
    return ", ".join(rules)


def launch_args(extension_dir: Path, hosts, sites_port: int, lang: str | None) -> list[str]:
    args = [
        "--headless=new",
        f"--disable-extensions-except={extension_dir}",
        f"--load-extension={extension_dir}",
        f"--host-resolver-rules={host_resolver_rules(hosts, sites_port)}",
        "--ignore-certificate-errors",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
        "--disable-quic",
        "--disable-features=DialMediaRouteProvider,OptimizationHints,Translate",
    ]
    if os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    if lang:
        # chrome.i18n follows the browser's UI language, which on Linux only --lang sets;
        # Playwright's locale option sets navigator.language and Accept-Language only.
        args.append(f"--lang={lang}")
    return args


@dataclass
class RequestLog:
    """Every request a page of the context made, with the error of those that failed."""

    urls: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)


class ExtensionBrowser:
    """One Chromium with the extension; helpers that act as the user and as the test."""

    def __init__(self, playwright, user_data_dir: Path, sites_port: int, hosts,
                 locale: str = "en-US", lang: str | None = None,
                 timezone_id: str = "Asia/Tokyo", extension_dir: Path = EXTENSION_DIR):
        if not (extension_dir / "manifest.json").is_file():
            raise FileNotFoundError(f"no extension at {extension_dir} (manifest.json missing)")
        self.locale = locale
        self.requests = RequestLog()
        self.context = playwright.chromium.launch_persistent_context(
            str(user_data_dir), executable_path=chromium_path(), headless=False,
            args=launch_args(extension_dir, hosts, sites_port, lang),
            locale=locale, timezone_id=timezone_id, viewport={"width": 420, "height": 640})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.on("request", lambda r: self.requests.urls.append(r.url))
        self.context.on("requestfailed",
                        lambda r: self.requests.failures.__setitem__(r.url, r.failure or ""))
        worker = self._find_worker() or self.context.wait_for_event(
            "serviceworker", predicate=lambda w: w.url.startswith("chrome-extension://"))
        match = re.match(r"chrome-extension://([a-p]{32})/", worker.url)
        self.extension_id = match[1] if match else None
        self.last_popup = None  # the popup page a failing test's screenshots are taken of

    # -- the service worker -----------------------------------------------------------------

    def _find_worker(self):
        for worker in self.context.service_workers:
            if worker.url.startswith("chrome-extension://"):
                return worker
        return None

    def _wake_worker(self):
        """Chromium stops an idle extension service worker; any extension event starts it
        again, and an extension page that messages it is one."""
        with self.context.expect_event("serviceworker") as event:
            page = self.context.new_page()
            page.goto(self.url("popup/popup.html?tabId=-1"))
        page.close()
        return event.value

    @property
    def worker(self):
        return self._find_worker() or self._wake_worker()

    def evaluate(self, script: str, arg=None):
        """Run ``script`` (a JS function) in the service worker, where chrome.* is."""
        try:
            return self.worker.evaluate(script, arg)
        except Exception as exc:  # Playwright's Error when the worker went away meanwhile
            if "closed" not in str(exc).lower():
                raise
            return self._wake_worker().evaluate(script, arg)

    # -- storage (docs/EXTENSION.md, "Storage") ---------------------------------------------

    def storage(self) -> dict:
        return self.evaluate("() => chrome.storage.local.get(null)")

    def set_storage(self, values: dict) -> None:
        self.evaluate("(v) => chrome.storage.local.set(v)", values)

    def clear_storage(self) -> None:
        """storage.local (pairing, language, adapters) and storage.session (the handshake
        the service worker remembers, docs/EXTENSION.md "Pairing and the handshake")."""
        self.evaluate("() => Promise.all([chrome.storage.local.clear(),"
                      " chrome.storage.session.clear()])")

    def pair(self, port: int, token: str) -> None:
        """The quick way; tests/extension/test_pairing.py pairs through the options page."""
        self.set_storage({"companion": {"port": port, "token": token}})

    def set_language(self, language: str) -> None:
        self.set_storage({"language": language})

    def ui_language(self) -> str:
        """"en" or "ja": the storage override, else the browser's UI language."""
        language = self.storage().get("language", "auto")
        if language in ("en", "ja"):
            return language
        # chrome.i18n.getUILanguage() says en-US even under --lang=ja; getMessage follows it
        en, ja = extension_messages("en"), extension_messages("ja")
        key = next(k for k in en if k in ja and en[k] != ja[k])
        shown = self.evaluate("(key) => chrome.i18n.getMessage(key)", key)
        return "ja" if shown == ja[key] else "en"

    # -- pages and tabs ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    def open(self, url: str):
        page = self.context.new_page()
        page.goto(url, wait_until="load")
        return page

    def tab_id(self, url: str) -> int:
        """The tab showing ``url`` (the browser's spelling of it, e.g. ``page.url``)."""
        ids = self.evaluate(
            """async (url) => (await chrome.tabs.query({}))
                   .filter(t => t.url === url || t.pendingUrl === url).map(t => t.id)""", url)
        if len(ids) != 1:
            raise AssertionError(f"expected one tab at {url}, found {len(ids)}")
        return ids[0]

    def open_tab_from_extension(self, url: str):
        """A tab the extension creates, for pages whose URL it may not read (about:blank):
        returns (tab id, Playwright page)."""
        with self.context.expect_page() as event:
            tab_id = self.evaluate("async (url) => (await chrome.tabs.create({url})).id", url)
        page = event.value
        page.wait_for_load_state()
        return tab_id, page

    def open_popup(self, tab_id: int, state: str | None = None):
        """popup.html?tabId=<n> in a tab of its own, as the tests in docs/EXTENSION.md do;
        waits until it shows one of the popup states (and that one, when given)."""
        page = self.context.new_page()
        self.last_popup = page
        page.goto(self.url(f"popup/popup.html?tabId={tab_id}"))
        wait_for_popup_state(page, state)
        return page

    def reset(self) -> None:
        """Between tests: no pages but one blank tab, empty storage, nothing remembered."""
        pages = list(self.context.pages)
        keep = pages[0] if pages else self.context.new_page()
        for page in pages[1:]:
            page.close()
        if keep.url != "about:blank":
            keep.goto("about:blank")
        self.clear_storage()
        self.last_popup = None
        self.requests = RequestLog()

    def close(self) -> None:
        self.context.close()


def wait_for_popup_state(page, state: str | None = None, timeout: int = TIMEOUT_MS) -> str:
    """Wait until the popup has settled (its root's data-state is set and no longer
    "loading"); then it must be ``state`` when one is given, or one of POPUP_STATES."""
    try:
        page.wait_for_function(
            """() => {
                const root = document.querySelector('[data-testid="state"]');
                return Boolean(root && root.dataset.state && root.dataset.state !== 'loading');
            }""", timeout=timeout)
    except Exception as exc:
        raise AssertionError(f"the popup did not settle within {timeout} ms: state "
                             f"{popup_state(page)!r}") from exc
    shown = popup_state(page)
    wanted = [state] if state else list(POPUP_STATES)
    if shown not in wanted:
        message = page.evaluate("""() => {
            const m = document.querySelector('[data-testid="error-message"]');
            return m ? `${m.dataset.code || ''}: ${m.textContent}` : '';
        }""")
        raise AssertionError(f"popup state {shown!r}, expected {' or '.join(wanted)}"
                             + (f" (error-message {message!r})" if message.strip(": ") else ""))
    return shown


def popup_state(page) -> str | None:
    return page.evaluate("""() => {
        const root = document.querySelector('[data-testid="state"]');
        return root ? root.dataset.state ?? null : null;
    }""")


def by_testid(page, name: str):
    """The one visible element with data-testid=<name>."""
    return page.locator(f'[data-testid="{name}"]:visible')


def extension_messages(language: str) -> dict[str, str]:
    """_locales/<language>/messages.json as {key: message}."""
    path = EXTENSION_DIR / "_locales" / language / "messages.json"
    return {key: value["message"]
            for key, value in json.loads(path.read_text(encoding="utf-8")).items()}

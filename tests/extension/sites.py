"""The social sites, played locally: an HTTPS server on 127.0.0.1 that answers for
www.linkedin.com, x.com, github.com, ... with the fixture pages in tests/fixtures/sites/.

Chromium reaches it through ``--host-resolver-rules`` (browser.py maps every host named here to
this server's port), so the extension sees the real host names its host_permissions and the
companion's adapters expect. The certificate comes from a throwaway trustme CA; Chromium is run
with ``--ignore-certificate-errors`` and never sees a real site.
"""

from __future__ import annotations

import http.server
import json
import ssl
import threading
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import trustme

from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "sites"
BEACON_PATH = "/__beacon"

# The fixture folders whose pages the extension tests open, each under its own URL.
SITE_ADAPTERS = ("linkedin", "x", "github", "bluesky", "mastodon", "wantedly", "eight")

# Mastodon's fixtures were captured on made-up instances the extension has no host permission
# for; the same pages are also served under real instances it does list, with every mention of
# the made-up host name changed to the real one (as the page would be on that instance).
MASTODON_ALIASES = {
    "https://mastodon.social/@misaki": "mastodon/ja-profile",
    "https://mstdn.jp/@oliver": "mastodon/v3-public-profile",
}


@dataclass(frozen=True)
class Fixture:
    """One saved page: tests/fixtures/sites/<adapter>/<case>.html and its .json."""

    name: str  # "<adapter>/<case>"
    url: str
    html: bytes
    meta: dict

    @property
    def expected(self) -> dict:
        return self.meta["expected"]

    @property
    def display_name(self) -> str:
        return self.expected["profile"]["display_name"]

    @property
    def message_count(self) -> int:
        return len(self.expected["thread"]["messages"])

    def moved_to(self, url: str) -> "Fixture":
        """The same page on another host: the host name in its markup follows the URL."""
        old, new = urlsplit(self.url).hostname, urlsplit(url).hostname
        html = self.html.replace(old.encode(), new.encode())
        return Fixture(self.name, url, html, self.meta)


def load_fixture(name: str) -> Fixture:
    base = FIXTURES / name
    meta = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
    return Fixture(name, meta["url"], base.with_suffix(".html").read_bytes(), meta)


def mapped_hosts() -> set[str]:
    """Every host the local server answers for; browser.py maps these and nothing else."""
    return {route_key(f.url)[0] for f in site_fixtures()}


def site_fixtures() -> list[Fixture]:
    out = [load_fixture(f"{adapter}/{path.stem}") for adapter in SITE_ADAPTERS
           for path in sorted((FIXTURES / adapter).glob("*.html"))]
    out += [load_fixture(name).moved_to(url) for url, name in MASTODON_ALIASES.items()]
    return out


def route_key(url: str) -> tuple[str, str]:
    """(host, path) with percent-escapes decoded, so a browser's and a fixture's spelling of
    the same path meet; the query string is ignored as a real site would for a profile."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), unquote(parts.path or "/")


@dataclass
class Hit:
    host: str
    path: str
    status: int


@dataclass
class LocalSites:
    """The running server: add pages, read what was asked for."""

    port: int
    pages: dict[tuple[str, str], bytes] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, url: str, html: str | bytes) -> str:
        body = html.encode("utf-8") if isinstance(html, str) else html
        with self.lock:
            self.pages[route_key(url)] = body
        return url

    def add_fixture(self, fixture: Fixture) -> str:
        return self.add(fixture.url, fixture.html)

    def beacon_hits(self) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path.startswith(BEACON_PATH)]

    def clear_hits(self) -> None:
        with self.lock:
            self.hits.clear()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sites: LocalSites  # set on the subclass made per server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        key = route_key(f"https://{host}{self.path}")
        body = self.sites.pages.get(key)
        status = 200 if body is not None else (204 if key[1].startswith(BEACON_PATH) else 404)
        with self.sites.lock:
            self.sites.hits.append(Hit(host, key[1], status))
        if body is None:
            body = b"" if status == 204 else b"<!DOCTYPE html><title>404</title><p>not here</p>"
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # a beacon may be a POST; nothing else is ever posted here

    def log_message(self, format: str, *args) -> None:  # quiet: hits are recorded instead
        pass


class SitesServer:
    """``with SitesServer(hosts) as sites:`` serves HTTPS on 127.0.0.1:<free port>."""

    def __init__(self, hosts: set[str] | list[str]):
        self.ca = trustme.CA()
        cert = self.ca.issue_cert(*sorted(set(hosts) | {"127.0.0.1"}))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        handler = type("Handler", (_Handler,), {})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.sites = LocalSites(self.httpd.server_address[1])
        handler.sites = self.sites
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="local-sites",
                                       daemon=True)

    def __enter__(self) -> LocalSites:
        self.thread.start()
        return self.sites

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


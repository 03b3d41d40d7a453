"""The test rig itself: the extension loads with its fixed id, the fixture sites answer under
their real host names, and nothing leaves the machine."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.extension.browser import EXTENSION_ID
from tests.extension.sites import load_fixture, mapped_hosts

LOOPBACK = {"127.0.0.1", "localhost"}


def test_extension_loads_unpacked_with_its_fixed_id(unpaired):
    """The id comes from the service worker's URL; manifest.json's "key" fixes it, and the
    companion's default GOEN_EXTENSION_IDS allows exactly that one."""
    assert unpaired.extension_id == EXTENSION_ID
    manifest = unpaired.evaluate("() => chrome.runtime.getManifest()")
    assert manifest["manifest_version"] == 3


def test_fixture_pages_are_served_under_their_real_host_names(unpaired, local_sites):
    fixture = load_fixture("linkedin/profile-ja")
    page = unpaired.open(fixture.url)
    assert urlsplit(page.url).hostname == "www.linkedin.com"
    assert page.evaluate("location.protocol") == "https:"
    assert page.evaluate("document.characterSet") == "UTF-8"
    assert "高橋 美咲" in page.inner_text("body")
    assert any(hit.host == "www.linkedin.com" and hit.status == 200
               for hit in local_sites.hits)


def test_no_request_reaches_the_internet(unpaired):
    """Fixture pages name real CDNs (media.licdn.com, pbs.twimg.com, …): each such request
    must fail to resolve, and so must a page and a service-worker fetch of an unmapped host.
    Every request that did get an answer went to loopback or to the local sites server."""
    hosts = mapped_hosts()
    for name in ("linkedin/profile-ja", "x/profile-ja", "github/profile-ja"):
        unpaired.open(load_fixture(name).url)
    page = unpaired.context.new_page()
    try:
        page.goto("https://example.org/", wait_until="load")
        raise AssertionError("https://example.org/ loaded: the internet is reachable")
    except Exception as exc:  # Playwright's Error for the failed navigation
        assert "ERR_NAME_NOT_RESOLVED" in str(exc), exc
    fetched = unpaired.evaluate("""async () => {
        try { await fetch('https://www.example.com/'); return 'answered'; }
        catch (e) { return 'failed: ' + e.message; }
    }""")
    assert fetched.startswith("failed"), fetched

    outside = []
    for url in unpaired.requests.urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "ws", "wss"):
            continue  # chrome-extension:, data:, about:
        if parts.hostname in LOOPBACK or parts.hostname in hosts:
            continue
        outside.append(url)
        assert "ERR_NAME_NOT_RESOLVED" in unpaired.requests.failures.get(url, ""), (
            f"{url} was not blocked: {unpaired.requests.failures.get(url)!r}")
    # the pages really tried: the block above was exercised, not vacuously true
    assert any("licdn.com" in url for url in outside), outside
    assert any("twimg.com" in url for url in outside), outside

"""Scraped text is shown as text (/work/shared/SECURITY.md, threat 3): a contact whose name is
a script and whose headline, bio and last message are <img onerror> payloads is rendered
literally by the popup, and no beacon is ever requested. The same payloads put into a
deliberately unsafe page (innerHTML) do hit the beacon, so this test can fail."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.extension.browser import by_testid
from tests.extension.companion_api import api
from tests.extension.sites import BEACON_PATH, load_fixture

PROFILE = load_fixture("github/profile-ja")
TAG = "<img src=x onerror=alert(1)>"  # tags are 60 characters at most
NAME = f"<script>fetch('{BEACON_PATH}')</script>"
IMG = f"<img src=x onerror=\"fetch('https://www.linkedin.com{BEACON_PATH}?from=img')\">"
UNSAFE_URL = "https://www.linkedin.com/goen-test/unsafe"
UNSAFE_PAGE = """<!DOCTYPE html><meta charset="utf-8"><title>unsafe on purpose</title>
<div id="out"></div>
<script>
  const contact = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  // what a popup must never do: scraped text as markup
  document.getElementById('out').innerHTML =
      '<h1>' + contact.display_name + '</h1><p>' + contact.headline + '</p>';
</script>"""


def hostile_contact(companion) -> dict:
    status, saved = api(companion, "POST", "/captures",
                        {"url": PROFILE.url, "kind": "profile",
                         "html": PROFILE.html.decode("utf-8")})
    assert status == 201, saved
    contact_id = saved["contact"]["id"]
    status, contact = api(companion, "PATCH", f"/contacts/{contact_id}",
                          {"display_name": NAME, "headline": IMG, "bio": IMG,
                           "organisation": IMG, "tags": [TAG]})
    assert status == 200, contact
    status, _ = api(companion, "POST", f"/contacts/{contact_id}/interactions",
                    {"kind": "message", "direction": "in", "text": IMG})
    assert status == 201
    return contact


def beacon_requests(browser, local_sites) -> list[str]:
    hits = [f"https://{h.host}{h.path}" for h in local_sites.beacon_hits()]
    return hits + [url for url in browser.requests.urls if BEACON_PATH in url]


def test_hostile_contact_is_rendered_as_text(ext, companion, local_sites):
    hostile_contact(companion)
    page = ext.open(PROFILE.url)
    popup = ext.open_popup(ext.tab_id(page.url), state="known")

    expect(by_testid(popup, "contact-name")).to_have_text(NAME)
    expect(by_testid(popup, "contact-headline")).to_contain_text(IMG)
    expect(by_testid(popup, "last-interaction")).to_contain_text(IMG)
    assert popup.locator('img[src="x"]').count() == 0
    assert popup.locator("script").evaluate_all(
        "scripts => scripts.filter(s => s.textContent.includes('beacon')).length") == 0
    popup.wait_for_timeout(1000)  # an onerror would fire within this
    assert beacon_requests(ext, local_sites) == []


def test_the_beacon_check_can_fail(ext, local_sites):
    """The control: an unsafe page rendering the same payloads gets beacon hits."""
    import json
    from urllib.parse import quote

    local_sites.add(UNSAFE_URL, UNSAFE_PAGE)
    contact = json.dumps({"display_name": NAME, "headline": IMG})
    ext.open(f"{UNSAFE_URL}#{quote(contact)}")
    deadline = time.monotonic() + 5
    while not local_sites.beacon_hits() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert beacon_requests(ext, local_sites), "the unsafe page sent no beacon"

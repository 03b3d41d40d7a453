"""The contacts and network pages in real headless Chromium, on the generated network served by
the real companion: search finds a person by reading as the user types; the network draws
(the WebGL canvas is not blank) and the path finder shows a path with its draft; scraped text
put into these pages by their scripts runs nothing (SECURITY.md's beacon test)."""

from __future__ import annotations

import re
import struct
import zlib
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.extension.companion_api import api, query
from tests.extension.test_xss import NAME, hostile_contact
from tests.web.test_pages_browser import BEACON, assert_secure_html


def distinct_pixels(png: bytes) -> int:
    """How many distinct RGB(A) pixel values a PNG holds (its filtered scanlines inflated and
    read with their filters undone for the common "none" and "sub" cases is enough to tell a
    blank canvas, a handful of values, from a drawn graph, hundreds)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, channels = 8, b"", 0, 4
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        data = png[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width = struct.unpack(">I", data[:4])[0]
            channels = {2: 3, 6: 4}.get(data[9], 4)
        elif kind == b"IDAT":
            idat += data
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels + 1
    seen = set()
    for row in range(len(raw) // stride):
        line = raw[row * stride + 1:(row + 1) * stride]
        for x in range(0, len(line), channels * 7):
            seen.add(bytes(line[x:x + channels]))
    return len(seen)


def a_reading(server) -> tuple[str, str]:
    """A contact's reading that only that contact has (the search must find exactly them)."""
    rows = query(server, "SELECT display_name, reading FROM contacts WHERE reading IS NOT NULL"
                 " AND length(reading) >= 4 GROUP BY reading HAVING COUNT(*) = 1 LIMIT 1")
    assert rows, "the generated network has no readings"
    return rows[0]


def test_search_finds_a_person_by_reading_as_the_user_types(web):
    name, reading = a_reading(web.server)
    response = web.goto("/contacts")
    assert response.status == 200
    assert_secure_html(response)
    total = int(web.page.get_by_test_id("contact-total").get_attribute("data-total"))
    assert total >= 300
    web.page.get_by_test_id("contact-q").fill(reading)
    expect(web.page.get_by_test_id("contact-row")).to_have_count(1)
    expect(web.page.get_by_test_id("contact-name")).to_have_text(name)
    expect(web.page.get_by_test_id("contact-total")).to_have_attribute("data-total", "1")
    assert "q=" in web.page.url                       # the search can be bookmarked
    # the same search in katakana (the index folds kana)
    katakana = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in reading)
    web.page.get_by_test_id("contact-q").fill(katakana)
    expect(web.page.get_by_test_id("contact-name")).to_have_text(name)
    web.page.reload()
    expect(web.page.get_by_test_id("contact-name")).to_have_text(name)
    web.page.get_by_test_id("contact-name").click()
    expect(web.page.locator("main")).to_contain_text(name)
    assert web.problems() == []


def test_the_next_page_link_walks_the_list(web):
    web.goto("/contacts")
    first = web.page.get_by_test_id("contact-name").all_text_contents()
    assert len(first) == 50
    web.page.get_by_test_id("contact-next").click()
    expect(web.page.get_by_test_id("contact-first")).to_be_visible()
    second = web.page.get_by_test_id("contact-name").all_text_contents()
    assert len(second) == 50 and not set(first) & set(second)
    assert web.problems() == []


def test_the_network_draws_and_the_path_finder_shows_a_path(web):
    target = None
    for (contact_id, name) in query(web.server, "SELECT id, display_name FROM contacts"
                                    " ORDER BY id DESC LIMIT 60"):
        status, found = api(web.server, "GET", f"/network/paths?to={contact_id}&k=1")
        if status == 200 and found["paths"]:
            target = (contact_id, name, found["paths"][0])
            break
    assert target, "no one in the generated network can be reached through a friend"
    response = web.goto("/network")
    assert_secure_html(response)
    graph = web.page.get_by_test_id("network-graph")
    expect(graph).to_have_attribute("data-ready", "true", timeout=60_000)
    expect(web.page.get_by_test_id("network-status")).to_contain_text("300")
    web.page.wait_for_timeout(300)
    assert distinct_pixels(web.page.locator("#graph").screenshot()) > 30, "the canvas is blank"
    contact_id, name, path = target
    web.page.get_by_test_id("reach-input").fill(name)
    web.page.get_by_test_id("reach-go").click()
    expect(web.page.get_by_test_id("path").first).to_be_visible()
    first = web.page.get_by_test_id("path").first
    expect(first).to_contain_text(name)
    expect(first).to_contain_text(path["names"][0])
    expect(web.page.get_by_test_id("path-draft").first).to_have_value(path["draft"]["text"])
    # a filter leaves the page working; an unknown name is said plainly
    web.page.locator('input[name="kind"][value="same_org"]').uncheck()
    web.page.get_by_test_id("reach-input").fill("nobody by this name")
    web.page.get_by_test_id("reach-go").click()
    expect(web.page.get_by_test_id("path")).to_have_count(0)
    expect(web.page.get_by_test_id("reach-status")).not_to_be_empty()
    assert web.problems() == []


def test_scraped_names_put_in_by_the_page_scripts_run_nothing(web):
    contact = hostile_contact(web.server)
    dialogs = []
    web.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for lang in ("ja", "en"):
        web.set_language(lang)
        web.goto("/contacts")
        web.page.get_by_test_id("contact-q").fill("script")      # rows drawn by contacts.js
        expect(web.page.get_by_test_id("contact-name").first).to_have_text(NAME)
        web.goto("/network")
        expect(web.page.get_by_test_id("network-graph")).to_have_attribute(
            "data-ready", "true", timeout=60_000)
        web.page.get_by_test_id("reach-input").fill("script")   # suggestions from the search
        web.page.get_by_test_id("reach-input").fill(NAME)
        web.page.get_by_test_id("reach-go").click()
        expect(web.page.get_by_test_id("reach-status")).not_to_be_empty()
    assert web.page.locator('img[src="x"]').count() == 0
    web.page.wait_for_timeout(1000)     # an onerror would have fired by now
    # a request *to* the beacon, not a search whose text names it
    assert [u for u in web.requests if BEACON in urlsplit(u).path] == []
    assert dialogs == []
    assert contact["id"]


def test_an_event_made_in_the_page_links_the_people_met_there(web):
    name, reading = a_reading(web.server)
    web.goto("/events")
    web.page.get_by_test_id("event-name-input").fill("物流Rust勉強会 #3")
    web.page.get_by_test_id("event-date-input").fill("2026-10-03")
    web.page.get_by_test_id("event-save").click()
    expect(web.page.get_by_test_id("event-title")).to_have_text("物流Rust勉強会 #3")
    web.page.get_by_test_id("event-who").fill(reading)
    web.page.get_by_test_id("event-add").click()
    expect(web.page.get_by_test_id("event-person")).to_have_count(1)
    expect(web.page.get_by_test_id("event-person")).to_contain_text(name)
    # a name that fits nobody is said in the form, nothing is added
    web.page.get_by_test_id("event-who").fill("誰でもない人")
    web.page.get_by_test_id("event-add").click()
    expect(web.page.locator(".form-error")).to_contain_text("No contact matches")
    expect(web.page.get_by_test_id("event-person")).to_have_count(1)
    web.page.get_by_test_id("event-person").get_by_role("link").click()
    expect(web.page.get_by_test_id("timeline-event")).to_contain_text("物流Rust勉強会 #3")
    assert [p for p in web.problems() if "400" not in p] == []   # the refused add answered 400


def test_a_click_on_a_person_in_the_graph_opens_their_page(web):
    web.goto("/network")
    expect(web.page.get_by_test_id("network-graph")).to_have_attribute(
        "data-ready", "true", timeout=60_000)
    box = web.page.locator("#graph").bounding_box()
    # the strongest tie's dot, where sigma drew it
    spot = web.page.evaluate("""() => {
      const h = document.getElementById('graph').goenGraph;
      let best = null;
      h.graph.forEachNode((key, a) => { if (!best || a.size > best[1].size) best = [key, a]; });
      const d = h.sigma.getNodeDisplayData(best[0]);
      const p = h.sigma.framedGraphToViewport(d);
      return {id: best[1].contactId, x: p.x, y: p.y};
    }""")
    web.page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    web.page.wait_for_url(re.compile(r"/contacts/\d+$"))
    expect(web.page.get_by_test_id("person-head")).to_be_visible()
    assert web.problems() == []

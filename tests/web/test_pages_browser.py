"""The web view's Today, person and Settings pages in real headless Chromium, on a generated
300-person network served by the real companion: each page renders in Japanese and English
with no console error and the CSP header; a note edited in the page persists; the copy button
copies; the draft check answers on edit; SECURITY.md's XSS test (zero beacon hits, and the
same check catches a deliberately unsafe page)."""

from __future__ import annotations

import re
import time
from urllib.parse import quote

from playwright.sync_api import expect

from tests.extension.companion_api import api, query
from tests.extension.test_xss import IMG, NAME, hostile_contact

CSP_REQUIRED = ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                "frame-ancestors 'none'")
BEACON = "__beacon"


def assert_secure_html(response) -> None:
    headers = response.all_headers()
    csp = headers["content-security-policy"]
    for directive in CSP_REQUIRED:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def first_suggested_person(web) -> str:
    web.goto("/")
    link = web.page.get_by_test_id("suggestion-person").first
    expect(link).to_be_visible()
    return link.get_attribute("href")


def test_each_page_renders_in_both_languages_without_errors(web):
    person = first_suggested_person(web)
    headings = {"ja": {"/": "今日", person: "タイムライン", "/settings": "設定",
                       "/duplicates": "同一人物の候補", "/import": "取り込"},
                "en": {"/": "Today", person: "Timeline", "/settings": "Settings",
                       "/duplicates": "The same person twice?", "/import": "Import"}}
    for lang in ("ja", "en"):
        web.set_language(lang)
        for path, heading in headings[lang].items():
            started = time.perf_counter()
            response = web.goto(path)
            assert response.status == 200, path
            assert_secure_html(response)
            expect(web.page.locator("html")).to_have_attribute("lang", lang)
            expect(web.page.locator("main")).to_contain_text(heading)
            assert time.perf_counter() - started < 10, path
    web.goto("/")
    expect(web.page.get_by_test_id("suggestion").first).to_be_visible()
    expect(web.page.get_by_test_id("today-promises")).to_be_visible()
    web.page.wait_for_timeout(300)
    assert web.problems() == []


def test_a_page_without_the_session_explains_how_to_open_it(chromium, companion):
    context = chromium.new_context()
    try:
        page = context.new_page()
        response = page.goto(f"{companion.base_url}/settings")
        assert response.status == 403
        assert_secure_html(response)
        expect(page.get_by_test_id("error")).to_contain_text("ワンタイムのリンク")
        assert "goen" not in page.content().lower()     # no product name without a session
        assert page.locator("form").count() == 0
    finally:
        context.close()


def test_editing_a_note_persists_across_reload(web):
    person = first_suggested_person(web)
    web.goto(person)
    page = web.page
    new = page.get_by_test_id("note-new")
    new.locator("textarea").fill("勉強会で会った。次回は資料を共有する。")
    new.get_by_role("button").click()
    # the page loads again with the note (app.js sends the form, then reloads)
    note = page.get_by_test_id("note").filter(has_text="勉強会で会った")
    expect(note).to_be_visible()
    note.locator("summary").click()
    note.get_by_test_id("note-edit").locator("textarea").fill("PyCon JP の勉強会で会った。")
    note.get_by_test_id("note-edit").get_by_role("button").click()
    expect(page.get_by_test_id("note-body").filter(has_text="PyCon JP")).to_be_visible()
    page.reload()
    bodies = page.get_by_test_id("note-body").all_text_contents()
    assert "PyCon JP の勉強会で会った。" in bodies
    assert "勉強会で会った。次回は資料を共有する。" not in bodies
    contact_id = int(re.search(r"/contacts/(\d+)", person)[1])
    assert query(web.server, "SELECT body FROM notes WHERE contact_id = ?", contact_id) == [
        ("PyCon JP の勉強会で会った。",)]
    assert web.problems() == []


def test_the_copy_button_copies_the_draft(web):
    web.page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                       origin=web.server.base_url)
    web.goto("/")
    card = web.page.get_by_test_id("suggestion").filter(
        has=web.page.get_by_test_id("draft-text")).first
    draft = card.get_by_test_id("draft-text").first
    draft.fill("Thanks again for the Kobe workshop notes, Aiko.")
    button = card.get_by_test_id("copy").first
    button.click()
    expect(button).to_have_class(re.compile(r"\bdone\b"))
    copied = web.page.evaluate("() => navigator.clipboard.readText()")
    assert copied == "Thanks again for the Kobe workshop notes, Aiko."
    assert web.problems() == []


def test_the_draft_check_answers_on_edit(web):
    web.goto("/")
    card = web.page.get_by_test_id("suggestion").filter(
        has=web.page.get_by_test_id("draft-text")).first
    card.get_by_test_id("draft-text").first.fill("Hope you are well! Let's catch up soon.")
    result = card.get_by_test_id("check-result").first
    expect(result).to_have_class(re.compile(r"\bflagged\b"))
    expect(result.locator("li").first).to_be_visible()
    assert web.problems() == []


def test_hostile_scraped_text_runs_nothing(web):
    """SECURITY.md's XSS test on these pages: a contact named <script>…</script> whose headline
    and bio are <img onerror> payloads, on every page in both languages: zero beacon hits."""
    contact = hostile_contact(web.server)
    status, _ = api(web.server, "POST", f"/contacts/{contact['id']}/notes", {"body": IMG})
    assert status == 201
    dialogs = []
    web.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    paths = ["/", f"/contacts/{contact['id']}", f"/contacts/{contact['id']}/delete", "/settings"]
    for lang in ("ja", "en"):
        web.set_language(lang)
        for path in paths:
            response = web.goto(path)
            assert response.status == 200
            assert_secure_html(response)
    web.goto(f"/contacts/{contact['id']}")
    expect(web.page.get_by_test_id("contact-name")).to_have_text(NAME)
    expect(web.page.get_by_test_id("contact-headline")).to_have_text(IMG)
    expect(web.page.get_by_test_id("note-body").first).to_have_text(IMG)
    assert web.page.locator('img[src="x"]').count() == 0
    web.page.wait_for_timeout(1000)     # an onerror would have fired by now
    assert [u for u in web.requests if BEACON in u] == []
    assert dialogs == []


def test_the_beacon_check_can_fail(web):
    """The control: the same payloads through innerHTML on a page without our CSP do reach the
    beacon, so the check above can fail."""
    unsafe = f"{web.server.base_url}/__unsafe-on-purpose"
    web.page.route(unsafe, lambda route: route.fulfill(
        status=200, content_type="text/html",
        body="<!DOCTYPE html><div id=out></div><script>"
             "document.getElementById('out').innerHTML ="
             " decodeURIComponent(location.hash.slice(1));</script>"))
    web.page.goto(f"{unsafe}#{quote(IMG.replace('https://www.linkedin.com', ''))}")
    deadline = time.monotonic() + 5
    while not [u for u in web.requests if BEACON in u] and time.monotonic() < deadline:
        web.page.wait_for_timeout(50)
    assert [u for u in web.requests if BEACON in u], "the unsafe page sent no beacon"


def test_screenshots_are_kept_in_both_languages(web, tmp_path):
    """What a failing test leaves behind (conftest.save_screenshots), tried on a passing one."""
    from tests.web.conftest import save_screenshots

    web.goto("/settings")
    saved = save_screenshots(web, "selftest", folder=tmp_path)
    assert sorted(p.name for p in saved) == ["selftest-en.png", "selftest-ja.png"]
    assert all(p.stat().st_size > 1000 for p in saved)
    assert web.lang == "ja"             # switched back

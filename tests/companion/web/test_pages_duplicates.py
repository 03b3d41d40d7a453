"""The same person twice (pages_duplicates.py) through Flask's test client: proposals listed
with their reasons, accept (keeping the chosen one), not now, not the same person, the merge
undone from the page, the session and CSRF rules, and escaping."""

from __future__ import annotations

from companion.adapters.base import Profile
from companion.db import utc_now
from companion.services.identity import _create_contact
from companion.services.matching import proposals
from tests.companion.web.test_pages import CSP, HOSTILE, csrf_of, post, web  # noqa: F401
from tests.helpers import make_client


def add(db, name: str, org: str) -> int:
    with db.transaction() as conn:
        return _create_contact(conn, Profile(display_name=name, organisation=org), utc_now())


def exists(db, contact_id: int) -> bool:
    return db.query_one("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)) is not None


def looked_for(web) -> str:
    csrf = csrf_of(web.get("/duplicates").get_data(as_text=True))
    assert post(web, "/duplicates/refresh", {}, csrf=csrf).status_code == 303
    return web.get("/duplicates").get_data(as_text=True)


def test_the_page_needs_the_session_and_a_change_needs_the_csrf_token(app, web, db):
    assert make_client(app).get("/duplicates").status_code == 403
    page = web.get("/duplicates")
    assert page.status_code == 200 and page.headers["Content-Security-Policy"] == CSP
    assert 'data-testid="dup-none"' in page.get_data(as_text=True)
    assert post(web, "/duplicates/refresh", {}, csrf="wrong").status_code == 403


def test_a_likely_pair_is_shown_and_accepted_keeping_the_chosen_one(app, web, db):
    a, b = add(db, "山田太郎", "株式会社クモ"), add(db, "やまだ たろう", "クモ(株)")
    html = looked_for(web)
    assert html.count('data-testid="dup-proposal"') == 1
    assert "山田太郎" in html and "やまだ たろう" in html and 'data-testid="dup-reasons"' in html
    [proposal] = proposals.list_proposals(db).proposals
    csrf = csrf_of(html)
    answer = post(web, f"/duplicates/{proposal.id}/accept", {"keep": str(b)}, csrf=csrf)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/contacts/{b}")
    assert exists(db, b) and not exists(db, a)
    # the merge is listed with an undo, which brings both back
    html = web.get("/duplicates").get_data(as_text=True)
    assert 'data-testid="dup-none"' in html and 'data-testid="dup-undo"' in html
    merge_id = db.query_one("SELECT id FROM merges")[0]
    undone = post(web, f"/merges/{merge_id}/undo", {}, csrf=csrf_of(html))
    assert undone.status_code == 303 and undone.headers["Location"].endswith(f"/contacts/{a}")
    assert exists(db, a) and exists(db, b)
    assert "元に戻しました" in web.get("/duplicates").get_data(as_text=True)
    # not left "accepted" (which would hide the pair for good): "not now" until new evidence
    assert db.query_one("SELECT status FROM identity_proposals WHERE id = ?",
                        (proposal.id,))[0] == "rejected"


def test_not_the_same_person_is_never_proposed_again_and_not_now_hides_it(app, web, db):
    add(db, "山田太郎", "株式会社クモ"), add(db, "やまだ たろう", "クモ(株)")
    html = looked_for(web)
    [proposal] = proposals.list_proposals(db).proposals
    assert post(web, f"/duplicates/{proposal.id}/not-same", {},
                csrf=csrf_of(html)).status_code == 303
    assert 'data-testid="dup-proposal"' not in looked_for(web)
    add(db, "Ken Moriwaki", "Kumo Logistics"), add(db, "KEN MORIWAKI", "Kumo Logistics")
    html = looked_for(web)
    [other] = proposals.list_proposals(db).proposals
    assert post(web, f"/duplicates/{other.id}/reject", {}, csrf=csrf_of(html)).status_code == 303
    assert 'data-testid="dup-proposal"' not in web.get("/duplicates").get_data(as_text=True)


def test_a_keep_that_is_not_a_number_is_refused_and_names_are_escaped(app, web, db):
    add(db, HOSTILE, "Kumo Logistics"), add(db, HOSTILE + " ", "Kumo Logistics")
    html = looked_for(web)
    assert HOSTILE not in html            # escaped, never raw
    found = proposals.list_proposals(db).proposals
    assert found and "&lt;script&gt;" in html
    for p in found:
        refused = post(web, f"/duplicates/{p.id}/accept", {"keep": "x"}, csrf=csrf_of(html))
        assert refused.status_code == 400


def test_the_page_in_english(app, web, db):
    add(db, "山田太郎", "株式会社クモ"), add(db, "やまだ たろう", "クモ(株)")
    html = looked_for(web)
    assert "同一人物の候補" in html and "同じ人：統合する" in html
    assert post(web, "/settings/language", {"language": "en", "next": "/duplicates"},
                csrf=csrf_of(html)).status_code == 303
    html = web.get("/duplicates").get_data(as_text=True)
    assert "The same person twice?" in html and "Same person: merge" in html
    assert "同一人物の候補" not in html

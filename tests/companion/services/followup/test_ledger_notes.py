"""Ledger entries read from notes: the rules sentence by sentence (Japanese and English, what
happened and the tempting things that did not), and the store through the real API — a note's
entries, reading it again, the user's word over them, editing and deleting notes and contacts."""

from __future__ import annotations

import pytest

from companion import db as dbmod
from companion.db import Database
from companion.services.followup import ledger, updates
from companion.services.followup.ledger_notes import read_note
from companion.services.reparse import reparse
from tests.companion.services.followup.store_helpers import (  # noqa: F401  (fixtures)
    frozen_clock, log, me_app, me_client, me_db, person)

G, R = "given", "received"


def pairs(text: str) -> list[tuple[str, str]]:
    return [(e.flow, e.kind) for e in read_note(text)]


# -- the rules ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # given: the user did it
    ("田中さんを紹介した。", [(G, "introduction")]),
    ("山田さんに佐藤さんを紹介しました。", [(G, "introduction")]),
    ("見積もりのテンプレートを共有した。", [(G, "information")]),
    ("昨日、弁護士の先生をご紹介した。", [(G, "introduction")]),
    ("紹介させていただいた。", [(G, "introduction")]),          # humble: still mine
    ("田中さんは紹介済み。", [(G, "introduction")]),
    ("先方の部長につないであげた。", [(G, "introduction")]),
    ("A社の鈴木さんと引き合わせた。", [(G, "introduction")]),
    ("資料をお送りしました。", [(G, "information")]),
    ("Pythonの勉強会の資料を作って渡した。", [(G, "information")]),
    ("資金調達の進め方についてアドバイスした。", [(G, "help")]),
    ("登壇資料のレビューをしてあげた。", [(G, "help")]),
    ("面接の練習に付き合った。", [(G, "help")]),
    ("昇進祝いにランチをご馳走した。", [(G, "other")]),
    ("誕生日プレゼントを渡した。", [(G, "other")]),
    ("紹介したところ、とても喜ばれた。", [(G, "introduction")]),
    # received: done for the user
    ("転職の相談に乗ってもらった。", [(R, "help")]),
    ("資料を送ってもらった。", [(R, "information")]),
    ("ご紹介いただきました。", [(R, "introduction")]),
    ("投資家の小林さんを紹介していただいた。", [(R, "introduction")]),
    ("紹介を受けた。", [(R, "introduction")]),
    ("彼女の会社の採用担当者とつないでもらった。", [(R, "introduction")]),
    ("彼女は以前、投資家を紹介してくれたことがある。", [(R, "introduction")]),
    ("田中さんから資料が届いた。", [(R, "information")]),
    ("業界レポートを共有いただいた。", [(R, "information")]),
    ("いろいろ教わった。", [(R, "information")]),
    ("勉強会の会場を手配してくれた。", [(R, "help")]),
    ("事業計画書にコメントをもらった。", [(R, "help")]),
    ("留学用の推薦状を書いてもらった。", [(R, "help")]),
    ("紹介状を書いてもらった。", [(R, "introduction")]),
    ("履歴書の添削をお願いしたら、すぐに見てくれた。", [(R, "help")]),
    ("ご指導いただいた。", [(R, "help")]),
    ("京都出張のお土産をいただいた。", [(R, "other")]),
    ("カメラを借りた。", [(R, "other")]),
    ("会食の際、ご馳走になった。", [(R, "other")]),
    # one sentence, both ways
    ("市場調査のデータを共有してもらい、こちらからは競合の分析レポートを送った。",
     [(R, "information"), (G, "information")]),
    # one entry per sentence and flow
    ("ピッチの練習を見てもらって、細かくフィードバックをもらった。", [(R, "help")]),
    # not a deed: plans, wishes, negations, questions, requests, hearsay, others' doings
    ("来週、木村さんを紹介する予定。", []),
    ("紹介しようと思う。", []),
    ("紹介したい。", []),
    ("資料を送ろうと思ったが、まだ送っていない。", []),
    ("紹介しませんでした。", []),
    ("紹介してもらったことはない。", []),
    ("資料を送ってもらえますか、と聞かれた。", []),
    ("資料を送ってください。", []),
    ("紹介してほしいと頼まれた。", []),
    ("紹介したそうだ。", []),
    ("前職の同僚を何人か紹介したいと言っていた。", []),
    ("資料を送ったか確認したい。", []),
    ("紹介してもらったら助かる。", []),
    ("手伝ってもらっている。", []),
    ("資料を送ってもらう約束をした。", []),
    ("推薦状を書く約束をした。", []),
    ("来月のイベントで登壇者を紹介してもらうことになった。", []),
    ("彼が佐藤さんを紹介した。", []),
    ("紹介された人とは会えなかった。", []),
    ("自己紹介した。", []),
    ("お礼のメールを送った。", []),
    ("連絡をもらった。", []),
    ("資料を確認した。", []),
    ("来週資料を送ります。", []),
    ("相談した。", []),
    ("来月、大阪に引っ越すそうです。", []),
    ("「資料を送ります」と言われた。", []),                   # quoted: not a deed
    ("資料を送ってもらえますか？", []),
])
def test_japanese_sentences(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize("text, expected", [
    # given
    ("Introduced her to Ken at Acme.", [(G, "introduction")]),
    ("I introduced her to Ken.", [(G, "introduction")]),
    ("Introduced Maya and Tom over email; they hit it off.", [(G, "introduction")]),
    ("Made an intro to the recruiter at Pinecrest for her.", [(G, "introduction")]),
    ("Shared our vendor comparison spreadsheet with her.", [(G, "information")]),
    ("Sent over the contract.", [(G, "information")]),
    ("Told her about the opening at Lumen.", [(G, "information")]),
    ("Walked him through our onboarding process.", [(G, "information")]),
    ("Helped him prepare for the interview.", [(G, "help")]),
    ("Reviewed her pitch deck.", [(G, "help")]),
    ("Fixed the bug in his side project over the weekend.", [(G, "help")]),
    ("Wrote him a recommendation on LinkedIn.", [(G, "help")]),
    ("Recommended him for the panel at DevSummit.", [(G, "help")]),
    ("Gave her feedback on her conference talk.", [(G, "help")]),
    ("Bought him lunch to celebrate his promotion.", [(G, "other")]),
    ("Sent her flowers for the opening.", [(G, "other")]),
    ("Lent him a book.", [(G, "other")]),
    # received
    ("She sent me the hiring plan template.", [(R, "information")]),
    ("He has shared the report with me.", [(R, "information")]),
    ("He sent over the tax checklist.", [(R, "information")]),
    ("He explained how their equity refresh works.", [(R, "information")]),
    ("Got a great intro to their CTO from him.", [(R, "introduction")]),
    ("He connected me with the head of partnerships at Bluefin.", [(R, "introduction")]),
    ("He put me in touch with a good immigration lawyer.", [(R, "introduction")]),
    ("Introduced me to Ken at Acme.", [(R, "introduction")]),       # no subject: the person
    ("In return she introduced me to two angels.", [(R, "introduction")]),
    ("Got introduced to their CTO through him.", [(R, "introduction")]),
    ("Thanked her for the intro to Jun.", [(R, "introduction")]),
    ("He reviewed my deck.", [(R, "help")]),
    ("She mentored me through my first month as a manager.", [(R, "help")]),
    ("She gave me a few pointers on negotiating the offer.", [(R, "help")]),
    ("Got some solid advice from her on pricing.", [(R, "help")]),
    ("He covered my shift at the booth.", [(R, "help")]),
    ("She lent me her camera for the trip.", [(R, "other")]),
    ("Grabbed dinner; she insisted on paying.", [(R, "other")]),
    ("Borrowed her bike.", [(R, "other")]),
    # one sentence, both ways
    ("He sent over the tax checklist, and I forwarded him the visa guide in return.",
     [(R, "information"), (G, "information")]),
    # not a deed
    ("I'll introduce him to Priya when she's back.", []),
    ("I will send the deck.", []),
    ("Planning to send her the onboarding checklist next week.", []),
    ("Would love to introduce her to Marco at some point.", []),
    ("Didn't get a chance to share the salary benchmarks with him.", []),
    ("Haven't shared the notes yet.", []),
    ("He never sent the slides he promised.", []),
    ("She still hasn't sent the recording.", []),
    ("Did she ever send the board deck?", []),
    ("Did he get the deck I sent?", []),
    ("She said she sent the deck.", []),
    ("He offered to review my resume sometime.", []),
    ("She asked if I could send the doc over.", []),
    ("If I sent him the deck he'd read it.", []),
    ("She introduced him to Marco.", []),                     # between third parties
    ("Introduced myself after her talk.", []),
    ("Introduced by Ken last year.", []),
    ("Sent a thank-you card after the dinner.", []),
    ("Sent him a quick message.", []),
    ("Emailed him to confirm the time for Thursday.", []),
    ("Received a wedding invitation from her.", []),
    ("Reviewed the agenda.", []),
    ("We shared a cab to the airport.", []),
    ("Shared lunch with him.", []),
    ("He told me about his new job.", []),
    ("Gave a talk at the meetup.", []),
    ("Helped out at the event.", []),
    ("Connected on LinkedIn.", []),
    ("She showed me around the office.", []),
    ("He wants an intro to someone at a VC firm.", []),
    ('She said "I sent you the deck".', []),
])
def test_english_sentences(text, expected):
    assert pairs(text) == expected


def test_an_entry_rests_on_its_sentence_trimmed():
    text = "久しぶりにランチ。  田中さんを紹介した。\nShe sent me the hiring plan template.  "
    entries = read_note(text)
    assert [(e.flow, e.kind, e.text) for e in entries] == [
        (G, "introduction", "田中さんを紹介した。"),
        (R, "information", "She sent me the hiring plan template.")]
    for e in entries:
        assert text[e.start:e.end] == e.text


def test_an_empty_or_plain_note_states_nothing():
    assert read_note("") == []
    assert read_note("   \n ") == []
    assert read_note("Caught up over ramen. Mostly talked about his kids.") == []


# -- the store, through the API ----------------------------------------------------------------

def post_note(client, contact: int, body: str) -> dict:
    answer = client.post(f"/api/v1/contacts/{contact}/notes", json={"body": body})
    assert answer.status_code == 201, answer.json
    return answer.json


def entries(client, contact: int) -> list[dict]:
    answer = client.get(f"/api/v1/contacts/{contact}/ledger")
    assert answer.status_code == 200, answer.json
    return answer.json["entries"]


NOTE = ("先週の勉強会のあと、田中さんを紹介した。転職の相談に乗ってもらった。"
        "来月三人でランチの予定。She sent me the hiring plan template.")


def test_a_note_records_its_entries(me_client):
    contact = person(me_client)
    note = post_note(me_client, contact, NOTE)
    found = entries(me_client, contact)
    assert sorted((e["flow"], e["kind"], e["text"]) for e in found) == [
        (G, "introduction", "先週の勉強会のあと、田中さんを紹介した。"),
        (R, "help", "転職の相談に乗ってもらった。"),
        (R, "information", "She sent me the hiring plan template.")]
    for e in found:
        assert (e["note_id"], e["source"], e["fact_id"]) == (note["id"], "note", None)
        assert e["occurred_at"] == note["created_at"] and e["contact_id"] == contact
    ledger_json = me_client.get(f"/api/v1/contacts/{contact}/ledger").json
    assert (ledger_json["given"], ledger_json["received"]) == (1, 2)


def test_the_same_text_twice_is_two_notes_each_with_its_own_entries(me_client, me_db):
    contact = person(me_client)
    first = post_note(me_client, contact, "田中さんを紹介した。田中さんを紹介した。")
    second = post_note(me_client, contact, "田中さんを紹介した。田中さんを紹介した。")
    found = entries(me_client, contact)
    # one per note: the repeated sentence within a note is one entry
    assert sorted(e["note_id"] for e in found) == [first["id"], second["id"]]
    # reading a note again adds nothing
    with me_db.transaction() as conn:
        assert updates.after_note(conn, first["id"]) == []
        assert ledger.sync_for_note(conn, first["id"]) == []
    assert len(entries(me_client, contact)) == 2


def test_a_note_without_a_deed_adds_nothing(me_client):
    contact = person(me_client)
    post_note(me_client, contact, "来週、デザイナーの木村さんを紹介する予定。I'll send her the deck.")
    assert entries(me_client, contact) == []


def test_reparse_derives_them_again_without_duplicates(me_client, me_db, me_app):
    settings = me_app.extensions["goen.settings"]
    contact = person(me_client)
    post_note(me_client, contact, NOTE)
    before = sorted((e["flow"], e["kind"], e["text"]) for e in entries(me_client, contact))
    reparse(me_db, settings)
    assert sorted((e["flow"], e["kind"], e["text"])
                  for e in entries(me_client, contact)) == before
    # a database from before this migration's time: reparse fills the note entries in
    with me_db.transaction() as conn:
        conn.execute("DELETE FROM ledger")
    reparse(me_db, settings)
    assert sorted((e["flow"], e["kind"], e["text"])
                  for e in entries(me_client, contact)) == before


def test_the_users_word_wins_over_an_entry_read_from_a_note(me_client, me_db, me_app):
    settings = me_app.extensions["goen.settings"]
    contact = person(me_client)
    note = post_note(me_client, contact, NOTE)
    [intro] = [e for e in entries(me_client, contact) if e["kind"] == "introduction"]
    # deleted by the user: gone, and reading the note again does not bring it back
    assert me_client.delete(f"/api/v1/ledger/{intro['id']}").status_code == 204
    assert me_client.delete(f"/api/v1/ledger/{intro['id']}").status_code == 404
    reparse(me_db, settings)
    assert "introduction" not in {e["kind"] for e in entries(me_client, contact)}
    # an entry by hand for the same note, flow and kind stands for the one read from it
    mine = me_client.post(f"/api/v1/contacts/{contact}/ledger", json={
        "flow": "received", "kind": "help", "text": "転職の相談", "note_id": note["id"]}).json
    assert mine["source"] == "user"
    found = entries(me_client, contact)
    assert sorted((e["flow"], e["kind"], e["source"]) for e in found) == [
        (R, "help", "user"), (R, "information", "note")]
    reparse(me_db, settings)
    assert len(entries(me_client, contact)) == 2


def test_editing_a_note_replaces_its_entries_and_keeps_the_users(me_client, me_db):
    """Notes have no edit route yet: an edit path changes the body and calls after_note."""
    contact = person(me_client)
    note = post_note(me_client, contact, NOTE)
    mine = me_client.post(f"/api/v1/contacts/{contact}/ledger", json={
        "flow": "given", "kind": "other", "text": "お土産", "note_id": note["id"]}).json
    with me_db.transaction() as conn:
        conn.execute("UPDATE notes SET body = ? WHERE id = ?",
                     ("田中さんを紹介した。Helped him prepare for the interview.", note["id"]))
        updates.after_note(conn, note["id"])
    found = entries(me_client, contact)
    assert sorted((e["flow"], e["kind"], e["source"]) for e in found) == [
        (G, "help", "note"), (G, "introduction", "note"), (G, "other", "user")]
    assert mine["id"] in {e["id"] for e in found}


def test_deleting_a_note_removes_its_entries_but_not_the_users(me_client, me_db):
    """Notes have no delete route yet: the schema removes a deleted note's entries."""
    contact = person(me_client)
    note = post_note(me_client, contact, NOTE)
    mine = me_client.post(f"/api/v1/contacts/{contact}/ledger", json={
        "flow": "given", "kind": "other", "text": "お土産", "note_id": note["id"]}).json
    with me_db.transaction() as conn:
        conn.execute("DELETE FROM notes WHERE id = ?", (note["id"],))
    found = entries(me_client, contact)
    assert [(e["id"], e["note_id"], e["source"]) for e in found] == [(mine["id"], None, "user")]
    assert me_db.query_one("SELECT COUNT(*) FROM ledger WHERE source = 'note'")[0] == 0
    with me_db.transaction() as conn:   # a note that is gone: nothing to read, nothing left
        assert ledger.sync_for_note(conn, note["id"]) == []


def test_deleting_the_contact_removes_them(me_client, me_db):
    contact = person(me_client)
    other = person(me_client, "Ken Ito", "https://x.com/ken_ito")
    post_note(me_client, contact, NOTE)
    post_note(me_client, other, "Introduced her to Ken at Acme.")
    assert me_client.delete(f"/api/v1/contacts/{contact}").status_code == 204
    assert me_client.get(f"/api/v1/contacts/{contact}/ledger").status_code == 404
    rows = me_db.query_all("SELECT contact_id FROM ledger")
    assert [r["contact_id"] for r in rows] == [other]


def test_kept_promises_are_marked_as_such(me_client, frozen_clock):
    contact = person(me_client)
    log(me_client, contact, "I'll send you the deck on Friday.", at="2026-11-20T10:00:00Z")
    log(me_client, contact, "Here's the deck!", at="2026-11-21T10:00:00Z")
    [entry] = entries(me_client, contact)
    assert (entry["source"], entry["note_id"]) == ("promise", None)
    assert entry["fact_id"] is not None


def test_the_migration_marks_earlier_entries_by_their_origin(tmp_path):
    database = Database(tmp_path / "old.sqlite3")
    try:
        conn = database.connect()
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        for migration in dbmod.available_migrations()[:5]:
            for statement in dbmod.split_statements(migration.sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'x')",
                         (migration.version, migration.name))
        conn.execute("INSERT INTO contacts (id, display_name, sort_key, created_at, updated_at)"
                     " VALUES (1, 'A', 'a', 'x', 'x')")
        conn.execute("INSERT INTO facts (id, contact_id, source, kind, whose, stated_at,"
                     " created_at) VALUES (7, 1, 'note:1', 'promise', 'me', 'x', 'x')")
        conn.execute("INSERT INTO ledger (contact_id, flow, kind, fact_id, occurred_at,"
                     " created_at) VALUES (1, 'given', 'help', 7, 'x', 'x'),"
                     " (1, 'received', 'help', NULL, 'x', 'x')")
        assert database.migrate()[0] == 6
        rows = conn.execute("SELECT fact_id, source, hidden_at FROM ledger ORDER BY id")
        assert [tuple(r) for r in rows] == [(7, "promise", None), (None, "user", None)]
    finally:
        database.close()

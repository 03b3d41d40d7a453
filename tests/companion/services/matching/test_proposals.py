"""Identity proposals over the database (services/matching/proposals.py): records of every
contact, certain pairs merged by themselves, likely pairs proposed with reasons, "not now" and
"not the same person" remembered (also through a merge with a third person), accept, the import
hook and the daily job."""

from __future__ import annotations

import json
import logging

import pytest

from companion import jobs
from companion.adapters.base import Profile
from companion.db import utc_now
from companion.errors import ApiError
from companion.services.details import Detail, add_details
from companion.services.identity import _create_contact, _record_identity
from companion.services.imports import import_path
from companion.services.matching import proposals
from companion.services.matching.proposals import (decide, list_proposals, records_for,
                                                   refresh_proposals)
from companion.urls import canonical_profile_url

NOW = "2026-11-27T09:00:00.000Z"


def merge_module():
    from companion.services import merge
    return merge


def add(db, name: str, *, org: str | None = None, reading: str | None = None,
        location: str | None = None, emails=(), urls=(), profiles=(), source="vcard") -> int:
    """A contact as an import or a capture would leave it."""
    with db.transaction() as conn:
        cid = _create_contact(conn, Profile(display_name=name, organisation=org,
                                            reading=reading, location=location), utc_now())
        add_details(conn, cid, [Detail("email", e) for e in emails]
                    + [Detail("url", u) for u in urls]
                    + [Detail("import_key", f"key-{cid}")], source, utc_now())
        for url in profiles:
            _record_identity(conn, cid, canonical_profile_url(url), name, utc_now())
    return cid


def exists(db, cid: int) -> bool:
    return db.query_one("SELECT 1 FROM contacts WHERE id = ?", (cid,)) is not None


def rows(db) -> list[dict]:
    return [dict(r) for r in db.query_all(
        "SELECT id, a_id, b_id, status, verdict, score FROM identity_proposals ORDER BY id")]


def open_pairs(db) -> set[tuple[int, int]]:
    return {(p.a.id, p.b.id) for p in list_proposals(db).proposals}


def yamada_pair(db) -> tuple[int, int]:
    a = add(db, "山田太郎", org="株式会社クモ")
    b = add(db, "やまだ たろう", org="クモ(株)")
    return a, b


# -- records --------------------------------------------------------------------------------------

def test_records_carry_profiles_addresses_and_pages_but_not_import_keys(db):
    cid = add(db, "Mia Thornton", org="Larkspur Labs", emails=["Mia@Larkspur.example"],
              urls=["https://mia-thornton.example/"],
              profiles=["https://www.linkedin.com/in/mia-thornton-42/"])
    other = add(db, "Owen Pike")
    found = dict(records_for(db.connect()))
    assert set(found) == {cid, other}
    side = found[cid]
    assert (side.name, side.organisation) == ("Mia Thornton", "Larkspur Labs")
    assert side.emails == ("mia@larkspur.example",)
    assert "https://www.linkedin.com/in/mia-thornton-42" in " ".join(side.urls)
    assert any("mia-thornton.example" in u for u in side.urls)
    assert not any("key-" in u for u in side.urls + side.emails)
    assert found[other].urls == () and found[other].emails == ()
    assert [c for c, _ in records_for(db.connect(), [other])] == [other]


# -- likely: proposed, never merged ---------------------------------------------------------------

def test_the_same_person_in_kanji_and_kana_at_one_company_is_an_open_proposal(db):
    a, b = yamada_pair(db)
    add(db, "佐藤花子", org="株式会社クモ")      # a colleague: no proposal
    summary = refresh_proposals(db, NOW)
    assert (summary.proposed, summary.auto_merged, summary.kept_open) == (1, 0, 0)
    assert exists(db, a) and exists(db, b)      # proposed, never merged by itself
    page = list_proposals(db)
    assert len(page.proposals) == 1 and page.next_cursor is None
    p = page.proposals[0]
    assert (p.a.id, p.b.id, p.status, p.verdict) == (a, b, "open", "likely")
    assert (p.a.display_name, p.b.display_name) == ("山田太郎", "やまだ たろう")
    assert p.a.organisation == "株式会社クモ"
    assert 0.75 <= p.score < 1
    codes = {r["code"] for r in p.reasons}
    assert {"name_reading_match", "same_organisation"} <= codes
    assert all(r["en"] and r["ja"] for r in p.reasons)

    again = refresh_proposals(db, NOW)           # the same pair once, updated in place
    assert (again.proposed, again.kept_open, again.removed) == (0, 1, 0)
    assert len(rows(db)) == 1


def test_a_proposal_that_no_longer_matches_is_deleted(db):
    a, b = yamada_pair(db)
    refresh_proposals(db, NOW)
    assert open_pairs(db) == {(a, b)}
    db.execute("UPDATE contacts SET organisation = '株式会社ハルカゼ' WHERE id = ?", (b,))
    summary = refresh_proposals(db, NOW)
    assert summary.removed == 1 and rows(db) == []


def test_listing_pages_best_first_and_checks_its_arguments(db):
    pairs = [yamada_pair(db)]
    pairs.append((add(db, "中川 千晴", org="みどり製薬株式会社", location="Osaka"),
                  add(db, "NAKAGAWA Chiharu", org="みどり製薬(株)", location="大阪市")))
    pairs.append((add(db, "Katherine Moss", org="Brightwater Analytics"),
                  add(db, "Kate Moss", org="Brightwater Analytics")))
    refresh_proposals(db, NOW)
    everything = list_proposals(db).proposals
    assert len(everything) == 3
    scores = [p.score for p in everything]
    assert scores == sorted(scores, reverse=True)
    first = list_proposals(db, limit=2)
    assert len(first.proposals) == 2 and first.next_cursor
    rest = list_proposals(db, limit=2, cursor=first.next_cursor)
    assert [p.id for p in first.proposals + rest.proposals] == [p.id for p in everything]
    assert rest.next_cursor is None
    for kwargs, field in (({"status": "maybe"}, "status"), ({"limit": 0}, "limit"),
                          ({"cursor": "x"}, "cursor")):
        with pytest.raises(ApiError) as error:
            list_proposals(db, **kwargs)
        assert error.value.status == 400 and error.value.details == {"field": field}


# -- reject: "not now" ----------------------------------------------------------------------------

def test_a_rejected_proposal_stays_hidden_until_new_evidence(db):
    a, b = yamada_pair(db)
    refresh_proposals(db, NOW)
    pid = list_proposals(db).proposals[0].id
    decision = decide(db, pid, "reject", NOW)
    assert decision.proposal.status == "rejected" and decision.proposal.decided_at == NOW
    assert open_pairs(db) == set()
    assert refresh_proposals(db, NOW).proposed == 0 and open_pairs(db) == set()
    assert [p.id for p in list_proposals(db, status="rejected").proposals] == [pid]

    # both now say where they are: evidence the user has not seen, so it is asked again
    db.execute("UPDATE contacts SET location = 'Fukuoka' WHERE id IN (?, ?)", (a, b))
    summary = refresh_proposals(db, NOW)
    assert summary.proposed == 1
    again = list_proposals(db).proposals[0]
    assert again.id == pid and "same_location" in {r["code"] for r in again.reasons}


def test_a_rejected_pair_is_not_merged_automatically_even_on_certain_evidence(db):
    merge_module()
    a, b = yamada_pair(db)
    refresh_proposals(db, NOW)
    decide(db, list_proposals(db).proposals[0].id, "reject", NOW)
    with db.transaction() as conn:
        add_details(conn, a, [Detail("email", "taro@kumo.example")], "vcard", NOW)
        add_details(conn, b, [Detail("email", "Taro@kumo.example")], "google_csv", NOW)
    summary = refresh_proposals(db, NOW)
    assert summary.auto_merged == 0 and exists(db, a) and exists(db, b)
    proposal = list_proposals(db).proposals[0]       # asked again, with the new reason
    assert proposal.verdict == "same" and "same_email" in {r["code"] for r in proposal.reasons}


# -- not the same person --------------------------------------------------------------------------

def test_not_same_is_never_proposed_again(db):
    a, b = yamada_pair(db)
    refresh_proposals(db, NOW)
    pid = list_proposals(db).proposals[0].id
    assert decide(db, pid, "not_same", NOW).proposal.status == "not_same"
    for _ in range(2):
        summary = refresh_proposals(db, NOW)
        assert summary.proposed == 0 and summary.skipped_not_same == 1
    db.execute("UPDATE contacts SET location = 'Sendai' WHERE id IN (?, ?)", (a, b))
    assert refresh_proposals(db, NOW).proposed == 0
    assert open_pairs(db) == set()
    assert [r["status"] for r in rows(db)] == ["not_same"]


def test_not_same_pairs_are_never_merged_automatically(db):
    merge_module()
    a, b = yamada_pair(db)
    refresh_proposals(db, NOW)
    decide(db, list_proposals(db).proposals[0].id, "not_same", NOW)
    with db.transaction() as conn:      # a shared address appears (a family mailbox)
        add_details(conn, a, [Detail("email", "yamada.home@example.jp")], "vcard", NOW)
        add_details(conn, b, [Detail("email", "yamada.home@example.jp")], "vcard", NOW)
    summary = refresh_proposals(db, NOW)
    assert summary.auto_merged == 0 and exists(db, a) and exists(db, b)
    assert open_pairs(db) == set()


def test_not_same_survives_a_merge_with_a_third_person(db):
    """山田太郎 is not やまだ たろう; then やまだ たろう's profile turns up on a third, older
    contact with the same e-mail address: that one is merged, and the merged person is still
    not proposed with 山田太郎."""
    merge_module()
    third = add(db, "Taro Yamada", emails=["t.yamada@haru.example"])   # oldest: kept
    a, b = yamada_pair(db)
    with db.transaction() as conn:
        add_details(conn, b, [Detail("email", "T.Yamada@haru.example")], "google_csv", NOW)
    refresh_proposals(db, NOW)
    assert not exists(db, b)     # b and third shared an address: merged at once
    # start again with a fresh b, the decision first, then the merge
    b = add(db, "やまだ たろう", org="クモ(株)")
    refresh_proposals(db, NOW)
    assert (a, b) in open_pairs(db)
    pid = next(p.id for p in list_proposals(db).proposals if (p.a.id, p.b.id) == (a, b))
    decide(db, pid, "not_same", NOW)
    with db.transaction() as conn:
        add_details(conn, b, [Detail("email", "t.yamada@haru.example")], "google_csv", NOW)
    summary = refresh_proposals(db, NOW)
    assert summary.auto_merged == 1 and not exists(db, b) and exists(db, third)
    # the merged contact (third, now also b) reads as やまだ たろう at クモ too
    db.execute("UPDATE contacts SET display_name = 'やまだ たろう', organisation = 'クモ(株)'"
               " WHERE id = ?", (third,))
    for _ in range(2):
        assert refresh_proposals(db, NOW).proposed == 0
        assert open_pairs(db) == set()


def test_not_same_follows_a_profile_through_a_merge_made_elsewhere(db):
    """A merge by the user (not through a proposal) moves the profile: the decision follows."""
    merge = merge_module()
    a = add(db, "山田太郎", org="株式会社クモ")
    b = add(db, "やまだ たろう", org="クモ(株)",
            profiles=["https://www.linkedin.com/in/taro-yamada-kumo/"])
    c = add(db, "やまだ たろう", org="クモ(株)")
    refresh_proposals(db, NOW)
    pid = next(p.id for p in list_proposals(db).proposals if (p.a.id, p.b.id) == (a, b))
    decide(db, pid, "not_same", NOW)
    with db.transaction() as conn:   # c is kept, b merged into it
        merge.merge_contacts(conn, c, b, "user", NOW)
    refresh_proposals(db, NOW)
    assert (a, c) not in open_pairs(db)


def test_not_same_follows_a_contact_known_by_nothing_else_through_a_merge(db):
    """No profile, no address: the decision follows the contact id to the kept contact."""
    merge = merge_module()
    c = add(db, "Taro Y.")                  # oldest, kept
    a, b = yamada_pair(db)
    refresh_proposals(db, NOW)
    decide(db, list_proposals(db).proposals[0].id, "not_same", NOW)
    with db.transaction() as conn:
        merge.merge_contacts(conn, c, b, "user", NOW)
    db.execute("UPDATE contacts SET display_name = 'やまだ たろう', organisation = 'クモ(株)'"
               " WHERE id = ?", (c,))
    assert refresh_proposals(db, NOW).proposed == 0
    assert open_pairs(db) == set()


def test_a_new_contact_with_a_deleted_ones_id_inherits_no_decision(db):
    a, b = yamada_pair(db)
    refresh_proposals(db, NOW)
    decide(db, list_proposals(db).proposals[0].id, "not_same", NOW)
    db.execute("DELETE FROM contacts WHERE id = ?", (b,))
    again = add(db, "やまだ たろう", org="クモ(株)")
    assert again == b                       # SQLite gave the largest id out again
    assert refresh_proposals(db, NOW).proposed == 1
    assert open_pairs(db) == {(a, b)}


def test_not_same_in_a_chain_of_certain_pairs_keeps_the_two_apart(db):
    merge_module()
    a = add(db, "Ellen Marsh", org="Copperleaf", emails=["ellen@copperleaf.example"])
    c = add(db, "Ellen Marsh", org="Copperleaf", emails=["e.marsh@tidewater.example"])
    refresh_proposals(db, NOW)
    decide(db, list_proposals(db).proposals[0].id, "not_same", NOW)
    # a card with both addresses would join a and c through itself: it is asked about,
    # never merged, and a and c are still never proposed
    b = add(db, "E. Marsh", emails=["ellen@copperleaf.example", "e.marsh@tidewater.example"])
    summary = refresh_proposals(db, NOW)
    assert summary.auto_merged == 0
    assert exists(db, a) and exists(db, b) and exists(db, c)
    assert open_pairs(db) == {(a, b), (c, b)}
    assert all(p.verdict == "same" for p in list_proposals(db).proposals)


# -- certain: merged by themselves ----------------------------------------------------------------

def test_the_same_address_from_two_imports_is_merged_by_itself(db):
    merge_module()
    older = add(db, "Hana Kobayashi", emails=["hana.k@sakuraworks.example"], source="vcard")
    newer = add(db, "小林 花", emails=["Hana.K@SakuraWorks.example"], source="google_csv")
    summary = refresh_proposals(db, NOW)
    assert summary.auto_merged == 1
    assert exists(db, older) and not exists(db, newer)     # the older one is kept
    merge = db.query_one("SELECT kept_id, merged_id, reason FROM merges")
    assert (merge["kept_id"], merge["merged_id"]) == (older, newer)
    assert merge["reason"] == "certain:same_email"
    assert rows(db) == []
    assert refresh_proposals(db, NOW).auto_merged == 0


def test_a_chain_of_certain_pairs_ends_in_one_contact(db):
    merge_module()
    a = add(db, "Rui Okada", emails=["rui@okada.example"])
    b = add(db, "岡田 類", emails=["rui@okada.example"], urls=["https://rui-okada.example/"])
    c = add(db, "Rui O.", urls=["https://rui-okada.example/"])
    assert refresh_proposals(db, NOW).auto_merged == 2
    assert exists(db, a) and not exists(db, b) and not exists(db, c)


def test_without_the_merge_module_certain_pairs_are_proposed(db, monkeypatch):
    monkeypatch.setattr(proposals, "_merge_contacts", lambda: None)
    a = add(db, "Hana Kobayashi", emails=["hana.k@sakuraworks.example"])
    b = add(db, "小林 花", emails=["hana.k@sakuraworks.example"])
    summary = refresh_proposals(db, NOW)
    assert summary.auto_merged == 0 and summary.proposed == 1
    assert list_proposals(db).proposals[0].verdict == "same"
    assert exists(db, a) and exists(db, b)


# -- accept ---------------------------------------------------------------------------------------

def test_accept_merges_keeping_the_older_contact(db):
    merge_module()
    a, b = yamada_pair(db)
    refresh_proposals(db, NOW)
    pid = list_proposals(db).proposals[0].id
    decision = decide(db, pid, "accept", NOW)
    assert decision.proposal.status == "accepted"
    assert (decision.kept_id, decision.merged_id) == (a, b) and decision.merge_id
    assert exists(db, a) and not exists(db, b)
    reason = db.query_one("SELECT reason FROM merges WHERE id = ?", (decision.merge_id,))[0]
    assert reason == f"proposal:{pid}"


def test_accept_keeps_the_contact_asked_for(db):
    merge_module()
    a, b = yamada_pair(db)
    refresh_proposals(db, NOW)
    pid = list_proposals(db).proposals[0].id
    with pytest.raises(ApiError) as error:
        decide(db, pid, "accept", NOW, keep=12345)
    assert error.value.status == 400 and exists(db, a) and exists(db, b)
    decision = decide(db, pid, "accept", NOW, keep=b)
    assert (decision.kept_id, decision.merged_id) == (b, a)
    assert exists(db, b) and not exists(db, a)


def test_deciding_an_unknown_proposal_or_action(db):
    with pytest.raises(ApiError) as error:
        decide(db, 999, "reject", NOW)
    assert error.value.status == 404
    yamada_pair(db)
    refresh_proposals(db, NOW)
    with pytest.raises(ApiError) as error:
        decide(db, list_proposals(db).proposals[0].id, "maybe", NOW)
    assert error.value.status == 400


# -- where it runs --------------------------------------------------------------------------------

def card(text: str) -> str:
    body = text.strip().replace("\n", "\r\n")
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\n{body}\r\nEND:VCARD\r\n"


def test_an_import_merges_the_duplicates_it_makes(db, settings, tmp_path):
    """A captured LinkedIn profile and an earlier card with an address: the new card carries
    both, so the import finds the profile's contact and gives it the address the other contact
    has; the hook then merges those two."""
    merge_module()
    captured = add(db, "Sora Nishimura",
                   profiles=["https://www.linkedin.com/in/sora-nishimura/"], source="capture")
    carded = add(db, "西村 空", emails=["sora@nishimura-design.example"])
    path = tmp_path / "sora.vcf"
    path.write_text(card("FN:Sora Nishimura\nN:Nishimura;Sora;;;\n"
                         "EMAIL;TYPE=INTERNET:sora@nishimura-design.example\n"
                         "URL:https://www.linkedin.com/in/sora-nishimura/"), encoding="utf-8")
    import_path(db, settings, path)
    assert exists(db, min(captured, carded)) and not exists(db, max(captured, carded))
    assert db.query_one("SELECT reason FROM merges")[0] == "certain:same_email"


def test_an_import_proposes_a_likely_pair(db, settings, tmp_path):
    a = add(db, "山田太郎", org="株式会社クモ")
    path = tmp_path / "yamada.vcf"
    path.write_text(card("FN:やまだ たろう\nN:やまだ;たろう;;;\nORG:クモ(株)"), encoding="utf-8")
    import_path(db, settings, path)
    pairs = open_pairs(db)
    assert len(pairs) == 1 and a in next(iter(pairs))


def test_a_failing_refresh_never_fails_the_import(db, settings, tmp_path, monkeypatch, caplog):
    def broken(_db, now=None):
        raise RuntimeError("matching broke")

    monkeypatch.setattr(proposals, "refresh_proposals", broken)
    path = tmp_path / "one.vcf"
    path.write_text(card("FN:Ada Quill\nN:Quill;Ada;;;"), encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        summary = import_path(db, settings, path)
    assert summary.created == 1
    assert "identity proposals after the import failed" in caplog.text


def test_the_daily_jobs_refresh_proposals(db):
    yamada_pair(db)
    job = next(j for j in jobs.JOBS if j.name == "identity_proposals")
    result = job.run(db)
    assert result.proposed == 1 and len(open_pairs(db)) == 1


def test_reasons_are_stored_as_json(db):
    yamada_pair(db)
    refresh_proposals(db, NOW)
    stored = json.loads(db.query_one("SELECT reasons FROM identity_proposals")[0])
    assert {"code", "weight", "en", "ja"} <= set(stored[0])


def test_an_automatic_merge_is_not_made_once_the_user_decided(db):
    """The user answers while a refresh runs: the merge checks again in its transaction."""
    merge_module()
    a = add(db, "Hana Kobayashi", emails=["hana.k@sakuraworks.example"])
    b = add(db, "小林 花", emails=["hana.k@sakuraworks.example"])
    with db.transaction() as conn:
        conn.execute("INSERT INTO identity_not_same (a_key, b_key, decided_at)"
                     " VALUES (?, ?, ?)", (f"c:{a}", f"c:{b}", NOW))
    assert proposals._merge(db, a, b, "certain:same_email", NOW, unless_decided=True) is None
    assert exists(db, a) and exists(db, b)


def test_the_same_export_again_runs_no_refresh(db, settings, tmp_path, monkeypatch):
    calls = []
    real = proposals.refresh_proposals
    monkeypatch.setattr(proposals, "refresh_proposals",
                        lambda _db, now=None: calls.append(1) or real(_db, now))
    path = tmp_path / "one.vcf"
    path.write_text(card("FN:Ada Quill\nN:Quill;Ada;;;\nUID:ada-1"), encoding="utf-8")
    import_path(db, settings, path)
    import_path(db, settings, path)
    assert calls == [1]


def test_a_rel_me_link_to_a_profile_another_contact_holds_merges_them(db):
    """Issue 9: rel=me from one identity to another is certain. A page captured before linked
    nowhere; captured again, it links with rel=me to a GitHub profile that is already another
    contact's: the next pass merges the two."""
    from companion.services.identity import resolve_profile
    with db.transaction() as conn:
        site = resolve_profile(conn, Profile(display_name="Saori Morishita",
                                             url="https://saori.example/"), None, NOW)
        github = resolve_profile(conn, Profile(display_name="森下 沙織",
                                               url="https://github.com/saori-m"), None, NOW)
    assert site.contact_id != github.contact_id
    with db.transaction() as conn:
        again = resolve_profile(conn, Profile(display_name="Saori Morishita",
                                              url="https://saori.example/",
                                              me_links=("https://github.com/Saori-M",)),
                                None, NOW)
    assert again.contact_id == site.contact_id
    summary = refresh_proposals(db, NOW)
    assert summary.auto_merged == 1
    assert exists(db, site.contact_id) and not exists(db, github.contact_id)
    urls = {r[0] for r in db.query_all("SELECT url FROM identities WHERE contact_id = ?",
                                       (site.contact_id,))}
    assert {"https://saori.example/", "https://github.com/saori-m"} <= urls

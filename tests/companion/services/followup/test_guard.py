"""The template guard: generic phrasing, nothing specific to the person, and near-duplicates of
what the user already sent to other people — each caught, and a specific message passing, in
English and Japanese."""

from __future__ import annotations

import pytest

from companion.errors import ApiError
from companion.services.followup import guard, guard_shingles
from tests.companion.services.followup.test_suggest_support import (
    add_contact, add_message, insert_fact_by_sql)


@pytest.fixture
def emily(db):
    contact = add_contact(db, "Emily Carter", given="Emily", family="Carter",
                          organisation="Northwind Labs", title="Head of Payments",
                          bio="Payments engineer. Into trail running and settlement systems.")
    add_message(db, contact, "in", "Could we talk about settlement retries next week?",
                "2026-11-25T07:05:00.000Z")
    return contact


@pytest.fixture
def misaki(db):
    contact = add_contact(db, "高橋 美咲", family="高橋", given="美咲",
                          organisation="株式会社ひかりシステムズ", title="デザイナー")
    add_message(db, contact, "in", "先日の勉強会ではありがとうございました。登壇資料を共有いただけますか？",
                "2026-11-23T12:03:00.000Z")
    insert_fact_by_sql(db, contact, "interest", "them", "最近は陶芸にハマっています。",
                       stated_at="2026-10-01T00:00:00Z", detail={"terms": ["陶芸"]})
    return contact


def kinds(result) -> list[str]:
    return [f.kind for f in result.flags]


@pytest.mark.parametrize("text", [
    "Hi Emily, just checking in!",
    "Hope this email finds you well. Just wanted to touch base and see how things are going.",
    "Hi Emily,\nI hope you're doing well! Let's catch up sometime.\nBest,",
])
def test_an_english_template_is_generic(db, emily, text):
    result = guard.check_draft(db, emily, text)
    assert not result.ok and "generic_phrase" in kinds(result)
    flag = next(f for f in result.flags if f.kind == "generic_phrase")
    assert text[flag.span["start"]:flag.span["end"]] == flag.span["text"]
    assert flag.message["en"] and flag.message["ja"]


@pytest.mark.parametrize("text", [
    "ご無沙汰しております。お元気ですか？",
    "高橋さん\nお世話になっております。近況いかがですか？\nよろしくお願いいたします。",
    "お久しぶりです！その後いかがお過ごしでしょうか。",
])
def test_a_japanese_template_is_generic(db, misaki, text):
    result = guard.check_draft(db, misaki, text)
    assert not result.ok and "generic_phrase" in kinds(result)


def test_a_greeting_followed_by_something_specific_is_fine(db, emily, misaki):
    ja = ("ご無沙汰しております。先日の勉強会の登壇資料、お送りします。"
          "陶芸の作品もまた見せてください。")
    assert guard.check_draft(db, misaki, ja).ok, guard.check_draft(db, misaki, ja).flags
    en = ("Hi Emily, I hope you're doing well! About settlement retries: I wrote up how we "
          "handle them at our end — want to compare notes next week?")
    assert guard.check_draft(db, emily, en).ok


def test_a_draft_with_nothing_about_the_person_is_flagged(db, emily, misaki):
    result = guard.check_draft(db, emily, "Would you be free to meet for a chat on Thursday "
                                           "afternoon? I have some questions about hiring.")
    assert kinds(result) == ["nothing_specific"]
    assert "Emily Carter" in result.flags[0].message["en"]
    # the name alone does not make it specific
    result = guard.check_draft(db, misaki, "高橋さん、来週どこかでランチでもいかがでしょうか。")
    assert kinds(result) == ["nothing_specific"]
    # a term from their profile, facts or messages does
    assert guard.check_draft(db, emily, "Would you be free Thursday? I have questions about "
                                         "settlement at Northwind.").ok
    assert guard.check_draft(db, misaki, "高橋さん、陶芸の展示会が来月あるそうです。ご一緒しませんか。").ok


def _sent_to_many(db, text_for, count: int) -> list[int]:
    people = []
    for n in range(count):
        contact = add_contact(db, f"Person{n} Example{n}", given=f"Person{n}")
        add_message(db, contact, "out", text_for(f"Person{n}"), "2026-11-01T00:00:00.000Z")
        people.append(contact)
    return people


def test_almost_the_same_text_sent_to_seven_people_is_a_near_duplicate(db, emily):
    template = ("Hi {}, I came across your profile and would love to learn more about your "
                "work on settlement systems. Would you be open to a short call next week?")
    _sent_to_many(db, template.format, 7)
    result = guard.check_draft(db, emily, template.format("Emily"))
    dup = next(f for f in result.flags if f.kind == "near_duplicate")
    assert dup.others == 7
    assert "7 people" in dup.message["en"] and "7人" in dup.message["ja"]
    # messages to Emily herself do not count
    add_message(db, emily, "out", template.format("Emily"), "2026-11-02T00:00:00.000Z")
    again = next(f for f in guard.check_draft(db, emily, template.format("Emily")).flags
                 if f.kind == "near_duplicate")
    assert again.others == 7
    # a really different message is no near-duplicate
    own = ("Emily, your note on settlement retries made me rethink our backoff: we cap at "
           "five tries. Does Northwind do the same?")
    assert "near_duplicate" not in kinds(guard.check_draft(db, emily, own))


def test_japanese_near_duplicates_use_character_shingles(db, misaki):
    template = "{}さん、はじめまして。ご経歴を拝見し、ぜひ一度お話を伺いたくご連絡しました。オンラインで30分ほどいかがでしょうか。"
    people = _sent_to_many(db, template.format, 3)
    result = guard.check_draft(db, misaki, template.format("高橋"))
    assert next(f for f in result.flags if f.kind == "near_duplicate").others == 3
    # a deleted contact's messages no longer count
    db.execute("DELETE FROM contacts WHERE id = ?", (people[0],))
    result = guard.check_draft(db, misaki, template.format("高橋"))
    assert next(f for f in result.flags if f.kind == "near_duplicate").others == 2


def test_the_sent_index_picks_up_new_messages(db, emily):
    text = "Thanks for the intro to the payments team, it was a great conversation today."
    assert "near_duplicate" not in kinds(guard.check_draft(db, emily, text))
    _sent_to_many(db, lambda name: text, 2)
    flags = guard.check_draft(db, emily, text).flags
    assert next(f for f in flags if f.kind == "near_duplicate").others == 2


def test_shingles_mask_names_and_measure_jaccard():
    a = guard_shingles.shingles("Hi Emily, thanks for the deck on settlement retries",
                                ["Emily"])
    b = guard_shingles.shingles("Hi John, thanks for the deck on settlement retries", ["John"])
    assert a == b
    c = guard_shingles.shingles("Hi John, the settlement retries deck had a bug", ["John"])
    assert guard_shingles.jaccard(a, c) < 0.3
    ja = guard_shingles.shingle_texts("資料を送ります", "ja")
    assert ja == ["資料を", "料を送", "を送り", "送りま", "ります"]
    assert guard_shingles.shingle_texts("thanks a lot", "en") == ["thanks a lot"]


@pytest.mark.parametrize("ordered_by_frequency", [False, True])
def test_prefix_filtering_finds_every_pair_above_the_threshold(ordered_by_frequency):
    """The index's answers equal a brute-force comparison on random sets, whether prefixes
    are ordered by hash or rarest first (shingles drawn with a skew, as real text has)."""
    import random
    rng = random.Random(3)
    index = guard_shingles.SentIndex(threshold=0.6)
    weights = [1 / (k + 1) for k in range(60)]

    def draw() -> frozenset:
        return frozenset(rng.choices(range(60), weights, k=rng.randint(3, 30)))

    sets = {n: draw() for n in range(300)}
    if ordered_by_frequency:
        index._count(sets.values())
        assert index.frequency[0] > index.frequency[59]
    for n, base in sets.items():
        index._add(n, n % 7, base)
    for _ in range(200):
        probe = draw()
        found = {i for i, _, _ in index.similar(probe, exclude_contact=None)}
        expected = {i for i, s in sets.items() if guard_shingles.jaccard(probe, s) >= 0.6}
        assert found == expected


def test_a_check_request_is_validated(db, emily):
    assert guard.parse_check_request({"contact_id": emily, "text": "Hi"}) == (emily, "Hi")
    for body, field in (([], None), ({"contact_id": "1", "text": "x"}, "contact_id"),
                        ({"contact_id": True, "text": "x"}, "contact_id"),
                        ({"contact_id": emily, "text": "  "}, "text"),
                        ({"contact_id": emily, "text": "x" * 5001}, "text")):
        with pytest.raises(ApiError) as raised:
            guard.parse_check_request(body)
        assert raised.value.status == 400
        if field:
            assert raised.value.details == {"field": field}
    with pytest.raises(ApiError) as raised:
        guard.check_draft(db, 999, "anything")
    assert raised.value.status == 404


def test_a_fresh_index_reads_kept_shingles_and_recomputes_only_what_changed(db, emily,
                                                                             monkeypatch):
    template = ("Hi {}, I came across your profile and would love to learn more about your "
                "work on settlement systems. Would you be open to a short call next week?")
    people = _sent_to_many(db, template.format, 4)
    first = guard_shingles.SentIndex()
    first.refresh(db)
    kept = dict(db.query_all("SELECT interaction_id, hashes FROM sent_shingles"))
    assert set(kept) == set(first.sets)
    probe = guard_shingles.shingles(template.format("Emily"), ["Emily"])
    expected = sorted(first.similar(probe, emily))
    assert len(expected) == 4

    # a new process: nothing is computed again, and it finds the same messages
    computed = []
    real = guard_shingles.shingles
    monkeypatch.setattr(guard_shingles, "shingles",
                        lambda text, names=(), lang=None: computed.append(text) or real(
                            text, names, lang))
    second = guard_shingles.SentIndex()
    second.refresh(db)
    assert computed == []
    assert sorted(second.similar(probe, emily)) == expected

    # a renamed recipient: their message is masked with the new name, so computed again
    db.execute("UPDATE contacts SET display_name = 'Renamed Person', given_name = 'Renamed'"
               " WHERE id = ?", (people[0],))
    third = guard_shingles.SentIndex()
    third.refresh(db)
    assert len(computed) == 1 and "Person0" in computed[0]
    # without the mask the old name is now an ordinary word: the message is less alike
    assert len(third.similar(probe, emily)) == 4
    ids = {interaction_id for interaction_id, _, _ in expected}
    assert set(dict(db.query_all("SELECT interaction_id, hashes FROM sent_shingles"))) == ids


def test_kept_shingles_survive_a_read_only_moment(db, emily, monkeypatch):
    """Keeping them is a cache: when the database cannot be written, the index still works."""
    import sqlite3

    _sent_to_many(db, "Hi {}, the settlement retry notes are attached as promised.".format, 2)

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")
    monkeypatch.setattr(db, "transaction", refuse)
    index = guard_shingles.SentIndex()
    index.refresh(db)
    assert len(index.sets) == 2
    assert db.query_one("SELECT COUNT(*) FROM sent_shingles")[0] == 0

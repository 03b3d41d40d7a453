"""GET /api/v1/contacts with search, filters and sorts (services/search.py): the new query
parameters, the rows' new fields next to the summary the extension already reads, total,
paging through the API, and the one error shape for every bad parameter. Invented people."""

from __future__ import annotations

import pytest



def capture(client, name, url):
    """A contact saved from a link to their profile (POST /contacts), as the extension does."""
    response = client.post("/api/v1/contacts", json={"url": url, "display_name": name})
    assert response.status_code == 201, response.json
    return response.json["contact"]["id"]


def listed(client, **params) -> dict:
    response = client.get("/api/v1/contacts", query_string=params)
    assert response.status_code == 200, response.json
    return response.json


def names(client, **params) -> list[str]:
    return [c["display_name"] for c in listed(client, **params)["contacts"]]


@pytest.fixture
def network(client, db):
    people = {
        "yamada": capture(client, "山田 太郎", "https://x.com/yamada_taro"),
        "sato": capture(client, "佐藤 花子", "https://www.linkedin.com/in/hanako-sato"),
        "lee": capture(client, "Mina Lee", "https://github.com/minalee"),
    }
    client.patch(f"/api/v1/contacts/{people['yamada']}",
                 json={"reading": "ヤマダ タロウ", "organisation": "ゴエン商事", "tags": ["PyCon"],
                       "tier": "inner"})
    client.patch(f"/api/v1/contacts/{people['sato']}",
                 json={"reading": "さとう はなこ", "tier": "dormant"})
    client.post(f"/api/v1/contacts/{people['lee']}/notes",
                json={"body": "Met at the Kyoto Rust meetup"})
    with db.transaction() as conn:
        conn.execute("UPDATE contacts SET last_two_way_at = ? WHERE id = ?",
                     ("2026-10-01T10:00:00.000Z", people["yamada"]))
    return people


def test_q_finds_by_name_reading_note_and_handle(client, network):
    assert names(client, q="山田") == ["山田 太郎"]
    assert names(client, q="やまだ") == ["山田 太郎"]
    assert names(client, q="ﾔﾏﾀﾞ") == ["山田 太郎"]
    assert names(client, q="ごえん") == ["山田 太郎"]
    assert names(client, q="kyoto rust") == ["Mina Lee"]
    assert names(client, q="@minalee") == ["Mina Lee"]
    assert names(client, q="ＰＹＣＯＮ") == ["山田 太郎"]
    assert names(client, q='AND OR (') == []
    assert len(names(client, q='"')) == 3        # nothing left to look for: everyone


def test_rows_keep_the_summary_and_gain_the_new_fields(client, network):
    answer = listed(client, q="kyoto")
    assert answer["total"] == 1 and answer["next_cursor"] is None
    row = answer["contacts"][0]
    # what the extension and the earlier tests read
    for key in ("id", "display_name", "reading", "headline", "organisation", "avatar_url",
                "identities", "last_interaction", "note_count", "tags", "open_promises", "tier",
                "last_two_way_at", "next_followup"):
        assert key in row, key
    assert row["note_count"] == 1 and row["next_followup"] is None
    assert row["identities"][0]["platform"] == "github"
    # the new fields
    assert row["sites"] == ["github"] and row["last_two_way"] is None
    assert row["photo_url"] == row["avatar_url"]
    assert row["snippet_field"] == "note" and row["snippet"] == "Met at the Kyoto Rust meetup"
    yamada = listed(client, q="山田")["contacts"][0]
    assert (yamada["tier"], yamada["last_two_way"], yamada["tags"]) == (
        "inner", "2026-10-01", ["PyCon"])


def test_filters(client, network):
    assert names(client, tier="inner") == ["山田 太郎"]
    assert names(client, tier="dormant") == ["佐藤 花子"]
    assert names(client, site="linkedin") == ["佐藤 花子"]
    assert names(client, site="github", q="mina") == ["Mina Lee"]
    assert names(client, tag="pycon") == ["山田 太郎"]
    assert names(client, tag="nothing") == []
    assert sorted(names(client, not_contacted_since="2026-10-01")) == ["Mina Lee", "佐藤 花子"]
    assert sorted(names(client, not_contacted_since="2026-10-02")) == [
        "Mina Lee", "佐藤 花子", "山田 太郎"]
    assert names(client, tier="inner", site="linkedin") == []


def test_sorts(client, network):
    assert names(client) == ["Mina Lee", "佐藤 花子", "山田 太郎"]   # mina, さとう, ヤマダ
    assert names(client, sort="recent")[0] == "山田 太郎"
    assert names(client, sort="added") == ["Mina Lee", "佐藤 花子", "山田 太郎"]
    assert names(client, sort="tier") == ["山田 太郎", "Mina Lee", "佐藤 花子"]   # inner wide dormant


def test_paging_through_the_api_with_a_filter(client, db):
    made = []
    for i in range(11):
        made.append(capture(client, f"Kenji Ito {i:02d}", f"https://github.com/kito{i}"))
    capture(client, "Someone Else", "https://x.com/someone_else")
    seen, cursor = [], None
    while True:
        answer = listed(client, site="github", sort="added", limit=4,
                        **({"cursor": cursor} if cursor else {}))
        assert answer["total"] == 11
        seen += [c["id"] for c in answer["contacts"]]
        if not (cursor := answer["next_cursor"]):
            break
    assert seen == sorted(made, reverse=True)


def test_the_list_still_reads_the_open_promises_in_one_query(client, db):
    for i in range(4):
        capture(client, f"Person {i}", f"https://x.com/person_{i}")
    statements: list[str] = []
    db.connect().set_trace_callback(statements.append)
    try:
        assert len(listed(client, q="person")["contacts"]) == 4
    finally:
        db.connect().set_trace_callback(None)
    assert sum("FROM facts" in s for s in statements) == 1


@pytest.mark.parametrize("params,field", [
    ({"tier": "best"}, "tier"), ({"site": "Linked In"}, "site"), ({"tag": "t" * 61}, "tag"),
    ({"not_contacted_since": "2026-02-30"}, "not_contacted_since"),
    ({"not_contacted_since": "last week"}, "not_contacted_since"),
    ({"sort": "score"}, "sort"), ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"),
    ({"limit": "many"}, "limit"), ({"cursor": "not-a-cursor"}, "cursor"),
    ({"q": "q" * 201}, "q"),
])
def test_bad_parameters_answer_400_in_the_one_shape(client, params, field):
    response = client.get("/api/v1/contacts", query_string=params)
    assert response.status_code == 400
    error = response.json["error"]
    assert (error["status"], error["code"]) == (400, "bad_request")
    assert error["details"] == {"field": field} and error["message"]


def test_a_cursor_of_another_sort_is_400(client, network):
    cursor = listed(client, limit=1)["next_cursor"]
    assert cursor
    response = client.get("/api/v1/contacts", query_string={"cursor": cursor, "sort": "tier"})
    assert response.status_code == 400
    assert response.json["error"]["details"] == {"field": "cursor"}


def test_a_note_added_by_the_api_is_found_at_once(client, network):
    assert names(client, q="勉強会") == []
    client.post(f"/api/v1/contacts/{network['sato']}/notes", json={"body": "Python勉強会の幹事"})
    assert names(client, q="勉強会") == ["佐藤 花子"]

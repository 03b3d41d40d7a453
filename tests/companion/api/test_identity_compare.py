"""POST /api/v1/identity/compare: token required, body checked, verdicts with their reasons."""

from __future__ import annotations

import pytest

URL = "/api/v1/identity/compare"


def codes(answer: dict) -> set[str]:
    return {r["code"] for r in answer["reasons"]}


def test_the_token_is_required(anon_client):
    response = anon_client.post(URL, json={"a": {"name": "A"}, "b": {"name": "B"}})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_same_email_is_same(client):
    response = client.post(URL, json={
        "a": {"name": "山田太郎", "emails": ["t.yamada@aozora-tech.jp"]},
        "b": {"name": "Taro Yamada", "emails": ["T.Yamada@aozora-tech.jp"], "urls": []}})
    assert response.status_code == 200
    answer = response.json
    assert answer["verdict"] == "same" and answer["score"] == 1.0
    assert "same_email" in codes(answer)
    reason = next(r for r in answer["reasons"] if r["code"] == "same_email")
    assert reason["en"] and reason["ja"]          # both languages, every reason


def test_profile_url_variants_are_one_profile(client):
    answer = client.post(URL, json={
        "a": {"name": "Liam Brennan", "urls": ["https://twitter.com/LiamBrennanDev"]},
        "b": {"name": "Liam B.", "urls": ["https://x.com/liambrennandev?s=20"]}}).json
    assert answer["verdict"] == "same" and "same_profile_url" in codes(answer)


def test_japanese_name_across_scripts_with_organisation_is_likely(client):
    answer = client.post(URL, json={
        "a": {"name": "中川 千晴", "organisation": "みどり製薬株式会社"},
        "b": {"name": "NAKAGAWA Chiharu", "organisation": "みどり製薬(株)"}}).json
    assert answer["verdict"] == "likely"
    assert 0 < answer["score"] < 1
    assert {"name_romaji_match", "same_organisation"} <= codes(answer)


def test_a_name_alone_is_different(client):
    answer = client.post(URL, json={"a": {"name": "John Smith"},
                                    "b": {"name": "John Smith"}}).json
    assert answer["verdict"] == "different"
    assert "name_same" in codes(answer)


def test_two_linkedin_profiles_speak_against(client):
    answer = client.post(URL, json={
        "a": {"name": "Emily Davis", "organisation": "Ferncrest Health",
              "urls": ["https://www.linkedin.com/in/emily-davis-1/"]},
        "b": {"name": "Emily Davis", "organisation": "Ferncrest Health",
              "urls": ["https://www.linkedin.com/in/emily-davis-2/"]}}).json
    assert answer["verdict"] == "different"
    assert "different_profiles" in codes(answer)


@pytest.mark.parametrize("body, field", [
    ({"b": {"name": "B"}}, "a"),
    ({"a": {"name": "A"}}, "b"),
    ({"a": {"name": ""}, "b": {"name": "B"}}, "a.name"),
    ({"a": {"organisation": "Acme"}, "b": {"name": "B"}}, "a.name"),
    ({"a": {"name": 7}, "b": {"name": "B"}}, "a.name"),
    ({"a": "A", "b": {"name": "B"}}, "a"),
    ({"a": {"name": "A"}, "b": {"name": "B", "urls": "https://x.com/b"}}, "b.urls"),
    ({"a": {"name": "A"}, "b": {"name": "B", "urls": ["https://x.com/b", 3]}}, "b.urls[1]"),
    ({"a": {"name": "A"}, "b": {"name": "B", "emails": ["b@example.com"] * 21}}, "b.emails"),
    ({"a": {"name": "A" * 201}, "b": {"name": "B"}}, "a.name"),
    ({"a": {"name": "A", "location": "x" * 301}, "b": {"name": "B"}}, "a.location"),
    ({"a": {"name": "A", "urls": ["https://x.com/" + "a" * 2100]}, "b": {"name": "B"}},
     "a.urls[0]"),
    ({"a": {"name": "A", "nickname": "B"}, "b": {"name": "B"}}, "a.nickname"),
    ({"a": {"name": "A"}, "b": {"name": "B"}, "c": {}}, "c"),
])
def test_bad_bodies_get_400_naming_the_field(client, body, field):
    response = client.post(URL, json=body)
    assert response.status_code == 400, response.json
    error = response.json["error"]
    assert error["code"] == "bad_request" and error["status"] == 400
    assert error["details"]["field"] == field


def test_a_body_that_is_not_an_object(client):
    response = client.post(URL, json=["a", "b"])
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"

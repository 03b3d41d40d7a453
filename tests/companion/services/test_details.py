"""contact_details (migration 0015): compared forms, no doubles, who has an address."""

from __future__ import annotations

import pytest

from companion.services.details import Detail, add_details, contacts_with, details_of, normalise


@pytest.mark.parametrize("kind, value, expected", [
    ("email", "Taro.Yamada@Example.JP", "taro.yamada@example.jp"),
    ("email", "mailto:a@b.example", "a@b.example"),
    ("email", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),   # full-width, as typed in Japan
    ("email", "not an address", None),
    ("phone", "+81 (3) 1234-5678", "+81312345678"),
    ("phone", "０３－１２３４－５６７８", "0312345678"),
    ("phone", "tel:+1-555-0100", "+15550100"),
    ("phone", "ext", None),
    ("url", "github.com/octocat", "https://github.com/octocat"),
    ("address", "  1-2-3  Shibuya\nTokyo ", "1-2-3 shibuya tokyo"),
    ("birthday", "", None),
])
def test_normalise(kind, value, expected):
    assert normalise(kind, value) == expected


def test_the_same_address_twice_is_one_row_and_found_by_any_spelling(db):
    with db.transaction() as conn:
        a = conn.execute("INSERT INTO contacts (display_name, sort_key, created_at, updated_at)"
                         " VALUES ('A', 'a', 'n', 'n')").lastrowid
        b = conn.execute("INSERT INTO contacts (display_name, sort_key, created_at, updated_at)"
                         " VALUES ('B', 'b', 'n', 'n')").lastrowid
        assert add_details(conn, a, [Detail("email", "Ann@Example.com", "work"),
                                     Detail("phone", "03-1234-5678")], "vcard", "n") == 2
        assert add_details(conn, a, [Detail("email", "ann@example.COM")], "google_csv", "n") == 0
        assert add_details(conn, b, [Detail("email", "junk")], "vcard", "n") == 0
        assert contacts_with(conn, "email", "ANN@example.com") == [a]
        assert contacts_with(conn, "phone", "0312345678") == [a]
        assert contacts_with(conn, "email", "nobody@example.com") == []
        add_details(conn, a, [Detail("import_key", "vcard-uid:1234")], "vcard", "n")
        assert contacts_with(conn, "import_key", "vcard-uid:1234") == [a]
        assert details_of(conn, a) == [Detail("email", "Ann@Example.com", "work"),
                                       Detail("phone", "03-1234-5678", None)]
        with pytest.raises(ValueError):
            add_details(conn, a, [Detail("fax", "1")], "vcard", "n")
    # a deleted person takes their details along
    with db.transaction() as conn:
        conn.execute("DELETE FROM contacts WHERE id = ?", (a,))
        assert contacts_with(conn, "email", "ann@example.com") == []

"""The body of ``POST /api/v1/identity/compare``, checked: ``{a, b}``, each side
``{name, reading?, organisation?, title?, location?, photo?, urls: [], emails: []}``.

Every problem is a 400 in the one error shape, naming the field (``a.name``, ``b.urls[2]``).
"""

from __future__ import annotations

from companion.errors import bad_request
from companion.services.matching.compare import Side
from companion.urls import MAX_URL_LENGTH

MAX_NAME = 200          # characters of a name or a reading
MAX_TEXT = 300          # organisation, title, location
MAX_ITEMS = 20          # urls, emails
MAX_EMAIL = 254         # RFC 5321's path limit
TEXT_FIELDS = {"reading": MAX_NAME, "organisation": MAX_TEXT, "title": MAX_TEXT,
               "location": MAX_TEXT, "photo": MAX_URL_LENGTH}
LIST_FIELDS = {"urls": MAX_URL_LENGTH, "emails": MAX_EMAIL}
SIDE_FIELDS = frozenset({"name", *TEXT_FIELDS, *LIST_FIELDS})


def _text(data: dict, key: str, where: str, limit: int, required: bool = False) -> str | None:
    value = data.get(key)
    field = f"{where}.{key}"
    if value is None:
        if required:
            raise bad_request(f"{field} is required.", field)
        return None
    if not isinstance(value, str):
        raise bad_request(f"{field} must be a string.", field)
    value = value.strip()
    if required and not value:
        raise bad_request(f"{field} must not be empty.", field)
    if len(value) > limit:
        raise bad_request(f"{field} is too long ({limit} characters at most).", field)
    return value or None


def _list(data: dict, key: str, where: str, limit: int) -> tuple[str, ...]:
    value = data.get(key)
    field = f"{where}.{key}"
    if value is None:
        return ()
    if not isinstance(value, list):
        raise bad_request(f"{field} must be a list of strings.", field)
    if len(value) > MAX_ITEMS:
        raise bad_request(f"{field} has too many items ({MAX_ITEMS} at most).", field)
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise bad_request(f"{field}[{index}] must be a string.", f"{field}[{index}]")
        if len(item) > limit:
            raise bad_request(f"{field}[{index}] is too long ({limit} characters at most).",
                              f"{field}[{index}]")
        if item.strip():
            out.append(item.strip())
    return tuple(out)


def parse_side(data: object, where: str) -> Side:
    if not isinstance(data, dict):
        raise bad_request(f"{where} must be an object with at least a name.", where)
    unknown = sorted(set(data) - SIDE_FIELDS)
    if unknown:
        raise bad_request(f"Unknown field: {where}.{unknown[0]}.", f"{where}.{unknown[0]}")
    name = _text(data, "name", where, MAX_NAME, required=True)
    texts = {key: _text(data, key, where, limit) for key, limit in TEXT_FIELDS.items()}
    lists = {key: _list(data, key, where, limit) for key, limit in LIST_FIELDS.items()}
    return Side(name=name or "", **texts, **lists)


def parse_compare_request(body: object) -> tuple[Side, Side]:
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object with a and b.")
    unknown = sorted(set(body) - {"a", "b"})
    if unknown:
        raise bad_request(f"Unknown field: {unknown[0]}.", unknown[0])
    for key in ("a", "b"):
        if key not in body:
            raise bad_request(f"{key} is required.", key)
    return parse_side(body["a"], "a"), parse_side(body["b"], "b")

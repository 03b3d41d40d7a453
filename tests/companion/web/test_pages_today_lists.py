"""The Today page's lists across every contact (pages_today.py): open promises in the order
the page promises, read in parts through an index, equal to one sort of them all; questions
waiting, newest first."""

from __future__ import annotations

import random
from datetime import date, timedelta

from companion.web import pages_today
from tests.companion.services.followup.test_suggest_support import add_contact, \
    insert_fact_by_sql

TODAY = date(2026, 11, 26)


def test_open_promises_come_mine_overdue_first_then_by_due_then_theirs(db):
    rng = random.Random(4)
    people = [add_contact(db, f"Person {n}") for n in range(5)]
    made = []
    for n in range(120):
        due = None if rng.random() < 0.25 else (TODAY + timedelta(days=rng.randint(-40, 40)))
        stated = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T09:00:00.000Z"
        status = "open" if rng.random() < 0.85 else "kept"
        fact = insert_fact_by_sql(db, rng.choice(people), "promise", rng.choice(("me", "them")),
                                  f"promise {n}", stated_at=stated, label="commitment",
                                  due=due.isoformat() if due else None, status=status)
        made.append((fact, status, due, stated))
    insert_fact_by_sql(db, people[0], "question", "them", "a question, not a promise",
                       stated_at="2026-11-01T00:00:00.000Z")
    rows = db.query_all("SELECT id, whose, due, stated_at FROM facts WHERE kind = 'promise'"
                        " AND status = 'open'")
    day = TODAY.isoformat()

    def order(r):
        overdue = r["due"] is not None and r["due"] < day
        return (r["whose"] != "me", not overdue,
                # overdue: the latest due first; else dated by due, undated last
                "" if not overdue else "".join(chr(0x10FFFF - ord(c)) for c in r["due"]),
                r["due"] is None, r["due"] or "",
                "".join(chr(0x10FFFF - ord(c)) for c in r["stated_at"]), -r["id"])
    expected = [r["id"] for r in sorted(rows, key=order)]
    for limit in (7, 50, 200):
        shown, total = pages_today.open_promises(db, TODAY, limit)
        assert [r.fact_id for r in shown] == expected[:limit], limit
        assert total == len(expected)
    shown, _ = pages_today.open_promises(db, TODAY, 200)
    assert all(r.overdue == (r.due is not None and r.due < day) for r in shown)


def test_questions_waiting_newest_first(db):
    person = add_contact(db, "Emily Carter")
    ids = [insert_fact_by_sql(db, person, "question", "them", f"q{n}",
                              stated_at=f"2026-11-{n + 1:02d}T00:00:00.000Z") for n in range(9)]
    insert_fact_by_sql(db, person, "question", "me", "mine", stated_at="2026-11-20T00:00:00Z")
    insert_fact_by_sql(db, person, "question", "them", "answered", status="answered",
                       stated_at="2026-11-21T00:00:00.000Z")
    shown, total = pages_today.questions_waiting(db, 5)
    assert [r.fact_id for r in shown] == ids[::-1][:5] and total == 9

"""Drafting everyone's next follow-up ahead in a worker process (companion/jobs.py).

On the first start of a day the daily thread drafts 10,000 people's next follow-ups: about 40 s
of tagging, reading facts and checking drafts. Inside the companion that batch lifted its
resident memory to ~198 MB (DESIGN.md: under 200) and held the interpreter's lock against the
popup's lookups; in its own process it does neither, and its memory goes when it exits.

    python -m companion.services.followup.next_kept_worker DB DAY SETTINGS_JSON

SETTINGS_JSON carries what the drafts depend on (``cadence_<tier>_days``, ``my_profiles``), so
the kept stamps match those the companion computes (next_kept.py). Prints how many were
drafted.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from types import SimpleNamespace

from companion.db import Database
from companion.services.followup import next_kept, suggest


def settings_json(settings) -> str:
    """What the worker needs of the companion's settings, as its argument."""
    values = {f"cadence_{tier}_days": days for tier, days in suggest.cadences(settings).items()}
    values["my_profiles"] = list(getattr(settings, "my_profiles", ()) or ())
    return json.dumps(values, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path, day, raw = args[0], date.fromisoformat(args[1]), json.loads(args[2])
    raw["my_profiles"] = tuple(raw.get("my_profiles") or ())
    db = Database(path)
    try:
        drafted = next_kept.draft_everyone(db, day, settings=SimpleNamespace(**raw))
    finally:
        db.close()
    print(drafted, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

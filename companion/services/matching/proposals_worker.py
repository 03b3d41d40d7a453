"""The duplicate pass (proposals.refresh_proposals) in a worker process, for the companion.

On 10,000 contacts the pass reads every name's readings and builds its blocks: ~2 s, and ~35 MB
of the companion's peak memory (bench_memory.py: 187 → 220 MB, over DESIGN.md's 200 MB) that the
heap keeps afterwards. In its own process its memory goes when it exits, as the drafting worker's
does (followup/next_kept_worker.py). Small networks run it in the companion itself.

    python -m companion.services.matching.proposals_worker DB

Prints the RefreshSummary as JSON.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

from companion.db import Database
from companion.services.matching import proposals

WORKER_MIN_CONTACTS = 2000
TIMEOUT_SECONDS = 600


def refresh(db: Database) -> proposals.RefreshSummary:
    """refresh_proposals here on a small network, in a worker process on a large one."""
    count = db.query_one("SELECT COUNT(*) FROM contacts")[0]
    if count < WORKER_MIN_CONTACTS:
        return proposals.refresh_proposals(db)
    done = subprocess.run([sys.executable, "-m", __name__, str(db.path)], capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=TIMEOUT_SECONDS, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the duplicate pass exited with {done.returncode}: "
                           f"{done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return proposals.RefreshSummary(**json.loads(done.stdout))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    db = Database(args[0])
    try:
        summary = proposals.refresh_proposals(db)
    finally:
        db.close()
    print(json.dumps(dataclasses.asdict(summary)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

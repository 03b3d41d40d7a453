"""``goen demo``: the web view on a separate, made-up network, so a newcomer sees a living one.

The network comes from the benchmarks' synthetic generator (bench/gen_network.py: invented
people, companies, messages and captures; no real person). That generator is part of the source
tree, not of the installed package, so it is found next to the ``companion`` package — which is
where it is in a source checkout and an editable install (``pip install -e .``). In a wheel
install there is no bench/ folder; ``goen demo`` then says so instead of pretending.

The demo keeps its own data folder (default: ``<data folder>-demo``, next to the real one), its
own database and token file, and its own port, so it never touches the user's network; the web
view's session cookie is named after the port, so the two never overwrite each other's either.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable

DEMO_CONTACTS = 300
DEMO_SEED = 7
GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "gen_network.py"
MANIFEST = "goen-demo.json"


class DemoUnavailable(RuntimeError):
    """The synthetic network generator is not installed alongside the package."""


def load_generator(path: Path = GENERATOR) -> ModuleType:
    """bench/gen_network.py as a module, imported from its file."""
    if not path.is_file():
        raise DemoUnavailable(
            f"the demo needs the synthetic network generator ({path}), which comes with the "
            "source tree, not with an installed wheel; install Goen from a checkout "
            "(`pip install -e .`) to use `goen demo`")
    spec = importlib.util.spec_from_file_location("goen_bench_gen_network", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module        # dataclasses and pickling look modules up by name
    spec.loader.exec_module(module)
    return module


def demo_data_dir(real_data_dir: Path) -> Path:
    return real_data_dir.with_name(real_data_dir.name + "-demo")


def ensure_demo(data_dir: Path, contacts: int = DEMO_CONTACTS, seed: int = DEMO_SEED,
                log: Callable[[str], None] = lambda _: None) -> dict:
    """A demo database in ``data_dir``, generated unless one is there already; returns its
    counts. About 20 messages a person, a capture each, facts read as the companion would."""
    import json

    from companion.db import Database

    data_dir = Path(data_dir)
    manifest = data_dir / MANIFEST
    if manifest.exists():
        return json.loads(manifest.read_text(encoding="utf-8"))
    gen = load_generator()
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in ("goen.sqlite3", "goen.sqlite3-wal", "goen.sqlite3-shm"):
        (data_dir / name).unlink(missing_ok=True)   # a half-made demo from an interrupted run
    db = Database(data_dir / "goen.sqlite3")
    try:
        db.migrate()
        result = gen.generate(db, contacts=contacts, identities_per_contact=2,
                              interactions=contacts * 20, captures=contacts, seed=seed,
                              log=log, followup=True)
        gen.analyze_facts(db, log=log, workers=1)
        if hasattr(gen, "add_network_links"):
            gen.add_network_links(db, seed)
        counts = {"contacts": contacts, "seed": seed,
                  "facts": db.query_one("SELECT COUNT(*) FROM facts")[0],
                  **{k: v for k, v in result.get("counts", {}).items()
                     if isinstance(v, int)}}
    finally:
        db.close()
    manifest.write_text(json.dumps(counts, indent=2), encoding="utf-8")
    return counts

"""Importers of other services' data exports (issue 8). ``import_path`` picks one by looking at
the file or folder; each importer stores through the same identity and store services as a
capture (services/identity.py, services/followup/updates.py)."""

from companion.services.imports.base import (ImportFailed, ImportSummary, Skipped, detect,
                                             import_path)

__all__ = ["ImportFailed", "ImportSummary", "Skipped", "detect", "import_path"]

# Sourced by scripts/run and scripts/test: make .venv with the project installed in it.
# Needs only Python 3.11+ with its venv module (Debian: apt-get install python3-venv).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${GOEN_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "goen: $PYTHON not found; install Python 3.11 or newer." >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "goen: Python 3.11 or newer is needed; $PYTHON is $("$PYTHON" --version 2>&1)." >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV"; then
    echo "goen: could not create a virtual environment. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi
# Reinstall only when pyproject.toml changed since the last install.
STAMP="$VENV/.goen-installed-$1"
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  echo "goen: installing into $VENV (log: $VENV/pip.log)" >&2
  if ! { "$VENV/bin/python" -m pip install --upgrade pip &&
         "$VENV/bin/python" -m pip install -e "$ROOT$2"; } >"$VENV/pip.log" 2>&1; then
    tail -n 30 "$VENV/pip.log" >&2
    echo "goen: installing failed; the whole log is $VENV/pip.log" >&2
    exit 1
  fi
  touch "$STAMP"
fi

#!/usr/bin/env bash
# Run every bench in order at the size DESIGN.md names; see bench/README.md.
#   bench/run_all.sh            reuse the synthetic network under bench/out/ when it exists
#   bench/run_all.sh --fresh    generate it again first (about 30 s)
# Each step is bounded by `timeout`; results land in bench/out/results-*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
KEY=$("$PY" -c 'import sys; sys.path.insert(0, "bench"); import gen_network as g; print(g.params_key(g.DEFAULTS))')

step() {
    local limit=$1; shift
    echo
    echo "== $* =="
    local start=$SECONDS
    timeout "$limit" "$@"
    echo "-- took $((SECONDS - start)) s"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (nproc $(nproc))"
if [[ "${1:-}" == "--fresh" ]]; then
    rm -rf "bench/out/$KEY"
fi
if [[ ! -f "bench/out/$KEY/bench-network.json" ]]; then
    rm -rf "bench/out/$KEY"
    step 600 "$PY" bench/gen_network.py --data-dir "bench/out/$KEY"
fi
step 1800 "$PY" bench/bench_lookup.py   # makes the follow-up network the first time
step 900 "$PY" bench/bench_capture.py
step 1800 "$PY" bench/bench_memory.py
step 600 "$PY" bench/bench_adapters.py
step 900 "$PY" bench/bench_followup.py
step 600 "$PY" bench/bench_search.py
step 900 "$PY" bench/bench_graph.py
# headless Chromium with the extension, and the web view (needs /usr/bin/chromium, or GOEN_CHROMIUM)
step 600 "$PY" bench/bench_extension.py
step 900 "$PY" bench/bench_web.py
echo
echo "all done in $SECONDS s; results: bench/out/results-*.json"

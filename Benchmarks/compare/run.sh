#!/usr/bin/env bash
# Same-run comparison of our solvers with SciPy and OR-Tools on identical instances.
# Usage: Benchmarks/compare/run.sh MENTORING_BIN [DATA_DIR]
#   MENTORING_BIN  a release build of the `mentoring` executable (swift build -c release)
#   TIMER          optional: a prebuilt matching-timer (else built from Benchmarks/); TIMER=- skips the
#                  in-process solver timings (no Benchmarks/ build; the whole-command comparisons still run)
# Needs: python3 with numpy scipy ortools pandas (Benchmarks/compare/requirements.txt), e.g. a venv:
#   python3 -m venv .venv && .venv/bin/pip install -r Benchmarks/compare/requirements.txt
#   PYTHON=.venv/bin/python Benchmarks/compare/run.sh MENTORING_BIN
set -euo pipefail
BIN=$1
DATA=${2:-/tmp/matching-bench}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
mkdir -p "$DATA/sparse" "$DATA/rounds" "$DATA/densecsv"
if [ "${TIMER:-}" = "-" ]; then
    TIMER=true
elif [ -z "${TIMER:-}" ]; then
    swift build -c release --package-path "$HERE/.." --product matching-timer >/dev/null
    TIMER=$(swift build -c release --package-path "$HERE/.." --show-bin-path)/matching-timer
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"

for n in 2000 5000; do
    [ -f "$DATA/dense$n.npy" ] || "$PY" "$HERE/generate.py" dense $n "$DATA/dense$n.npy"
    "$PY" "$HERE/scipy_dense.py" "$DATA/dense$n.npy"
    "$TIMER" dense "$DATA/dense$n.npy"
done

# Whole commands on a complete 2,000 x 2,000 candidate CSV (4M rows, 71 MB): reading and building the matrix count.
[ -f "$DATA/densecsv/candidates2000.csv" ] || "$PY" "$HERE/generate.py" densecsv 2000 "$DATA/densecsv/candidates2000.csv"
for run in 1 2 3; do
    /usr/bin/time -f "pandas+scipy script (dense 2000 CSV): %e s wall, peak RSS %M KB" "$PY" "$HERE/pandas_scipy_dense.py" \
        "$DATA/densecsv/candidates2000.csv" "$DATA/densecsv/pairs-pandas.csv"
    /usr/bin/time -f "mentoring match (dense 2000 CSV): %e s wall, peak RSS %M KB" "$BIN" match \
        --candidates "$DATA/densecsv/candidates2000.csv" --output "$DATA/densecsv/pairs.csv"
done

[ -f "$DATA/sparse/candidates.csv" ] || "$PY" "$HERE/generate.py" sparse 100000 10 "$DATA/sparse"
"$TIMER" sparse "$DATA/sparse/candidates.csv"
/usr/bin/time -f "ortools script (csv module): %e s wall, peak RSS %M KB" "$PY" "$HERE/ortools_match.py" "$DATA/sparse/candidates.csv"
for run in 1 2 3; do
    /usr/bin/time -f "pandas+ortools script (sparse): %e s wall, peak RSS %M KB" "$PY" "$HERE/pandas_ortools_match.py" \
        "$DATA/sparse/candidates.csv"
    /usr/bin/time -f "mentoring match (sparse): %e s wall, peak RSS %M KB" "$BIN" match \
        --candidates "$DATA/sparse/candidates.csv" --output "$DATA/sparse/pairs.csv"
done

[ -f "$DATA/rounds/fit.csv" ] || "$PY" "$HERE/generate.py" rounds 10000 10000 5 "$DATA/rounds"
"$TIMER" rounds 10000 10000 8 "$DATA/rounds/fit.csv"
/usr/bin/time -f "mentoring schedule: %e s wall, peak RSS %M KB" "$BIN" schedule --mentees "$DATA/rounds/mentees.csv" \
    --mentors "$DATA/rounds/mentors.csv" --rounds 8 --fit "$DATA/rounds/fit.csv" --output "$DATA/rounds/schedule.csv"
echo "# end $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"

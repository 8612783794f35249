#!/usr/bin/env bash
# Paired host STREAM parity run: McCalpin's stream.c and `micro memory --backend host`, alternately, PAIRS times, the
# same bytes (N doubles per array, three arrays), the same threads and OMP_PROC_BIND/OMP_PLACES, the same statistic
# (best rate: stream.c's "Best Rate" skips its first iteration; Micro's "best" is its minimum time after one warm-up,
# with as many timed iterations). stream.c is built beside the checkout, never committed:
#     git show HEAD:stream.c > /tmp/stream.c   (in a clone of jeffhammond/STREAM, stream.c v5.10)
#     STREAM_C=/tmp/stream.c [N=40000000] [PAIRS=5] [OMP_NUM_THREADS=2] scripts/stream-parity.sh
# Prints per kernel each pair's two rates and ratio, then the median ratio with its min..max. Parity is a figure from
# this paired run (README), not a timed CI test.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STREAM_C=${STREAM_C:?set STREAM_C to the path of stream.c}
N=${N:-40000000}
PAIRS=${PAIRS:-5}
NTIMES=${NTIMES:-11}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
MICRO=${MICRO:-$ROOT/build/cli/micro}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
gcc -O3 -march=native -fopenmp -DSTREAM_ARRAY_SIZE="$N" -DNTIMES="$NTIMES" "$STREAM_C" -o "$W/stream"
echo "stream.c: gcc -O3 -march=native -fopenmp -DSTREAM_ARRAY_SIZE=$N -DNTIMES=$NTIMES ($(gcc --version | head -1))"
echo "micro: $MICRO memory --backend host --kernel copy,mul,add,triad --dtype double --size $((3 * N * 8)) -n $((NTIMES - 1)) -w 1"
echo "OMP_NUM_THREADS=$OMP_NUM_THREADS OMP_PROC_BIND=${OMP_PROC_BIND:-unset} OMP_PLACES=${OMP_PLACES:-unset}; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
run_stream() { "$W/stream" > "$W/stream.$1.log"; }
run_micro() { rm -rf "$W/m.$1"; "$MICRO" memory --backend host --kernel copy,mul,add,triad --dtype double --size $((3 * N * 8)) \
  -n $((NTIMES - 1)) -w 1 --out "$W/m.$1" > "$W/micro.$1.log" 2>&1; }
for p in $(seq 1 "$PAIRS"); do
  if [ $((p % 2)) -eq 1 ]; then run_stream "$p"; run_micro "$p"; else run_micro "$p"; run_stream "$p"; fi
done
python3 - "$W" "$PAIRS" <<'PY'
import json, statistics, sys
w, pairs = sys.argv[1], int(sys.argv[2])
names = {"Copy": "copy", "Scale": "mul", "Add": "add", "Triad": "triad"}
rows = {k: [] for k in names.values()}
isa = "?"
for p in range(1, pairs + 1):
    s = {}
    for line in open(f"{w}/stream.{p}.log"):
        f = line.split()
        if f and f[0].rstrip(":") in names:
            s[names[f[0].rstrip(":")]] = float(f[1]) / 1000  # MB/s -> GB/s
    for line in open(f"{w}/m.{p}/results.jsonl"):
        r = json.loads(line)
        isa = r["parameters"].get("isa", isa)
        if r["case"] in rows and r["case"] in s:
            rows[r["case"]].append((s[r["case"]], r["bandwidth"]["best"]))
print(f"micro host kernels: {isa}")
print(f"{'kernel':<8}{'pairs: stream.c GB/s / micro GB/s = ratio':<60}{'median':>8}{'min..max':>14}")
for k, v in rows.items():
    ratios = [m / s for s, m in v]
    pairs_txt = "  ".join(f"{s:.2f}/{m:.2f}={m / s:.3f}" for s, m in v)
    print(f"{k:<8}{pairs_txt:<60}{statistics.median(ratios):>8.3f}{min(ratios):>7.3f}..{max(ratios):.3f}")
PY

#!/usr/bin/env bash
# Device check of the memory suite (issue 2), run on the GPU machine from the self-contained bundle, <= 3 minutes:
#   micro devices; micro memory --backend ilgpu --backend host at a 1 GiB working set (copy, triad, read, write,
#   float and double, one results.jsonl + ceilings.json); then, in the same run, torch's device-to-device copy
#   and an a = b + s*c triad timed with CUDA events; then a summary comparing them with Micro's figures.
# Usage: OUT=/path MICRO=/tmp/m/micro/micro scripts/device/memory.sh
# Writes exactly two files: $OUT/memory/log.txt (everything printed) and $OUT/memory/results.jsonl.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MICRO=${MICRO:-/tmp/m/micro/micro}
OUT=${OUT:?set OUT}/memory
WORK=$(mktemp -d /tmp/micro-memory.XXXXXX)
mkdir -p "$OUT"
LOG="$OUT/log.txt"
exec > >(tee -a "$LOG") 2>&1
PY=${PYTHON:-$(command -v /opt/torch/.venv/bin/python3 || command -v python3)}
step() { echo "== $(date -u +%T) $*"; }

# The host STREAM shim: the bundle's copy, else build it here with gcc (-O3 -fopenmp).
if [ ! -f "$(dirname "$MICRO")/libmicro_hoststream.so" ] && [ -z "${MICRO_NATIVE_DIR:-}" ]; then
  export MICRO_NATIVE_DIR="$WORK/native"
  mkdir -p "$MICRO_NATIVE_DIR"
  step "building libmicro_hoststream.so into $MICRO_NATIVE_DIR"
  timeout 60 gcc -O3 -fopenmp -fPIC -shared -fvisibility=hidden -o "$MICRO_NATIVE_DIR/libmicro_hoststream.so" "$ROOT/native/hoststream/hoststream.c" \
    || echo "memory.sh: could not build libmicro_hoststream.so; the host backend will be skipped"
fi

step "devices ($(hostname))"
timeout 30 nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem,memory.total --format=csv,noheader
timeout 60 "$MICRO" devices; echo "devices exit code $?"

step "micro memory (ilgpu + host, 1 GiB working set)"
timeout 150 "$MICRO" memory --backend ilgpu --backend host --kernel copy,triad,read,write --size 1G --out "$WORK/r"
echo "micro memory exit code $?"
cp -f "$WORK/r/results.jsonl" "$OUT/results.jsonl" 2>/dev/null

step "torch reference"
timeout 60 "$PY" - "$WORK" <<'PYEOF'
import json, statistics, sys, torch
out = sys.argv[1]
dev = torch.device("cuda")
print("torch", torch.__version__, torch.cuda.get_device_name(0))
def timed(fn, reps=20):
    for _ in range(3): fn()
    ts = []
    for _ in range(reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record(); fn(); e.record(); torch.cuda.synchronize()
        ts.append(s.elapsed_time(e) / 1e3)
    return statistics.median(ts), min(ts)
res = {}
for dtype, name in ((torch.float32, "float"), (torch.float64, "double")):
    n = (1 << 30) // torch.tensor([], dtype=dtype).element_size()   # 1 GiB per array
    a = torch.full((n,), 0.1, dtype=dtype, device=dev); b = torch.full((n,), 0.2, dtype=dtype, device=dev); c = torch.full((n,), 0.3, dtype=dtype, device=dev)
    med, best = timed(lambda: c.copy_(a))
    res[f"copy_{name}"] = (2 * n * a.element_size() / med / 1e9, 2 * n * a.element_size() / best / 1e9)
    med, best = timed(lambda: torch.add(b, c, alpha=0.4, out=a))
    res[f"triad_{name}"] = (3 * n * a.element_size() / med / 1e9, 3 * n * a.element_size() / best / 1e9)
    ok = torch.allclose(a, torch.full_like(a, 0.2 + 0.4 * 0.3))
    print(f"{name}: triad output verified: {ok}")
    del a, b, c; torch.cuda.empty_cache()
for k, (m, b) in res.items():
    print(f"torch {k}: {m:.1f} GB/s median, {b:.1f} GB/s best (1 GiB arrays, CUDA events, bytes read + written)")
json.dump(res, open(f"{out}/torch.json", "w"))
PYEOF

echo "torch exit code $?"

step "summary"
timeout 30 "$PY" - "$WORK" <<'PYEOF'
import json, sys
out = sys.argv[1]
recs = [json.loads(l) for l in open(f"{out}/r/results.jsonl") if l.strip()]
import os
torch = json.load(open(f"{out}/torch.json")) if os.path.exists(f"{out}/torch.json") else {}
if not torch: print("no torch reference figures (see the torch step above)")
print(f"{len(recs)} points; failed verification: {sum(not r['verification']['passed'] for r in recs)}")
for backend in ("ilgpu", "host"):
    for case in ("copy", "triad", "read", "write"):
        for dt in ("float", "double"):
            pts = [r for r in recs if r["backend"] == backend and r["case"] == case and r.get("dtype", r.get("d_type")) == dt and str((r.get("stream") or r["parameters"]).get("past_llc")).lower() == "true"]
            if not pts: continue
            big = max(pts, key=lambda r: r["bytes"])
            bw = big["bandwidth"]
            ref = torch.get(f"{case}_{dt}") if backend == "ilgpu" else None
            cmp = f"; torch {ref[0]:.1f} GB/s median -> micro/torch = {bw['median'] / ref[0]:.3f}" if ref else ""
            print(f"{backend} {case} {dt} {big['device']} ws={int((big.get('stream') or big['parameters'])['working_set_bytes'])/1e6:.0f} MB: "
                  f"{bw['median']:.1f} GB/s median, {bw['best']:.1f} best, timer {big['timer']}, verified {big['verification']['passed']}{cmp}")
ceil = json.load(open(f"{out}/r/ceilings.json"))
for d in ceil["devices"]:
    for c in d["ceilings"]:
        print(f"ceiling {d['device']}: {c['name']} = {c['value']:.1f} {c['unit']} ({c['case']}, datasheet {c.get('datasheet')}, fraction {c.get('fraction_of_datasheet')})")
PYEOF
echo "summary exit code $?"
rm -rf "$WORK"

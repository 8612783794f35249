#!/usr/bin/env bash
# Issue 4's `micro run` check in one short device call: the whole `micro run` on the GPU, timed (target < 5 min),
# then torch's reference (D2D copy, pinned copies, matmuls) and the comparison table, then the quick attention check.
# Usage on the device machine, from the repository root with .bundle/micro.tar.xz carried:
#     OUT=$OUT scripts/device/run-check.sh          (RUN_S / ATTN_S cap each part; defaults 200 / 80 s)
set -uo pipefail
OUT=${OUT:?set OUT}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=$(command -v /opt/torch/.venv/bin/python3 || command -v python3)
mkdir -p /tmp/m && tar xJf .bundle/micro.tar.xz -C /tmp/m || exit 1
export MICRO_CACHE_DIR=/tmp/micro-cache
t0=$SECONDS
timeout "${RUN_S:-200}" /tmp/m/micro/micro run --out "$OUT/run" > "$OUT/run.log" 2>&1
rc=$?
echo "micro run: rc=$rc in $((SECONDS - t0)) s (limit ${RUN_S:-200} s)" | tee "$OUT/summary.txt"
tail -25 "$OUT/run.log"
"$PY" "$HERE/gpu_reference.py" "$OUT/run/torch.json" > "$OUT/reference.log" 2>&1 || echo "torch reference failed (see reference.log)"
"$PY" "$HERE/gpu_compare.py" "$OUT/run" "$OUT/run/torch.json" "$OUT/compare.txt" > /dev/null 2>&1
QUICK=1 OUT="$OUT/attention" MICRO=/tmp/m/micro/micro timeout "${ATTN_S:-80}" bash "$HERE/attention.sh" > "$OUT/attention.log" 2>&1
echo "attention: rc=$?" | tee -a "$OUT/summary.txt"
echo; cat "$OUT/compare.txt" 2>/dev/null; echo; cat "$OUT/attention/compare.txt" 2>/dev/null
exit 0

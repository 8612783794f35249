#!/usr/bin/env bash
# Every device check in ONE call (device time is scarce), from the repository root on the GPU machine with the
# bundle from scripts/device-bundle carried along (run tool: carry [".bundle"]):
#     OUT=$OUT scripts/device/all.sh
# Each area's script runs under its own time budget and writes under /tmp/o/<area>; everything is packed into
# $OUT/device-results.tgz (GPU_S/ATTN_S/E2E_S set budgets; SKIP_COLL=1/SKIP_MEMORY=1 leave areas out when device time is short), and each area's comparison table is copied to $OUT/<area>.txt and printed last.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
FINAL=${OUT:?set OUT}
O=/tmp/o
rm -rf "$O" && mkdir -p "$O"
export MICRO=/tmp/m/micro/micro
export MICRO_NATIVE_DIR=/tmp/m/micro
STATUS=()
area() {  # area NAME BUDGET_S SCRIPT
  local name=$1 budget=$2 script=$3 t0=$SECONDS
  echo "##### $name ($script, budget ${budget}s) $(date -u +%T)"
  OUT="$O/$name" timeout --kill-after=5 "$budget" bash "$script" > "$O/$name.log" 2>&1
  local rc=$?
  STATUS+=("$(printf '%-12s rc=%-4s %4ss' "$name" "$rc" "$((SECONDS - t0))")")
  tail -5 "$O/$name.log"
}
area gpu ${GPU_S:-160} scripts/device/gpu.sh
area attention ${ATTN_S:-140} scripts/device/attention.sh
[ -f scripts/device/collectives.sh ] && [ "${SKIP_COLL:-0}" != 1 ] && area collectives 90 scripts/device/collectives.sh
[ "${SKIP_MEMORY:-0}" != 1 ] && area memory 60 scripts/device/memory.sh
# e2e reads measured ceilings from $OUT/memory/ceilings.json: give it the GPU run's (memory_bandwidth, gemm_bf16).
mkdir -p "$O/e2e-base/memory" && cp "$O/gpu/r/ceilings.json" "$O/e2e-base/memory/ceilings.json" 2>/dev/null
OUT_E2E="$O/e2e-base"; STATUS_E2E_T0=$SECONDS
echo "##### e2e $(date -u +%T)"; OUT="$OUT_E2E" timeout ${E2E_S:-60} bash scripts/device/e2e.sh > "$O/e2e.log" 2>&1; STATUS+=("$(printf '%-12s rc=%-4s %4ss' e2e $? $((SECONDS - STATUS_E2E_T0)))")
echo "##### report $(date -u +%T)"; timeout 40 "$MICRO" report "$O/gpu/r" > "$O/report.log" 2>&1; STATUS+=("report       rc=$?")

tar czf "$FINAL/device-results.tgz" -C /tmp o 2>/dev/null
cp "$O/gpu/compare.txt" "$FINAL/gpu.txt" 2>/dev/null
cp "$O/attention/compare.txt" "$FINAL/attention.txt" 2>/dev/null
find "$O/collectives" -maxdepth 2 -name 'compare*.txt' -exec cp {} "$FINAL/collectives.txt" \; 2>/dev/null
cp "$O/e2e-base/e2e/summary.txt" "$FINAL/e2e.txt" 2>/dev/null
tail -40 "$O/memory/memory/log.txt" > "$FINAL/memory.txt" 2>/dev/null || tail -40 "$O/memory.log" > "$FINAL/memory.txt"
echo; echo "##### status"; printf '%s\n' "${STATUS[@]}"
for f in gpu attention collectives memory e2e; do [ -f "$FINAL/$f.txt" ] && { echo "##### $f"; cat "$FINAL/$f.txt"; }; done
exit 0

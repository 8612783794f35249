#!/usr/bin/env bash
# One device call for the native GPU work (issue 4). Runs on the lent GPU machine from the repository root, with the
# bundle made here by scripts/device-bundle carried along (run tool: carry [".bundle"]):
#     scripts/device/gpu.sh
# Steps (each continues past a failure; a status table is printed at the end):
#   1. unpack .bundle/micro.tar.xz to /tmp/m; nvidia-smi facts (read only: never changes clocks or modes)
#   2. find NVRTC/cuBLAS in the Python packages (the very libcublas torch loads) and export MICRO_*_PATH
#   3. micro devices; micro link / gemm / launch (and memory --backend native when present) into $OUT/r
#   4. torch reference in the same call: D2D copy 1 GiB (read+write bytes, CUDA events), torch.matmul bf16 8192^3 and
#      the LLM shapes, pinned H2D/D2H 1 GiB; then a comparison table (micro vs torch vs datasheet) printed last.
# Env knobs: QUICK=1 (smoke sizes), RUN_ALL=1 (also `micro run`), PYTHON=/path/to/python.
set -u
OUT=${OUT:-/tmp/micro-out}
R="$OUT/r"
mkdir -p "$R"
LOG="$OUT/gpu.log"
exec > >(tee -a "$LOG") 2>&1
HERE=$(cd "$(dirname "$0")" && pwd)
STATUS=()
step() {  # step NAME TIMEOUT_S CMD...
  local name=$1 limit=$2; shift 2
  echo; echo "=== $name: $*"
  local t0=$SECONDS
  timeout --kill-after=10 "$limit" "$@"
  local rc=$?
  [ $rc -eq 124 ] && echo "=== $name: TIMED OUT after ${limit}s"
  echo "=== $name: rc=$rc ($((SECONDS - t0)) s)"
  STATUS+=("$(printf '%-22s rc=%-4s %4ss' "$name" "$rc" "$((SECONDS - t0))")")
}
QUICKFLAG=(); [ "${QUICK:-0}" = 1 ] && QUICKFLAG=(--quick)

echo "=== gpu.sh $(date -u +%FT%TZ) host=$(hostname) out=$OUT"
step unpack 120 bash -c 'rm -rf /tmp/m && mkdir -p /tmp/m && tar xJf .bundle/micro.tar.xz -C /tmp/m && ls -l /tmp/m/micro/micro'
MICRO=/tmp/m/micro/micro
step nvidia-smi 30 nvidia-smi --query-gpu=name,pci.bus_id,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem,power.draw,power.limit,temperature.gpu,clocks_event_reasons.active --format=csv

# Python with torch: $PYTHON, python3, or the torch venv.
PY=${PYTHON:-}
for cand in python3 /opt/torch/.venv/bin/python; do
  [ -n "$PY" ] && break
  command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import torch' >/dev/null 2>&1 && PY=$cand
done
echo "=== python: ${PY:-none with torch}"

# The libraries torch itself loads (after one matmul) are the ones Micro should use, so the comparison is like for like.
if [ -n "$PY" ]; then
  eval "$("$PY" "$HERE/gpu_libs.py" 2>/dev/null)"
fi
for v in MICRO_NVRTC_PATH MICRO_CUBLAS_PATH; do echo "=== $v=${!v:-<unset: Micro searches itself>}"; done
export LD_LIBRARY_PATH="${MICRO_LIB_DIRS:-}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "=== LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
export MICRO_CACHE_DIR="$OUT/cache"

step "micro devices" 60 "$MICRO" devices
# memory first: the link/gemm/launch verbs rebuild ceilings.json from every point in $R, so theirs is the complete one.
if "$MICRO" memory --help 2>/dev/null | grep -q -- '--backend'; then
  step "micro memory" 240 "$MICRO" memory --out "$R" --backend ilgpu,native --dtype float "${QUICKFLAG[@]}"
fi
step "micro link" 150 "$MICRO" link --out "$R" "${QUICKFLAG[@]}"
step "micro gemm" 240 "$MICRO" gemm --out "$R" "${QUICKFLAG[@]}"
step "micro launch" 60 "$MICRO" launch --out "$R" "${QUICKFLAG[@]}"
[ "${RUN_ALL:-0}" = 1 ] && step "micro run" 300 "$MICRO" run --out "$OUT/run" "${QUICKFLAG[@]}"
rm -rf "$OUT/cache"

if [ -n "$PY" ]; then
  step "torch reference" 150 "$PY" "$HERE/gpu_reference.py" "$R/torch.json"
  step "compare" 30 "$PY" "$HERE/gpu_compare.py" "$R" "$R/torch.json" "$OUT/compare.txt"
else
  echo "=== no python with torch: reference skipped"
fi

echo; echo "=== step status"; printf '%s\n' "${STATUS[@]}"
[ -f "$OUT/compare.txt" ] && { echo; cat "$OUT/compare.txt"; }
exit 0

#!/usr/bin/env bash
# Issue 14's ONE H200 call (expected ~4.5-5 min of device time; run with timeout_s=300, the brief's cap for one call), from the repository root on
# the device machine with the bundle of scripts/device-bundle carried (run tool: carry [".bundle"]):
#     COMMIT=$(git rev-parse HEAD) OUT=$OUT bash scripts/device/h200.sh      (COMMIT is set here, before the call)
# In order, each under its own time limit:
#   1. `micro run --soak 20` (under `mpirun -np 1` where mpirun exists, so the one-rank NCCL suite runs), timed;
#      RUN_S (default 140 s, soak included) caps it
#   2. the same-call torch references on the shapes that run measured (h200_reference.py): D2D copy, torch.matmul
#      bf16 TN, torch._scaled_mm fp8, SDPA flash and cuDNN (REF_S, 40 s); then torch.matmul again with
#      PYTORCH_TUNABLEOP_ENABLED=1 (TUNE_S, 25 s)
#   3. `micro gemm --model llama-3.1-8b --m 1,128,2048` (issue 13): the model's own per-GPU layer shapes at TP1 and TP2,
#      the points predict's step model interpolates over M, into gemm-model/ (GEMM_MODEL_S, 25 s each)
#   4. nccl-tests all_reduce_perf on one GPU, only if it is on the PATH and time is left (NCCL_S, 10 s)
#   5. the comparison table (h200_compare.py) -> compare.txt, printed last
# Everything goes into $OUT/h200.tgz; beside it only summary.txt, compare.txt and run-tail.log (4 files back of 8).
# Workspaces are the same on both sides: Micro gives cuBLAS/cuBLASLt 32 MiB; torch gets CUBLASLT_WORKSPACE_SIZE=32768
# (KiB) and CUBLAS_WORKSPACE_CONFIG=:4096:8 (32 MiB). fp8 fast accumulation is off on both sides.
set -uo pipefail
FINAL=${OUT:?set OUT}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
HERE=scripts/device
O=/tmp/h200
rm -rf "$O" && mkdir -p "$O"
T0=$SECONDS
PY=$(command -v /opt/torch/.venv/bin/python3 || command -v python3)
mkdir -p /tmp/m && tar xJf .bundle/micro.tar.xz -C /tmp/m || { echo "no bundle: run scripts/device-bundle here first and carry .bundle"; exit 1; }
export MICRO_CACHE_DIR=/tmp/micro-cache MICRO_NATIVE_DIR=/tmp/m/micro
eval "$("$PY" "$HERE/gpu_libs.py" 2> "$O/libs.log")"
export CUBLASLT_WORKSPACE_SIZE=32768 CUBLAS_WORKSPACE_CONFIG=:4096:8 PYTHONUNBUFFERED=1
{
  echo "date: $(date -u +%FT%TZ)"; echo "commit: ${COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}"
  nvidia-smi --query-gpu=name,driver_version,memory.total,power.limit,clocks.max.sm,clocks.max.mem --format=csv
  "$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'cudnn', torch.backends.cudnn.version())"
  command -v mpirun && mpirun --version | head -1; command -v all_reduce_perf
  env | grep -E '^MICRO_|^CUBLAS|^OMP_' | sort
} > "$O/env.txt" 2>&1

LAUNCH=()
command -v mpirun > /dev/null && LAUNCH=(mpirun --allow-run-as-root -np 1)
t=$SECONDS
timeout --kill-after=10 "${RUN_S:-140}" "${LAUNCH[@]}" /tmp/m/micro/micro run --out "$O/run" --soak "${SOAK_S:-20}" > "$O/run.log" 2>&1
RUN_RC=$?
WALL=$((SECONDS - t))
if [ "$RUN_RC" -ne 0 ] && [ "${#LAUNCH[@]}" -gt 0 ] && [ "$WALL" -lt 15 ]; then
  # mpirun itself failed (not micro): keep the call useful with a bare run (the NCCL suite then skips, saying why).
  mv "$O/run.log" "$O/run-mpirun.log"; rm -rf "$O/run"; t=$SECONDS
  timeout --kill-after=10 "${RUN_S:-140}" /tmp/m/micro/micro run --out "$O/run" --soak "${SOAK_S:-20}" > "$O/run.log" 2>&1
  RUN_RC=$?; WALL=$((SECONDS - t)); LAUNCH=("(mpirun failed: bare)")
fi
echo "micro run --soak ${SOAK_S:-20} ${LAUNCH[*]}: rc=$RUN_RC in ${WALL} s (limit ${RUN_S:-140} s)" | tee "$O/summary.txt"

timeout "${REF_S:-40}" "$PY" "$HERE/h200_reference.py" "$O/run/results.jsonl" "$O/torch.json" > "$O/reference.log" 2>&1
echo "torch reference: rc=$?" | tee -a "$O/summary.txt"
PYTORCH_TUNABLEOP_ENABLED=1 PYTORCH_TUNABLEOP_TUNING=1 PYTORCH_TUNABLEOP_FILENAME="$O/tunableop.csv" \
  PYTORCH_TUNABLEOP_MAX_TUNING_DURATION_MS=30 PYTORCH_TUNABLEOP_MAX_WARMUP_DURATION_MS=5 \
  timeout "${TUNE_S:-25}" "$PY" "$HERE/h200_reference.py" "$O/run/results.jsonl" "$O/torch_tunable.json" gemm-only > "$O/reference_tunable.log" 2>&1
echo "torch TunableOp reference: rc=$?" | tee -a "$O/summary.txt"

for TP in 1 2; do
  t=$SECONDS
  timeout --kill-after=10 "${GEMM_MODEL_S:-25}" /tmp/m/micro/micro gemm --model llama-3.1-8b --tp "$TP" --m 1,128,2048 --out "$O/gemm-model" > "$O/gemm-model-tp$TP.log" 2>&1
  echo "micro gemm --model llama-3.1-8b --tp $TP --m 1,128,2048: rc=$? in $((SECONDS - t)) s (limit ${GEMM_MODEL_S:-25} s)" | tee -a "$O/summary.txt"
done

if command -v all_reduce_perf > /dev/null && [ $((SECONDS - T0)) -lt 310 ]; then
  timeout "${NCCL_S:-10}" all_reduce_perf -b 32M -e 256M -f 2 -g 1 > "$O/nccl_tests.log" 2>&1
  echo "nccl-tests all_reduce_perf: rc=$?" | tee -a "$O/summary.txt"
else
  echo "nccl-tests all_reduce_perf: not run (not on the PATH, or no time left)" | tee -a "$O/summary.txt"
fi

"$PY" "$HERE/h200_compare.py" "$O/run" "$O/torch.json" "$O/torch_tunable.json" "$WALL" > "$O/compare.txt" 2>&1
echo "total: $((SECONDS - T0)) s" | tee -a "$O/summary.txt"
tar czf "$FINAL/h200.tgz" -C /tmp h200
cp "$O/summary.txt" "$O/compare.txt" "$FINAL/"
tail -60 "$O/run.log" > "$FINAL/run-tail.log"
echo; cat "$O/compare.txt"
exit 0

#!/usr/bin/env bash
# Device check for reports and fleet mode, run on the lent GPU machine from an unpacked bundle (/tmp/m/micro/micro).
# Writes under $OUT:
#   r/            `micro run` on the GPU (whatever suites the bundle has), then `micro report r`:
#                 r/report.html, r/plots/*.png (bandwidth vs size with the L2 line, roofline with the measured GEMM
#                 ceiling, launch latency) - look at the PNGs.
#   fleet/        if mpirun and libmicro_coll.so are there: `micro run --fleet -np 2 --fleet-serial` on the one GPU
#                 (both ranks measure GPU 0, one after the other), then `micro report fleet`: results.jsonl with ranks
#                 0 and 1, ceilings.json with a fleet section, fleet-*.png bars; no outlier expected at 5%.
#   reference.txt torch: device-to-device copy GB/s (read + write bytes, CUDA events, 2 GiB) and bf16 8192^3 matmul
#                 TFLOP/s, to compare with memory_bandwidth / gemm_bf16 in r/ceilings.json.
set -uo pipefail
MICRO=${MICRO:-/tmp/m/micro/micro}
OUT=${OUT:?set OUT}
mkdir -p "$OUT"
export MICRO_NATIVE_DIR=${MICRO_NATIVE_DIR:-$(dirname "$MICRO")}
log() { echo "== $*" | tee -a "$OUT/log"; }

log "micro run (GPU)"
timeout 900 "$MICRO" run --out "$OUT/r" 2>&1 | tail -60 | tee -a "$OUT/log"
log "micro report r"
timeout 300 "$MICRO" report "$OUT/r" 2>&1 | tee -a "$OUT/log"
ls -la "$OUT/r/plots" 2>&1 | tee -a "$OUT/log"

if command -v mpirun >/dev/null 2>&1 && [ -f "$MICRO_NATIVE_DIR/libmicro_coll.so" ]; then
  log "micro run --fleet (2 ranks on GPU 0, serial)"
  CUDA_VISIBLE_DEVICES=0 timeout 900 mpirun --allow-run-as-root --oversubscribe -np 2 -x MICRO_NATIVE_DIR -x CUDA_VISIBLE_DEVICES \
    "$MICRO" run --fleet --fleet-serial --quick --out "$OUT/fleet" 2>&1 | tail -30 | tee -a "$OUT/log"
  timeout 300 "$MICRO" report "$OUT/fleet" 2>&1 | tee -a "$OUT/log"
else
  log "fleet skipped: no mpirun or no libmicro_coll.so beside micro"
fi

log "torch reference"
python3 - <<'PY' 2>&1 | tee "$OUT/reference.txt" | tee -a "$OUT/log"
import torch
n = 2 * 1024**3 // 4
a = torch.ones(n, device="cuda", dtype=torch.float32); b = torch.empty_like(a)
s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
for _ in range(3): b.copy_(a)
ts = []
for _ in range(20):
    s.record(); b.copy_(a); e.record(); torch.cuda.synchronize(); ts.append(s.elapsed_time(e) / 1e3)
ts.sort(); t = ts[len(ts) // 2]
print(f"torch d2d copy: {2 * a.numel() * 4 / t / 1e9:.1f} GB/s (read+write bytes, median of 20)")
m = 8192
x = torch.randn(m, m, device="cuda", dtype=torch.bfloat16); y = torch.randn(m, m, device="cuda", dtype=torch.bfloat16)
for _ in range(3): x @ y
ts = []
for _ in range(20):
    s.record(); x @ y; e.record(); torch.cuda.synchronize(); ts.append(s.elapsed_time(e) / 1e3)
ts.sort(); t = ts[len(ts) // 2]
print(f"torch bf16 matmul 8192^3: {2 * m**3 / t / 1e12:.1f} TFLOP/s (median of 20)")
PY

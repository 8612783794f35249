#!/usr/bin/env bash
# Attention on the device machine (see /work/shared/DEVICE.md): run from the repository root with the bundle unpacked
# at /tmp/m/micro/micro. Writes under $OUT:
#   micro/results.jsonl, micro/ceilings.json  Micro's points (decode GB/s, prefill TFLOP/s, verified vs double reference)
#   torch.json                                torch D2D copy GB/s (read + write) and SDPA flash TFLOP/s, same shapes
#   compare.txt                               the comparison table (also printed, before the code census)
#   code.txt                                  instruction census of ILGPU PTX, NVRTC/nvcc PTX and SASS of kernels/attention
#   attention.log                             everything printed
# Checks: Llama-3.1-8B decode at contexts 4k and 16k with the batch Micro picks (K+V >= 4x L2), native >= 85% of the
# torch copy bandwidth measured in this run; prefill native >= 0.8x SDPA flash on the same (B, L, causal); ILGPU beside both.
# QUICK=1: the native backend only (no ILGPU, no MLA, no ILGPU PTX dump): the same Llama shapes and torch reference in
# about a minute, for re-measuring the native kernels.
set -uo pipefail
QUICK=${QUICK:-0}
BACKEND=(); [ "$QUICK" = 1 ] && BACKEND=(--backend native)
OUT=${OUT:-/tmp/attn-out}
MICRO=${MICRO:-/tmp/m/micro/micro}
mkdir -p "$OUT"
exec > >(tee "$OUT/attention.log") 2>&1
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv || true

echo "== micro attention decode (Llama-3.1-8B, native + ILGPU)"
"$MICRO" attention --model llama-3.1-8b --kind decode,decode-paged --contexts 4k,16k "${BACKEND[@]}" --out "$OUT/micro"
echo "== micro attention prefill (Llama-3.1-8B, native + ILGPU)"
"$MICRO" attention --model llama-3.1-8b --kind prefill,prefill-noncausal --lengths 1k,4k,8k "${BACKEND[@]}" --out "$OUT/micro"
if [ "$QUICK" != 1 ]; then
  echo "== micro attention MLA decode (DeepSeek-V3, ILGPU)"
  "$MICRO" attention --model deepseek-v3 --kind mla --contexts 4k --backend ilgpu --iterations 5 --out "$OUT/micro"
fi

echo "== torch reference"
python3 - "$OUT/torch.json" <<'PY'
import json, sys, torch
import torch.nn.functional as F
from torch.nn.attention import sdpa_kernel, SDPBackend
dev = torch.device("cuda")
def timed(fn, iters=20, warm=3):
    for _ in range(warm): fn()
    torch.cuda.synchronize()
    ts = []
    for _ in range(iters):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record(); fn(); b.record(); b.synchronize(); ts.append(a.elapsed_time(b) / 1e3)
    ts.sort(); return ts[len(ts) // 2]
n = 1 << 30  # 1 GiB per buffer
src = torch.ones(n, dtype=torch.uint8, device=dev); dst = torch.empty_like(src)
t = timed(lambda: dst.copy_(src))
res = {"device": torch.cuda.get_device_name(), "torch": torch.__version__, "copy_gbps": 2 * n / t / 1e9, "copy_bytes_counted": "read + write, 1 GiB buffers", "sdpa": []}
print(f"torch D2D copy: {res['copy_gbps']:.0f} GB/s (read + write)")
for L in (1024, 4096, 8192):
    B = max(1, 16384 // L)
    for causal in (True, False):
        q = torch.randn(B, 32, L, 128, device=dev, dtype=torch.bfloat16)
        k = torch.randn(B, 8, L, 128, device=dev, dtype=torch.bfloat16).repeat_interleave(4, dim=1)
        v = torch.randn(B, 8, L, 128, device=dev, dtype=torch.bfloat16).repeat_interleave(4, dim=1)
        with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
            t = timed(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal))
        flops = B * 32 * L * L * 256 * (1 if causal else 2)
        res["sdpa"].append({"batch": B, "seq_len": L, "causal": causal, "seconds": t, "tflops": flops / t / 1e12})
        print(f"sdpa flash B={B} L={L} causal={causal}: {flops / t / 1e12:.1f} TFLOP/s")
json.dump(res, open(sys.argv[1], "w"), indent=1)
PY


echo "== comparison"
python3 - "$OUT/micro/results.jsonl" "$OUT/torch.json" <<'PY' | tee "$OUT/compare.txt"
import json, sys
sys.path.insert(0, "scripts/device")
from micro_points import params
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ref = json.load(open(sys.argv[2])); copy = ref["copy_gbps"]
print(f"device {ref['device']}; torch D2D copy {copy:.0f} GB/s (read+write) = the bandwidth reference")
print(f"{'case':<20}{'backend':<12}{'batch':>6}{'tokens':>8}{'GB/s':>9}{'of copy':>9}{'TFLOP/s':>9}{'vs SDPA':>9}  verified")
for r in recs:
    p = params(r); bw = (r.get("bandwidth") or {}).get("median", 0); tf = (r.get("compute") or {}).get("median", 0)
    ok = "ok" if r["verification"]["passed"] else "FAILED"
    if r["case"].startswith("prefill"):
        causal = p.get("causal") == "true"
        s = [x for x in ref["sdpa"] if x["seq_len"] == int(p["seq_len"]) and x["causal"] == causal and x["batch"] == int(p["batch"])]
        vs = f"{tf / s[0]['tflops']:.2f}x" if s else "-"
        print(f"{r['case']:<20}{r['backend']:<12}{p['batch']:>6}{p['seq_len']:>8}{bw:>9.0f}{'':>9}{tf:>9.1f}{vs:>9}  {ok}")
    else:
        print(f"{r['case']:<20}{r['backend']:<12}{p['batch']:>6}{p['context']:>8}{bw:>9.0f}{bw / copy:>8.0%} {tf:>9.2f}{'':>9}  {ok}  splits={p.get('splits', '1')}")
for x in ref["sdpa"]:
    print(f"{'sdpa-flash' + ('-causal' if x['causal'] else ''):<20}{'torch':<12}{x['batch']:>6}{x['seq_len']:>8}{'':>9}{'':>9}{x['tflops']:>9.1f}{'1.00x':>9}")
PY

echo "== code census (ILGPU PTX; nvcc PTX and SASS of kernels/attention)"
mkdir -p "$OUT/code"
{
  [ "$QUICK" = 1 ] || "$MICRO" attention --dump-ptx "$OUT/code"
  for k in decode prefill; do
    # One cubin compile (-Xptxas -v: registers, spills, shared memory per entry) feeds the SASS census; the PTX compile
    # is skipped under QUICK to keep the run short.
    nvcc -arch=sm_90 -cubin -I kernels/include "kernels/attention/$k.cu" -Xptxas -v -o "$OUT/code/native_$k.cubin" 2> "$OUT/code/native_$k.ptxas" &&
    cuobjdump -sass "$OUT/code/native_$k.cubin" > "$OUT/code/native_$k.sass" || echo "nvcc/cuobjdump failed for $k"
    if [ "$QUICK" != 1 ]; then
      nvcc -arch=sm_90 -ptx -I kernels/include "kernels/attention/$k.cu" -o "$OUT/code/native_$k.ptx" &&
      echo "native_$k PTX: $(grep -oE 'ld\.global(\.nc)?\.v4|mma\.sync[.a-z0-9]*|ldmatrix[.a-z0-9]*|cp\.async\.cg|ld\.local|st\.local' "$OUT/code/native_$k.ptx" | sort | uniq -c | tr -s ' \n' ' ')"
    fi
    echo "native_$k SASS: $(grep -oE 'LDG\.E\.128(\.CONSTANT)?|LDG\.E[.A-Z0-9]*|HMMA\.[0-9A-Z.]*|LDSM[.A-Z0-9]*|LDGSTS[.A-Z0-9]*|STL|LDL|BAR\.SYNC' "$OUT/code/native_$k.sass" | sort | uniq -c | tr -s ' \n' ' ')"
    grep -E "entry function|registers|spill" "$OUT/code/native_$k.ptxas" | sed -E 's/.*entry function//' | head -40
  done
} > "$OUT/code.txt" 2>&1
cat "$OUT/code.txt"
tar czf "$OUT/code.tgz" -C "$OUT" code && rm -rf "$OUT/code"

#!/usr/bin/env bash
# Device check of the end-to-end speed-of-light model (issue 3), run on the GPU machine from the self-contained bundle
# (scripts/device-bundle here; carry [".bundle"]). The SoL model must be an upper bound that real code gets close to:
#   1. torch, in the same call: an "ideal decode engine" for Llama-3.1-8B shapes (bf16, random seeded non-zero weights:
#      32 x (QKV, O, gate+up, down) + lm_head, context 0, no attention work), one decode step at batch 1 and 64 timed
#      with CUDA events (CUDA graph, median of 20 after warm-up; graph output checked against eager), plus a 1 GiB
#      device-to-device copy (bytes read + written) for the measured bandwidth.
#   2. The step times are written as two vLLM-style result files (max_concurrency = batch, output tok/s = B / t_step)
#      and fed to `micro analyze --model config_llama31_8b.json --gpu "<nvidia-smi name>"` (datasheet) and, when
#      memory.sh left one, `--ceilings $OUT/memory/ceilings.json` (measured).
# What it must show (summary.txt): sol_fraction < 1 at both batches (SoL is a ceiling), about 0.85-0.95 at batch 1
# against the datasheet (a torch copy reaches ~2.97 of 3.35 TB/s), and torch's achieved weight-read bandwidth at
# batch 1 close to its own D2D copy figure.
# Usage: OUT=/path MICRO=/tmp/m/micro/micro scripts/device/e2e.sh   (writes under $OUT/e2e)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MICRO=${MICRO:-/tmp/m/micro/micro}
if [ ! -x "$MICRO" ] && [ -f "$ROOT/.bundle/micro.tar.xz" ]; then
  mkdir -p /tmp/m && tar xJf "$ROOT/.bundle/micro.tar.xz" -C /tmp/m
fi
OUT=${OUT:?set OUT}/e2e
mkdir -p "$OUT"
PY=${PYTHON:-$(command -v /opt/torch/.venv/bin/python3 || command -v python3)}
GPU_NAME=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)

# The public Llama-3.1-8B config (shared/data/models), or the fields Micro reads, written here when shared/ is absent.
CFG="$ROOT/../shared/data/models/config_llama31_8b.json"
[ -f "$CFG" ] || CFG="$ROOT/shared/data/models/config_llama31_8b.json"
if [ ! -f "$CFG" ]; then
  CFG="$OUT/config_llama31_8b.json"
  echo '{"model_type":"llama","num_hidden_layers":32,"hidden_size":4096,"intermediate_size":14336,"num_attention_heads":32,"num_key_value_heads":8,"vocab_size":128256,"tie_word_embeddings":false,"attention_bias":false,"torch_dtype":"bfloat16"}' > "$CFG"
fi

timeout 600 "$PY" - "$OUT" > "$OUT/torch.txt" 2>&1 <<'PYEOF'
import json, statistics, sys, torch
out = sys.argv[1]
dev, dt = "cuda", torch.bfloat16
torch.manual_seed(20261122)
H, I, L, V, NQ, NKV, D = 4096, 14336, 32, 128256, 32, 8, 128
print("torch", torch.__version__, torch.cuda.get_device_name(0))
def w(*shape): return (torch.randn(*shape, dtype=torch.float32, device=dev) * 0.02).to(dt)
layers = [(w(H, (NQ + 2 * NKV) * D), w(NQ * D, H), w(H, 2 * I), w(I, H)) for _ in range(L)]
lm = w(H, V)
weight_bytes = sum(t.numel() * t.element_size() for l in layers for t in l) + lm.numel() * lm.element_size()
print(f"weights read per step: {weight_bytes / 1e9:.3f} GB (no embedding table: decode reads B rows of it)")
def step(x):
    for wqkv, wo, wgu, wd in layers:
        qkv = x @ wqkv
        x = x + qkv[:, : NQ * D] @ wo
        g, u = (x @ wgu).chunk(2, dim=-1)
        x = x + (torch.nn.functional.silu(g) * u) @ wd
        x = x * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + 1e-5).to(dt)
    return x @ lm
def timed(fn, reps=20):
    for _ in range(3): fn()
    torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record(); fn(); e.record(); torch.cuda.synchronize()
        ts.append(s.elapsed_time(e) / 1e3)
    return statistics.median(ts), min(ts), max(ts)
res = {"device": torch.cuda.get_device_name(0), "weight_bytes": weight_bytes}
n = (1 << 30) // 4
a = torch.full((n,), 0.5, device=dev); c = torch.empty_like(a)
med, best, worst = timed(lambda: c.copy_(a))
assert torch.equal(a, c)
res["d2d_copy_gbps"] = 2 * n * 4 / med / 1e9
print(f"D2D copy 1 GiB fp32: {res['d2d_copy_gbps']:.1f} GB/s median (bytes read + written)")
del a, c
for B in (1, 64):
    x = torch.randn(B, H, device=dev).to(dt)
    eager = step(x)
    try:
        s = torch.cuda.Stream(); s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            for _ in range(2): step(x)
        torch.cuda.current_stream().wait_stream(s)
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g): y = step(x)
        run, mode = g.replay, "cuda graph"
        g.replay(); torch.cuda.synchronize()
        ok = torch.allclose(y.float(), eager.float(), rtol=1e-2, atol=1e-2) and bool(torch.isfinite(y).all()) and bool((y != 0).any())
    except Exception as e:
        print("graph capture failed, timing eager:", e)
        run, mode = (lambda: step(x)), "eager"
        ok = bool(torch.isfinite(eager).all()) and bool((eager != 0).any())
    med, best, worst = timed(run)
    res[f"b{B}"] = {"step_s": med, "best_s": best, "worst_s": worst, "mode": mode, "verified": ok,
                    "weight_read_gbps": weight_bytes / med / 1e9, "tok_s": B / med}
    print(f"batch {B}: step {med * 1e3:.3f} ms median (min {best * 1e3:.3f}, max {worst * 1e3:.3f}), {mode}, verified {ok}: "
          f"{B / med:.1f} tok/s, weights read at {weight_bytes / med / 1e9:.1f} GB/s")
json.dump(res, open(f"{out}/torch.json", "w"), indent=1)
for B in (1, 64):
    t = res[f"b{B}"]["step_s"]
    # An ideal engine's vLLM-style summary: B requests of 2 output tokens (context ~1), one step per token.
    json.dump({"backend": "torch-ideal-decode", "model_id": "llama-3.1-8b-shapes", "request_rate": "inf", "max_concurrency": B,
               "duration": 2 * t, "completed": B, "failed": 0, "total_input_tokens": 0, "total_output_tokens": 2 * B,
               "request_throughput": B / (2 * t), "output_throughput": B / t, "total_token_throughput": B / t,
               "mean_tpot_ms": t * 1e3, "median_tpot_ms": t * 1e3, "p99_tpot_ms": res[f"b{B}"]["worst_s"] * 1e3},
              open(f"{out}/ideal_b{B}.json", "w"))
PYEOF
cat "$OUT/torch.txt"

run_analyze() {  # name, hardware args...
  local name=$1; shift
  "$MICRO" analyze "$OUT/ideal_b1.json" "$OUT/ideal_b64.json" --model "$CFG" "$@" --out "$OUT/$name" > "$OUT/$name.log" 2>&1
  echo "micro analyze ($name) exit code $?" >> "$OUT/$name.log"
  cp -f "$OUT/$name/analysis.json" "$OUT/analysis_$name.json" 2>/dev/null
  rm -rf "$OUT/$name"
}
run_analyze datasheet --gpu "$GPU_NAME"
run_analyze datasheet_allparams --gpu "$GPU_NAME" --param-count all
CEIL="${OUT%/e2e}/memory/ceilings.json"
[ -f "$CEIL" ] && run_analyze measured --ceilings "$CEIL" --gpu-hour-price 2.99

"$PY" - "$OUT" > "$OUT/summary.txt" 2>&1 <<'PYEOF'
import json, os, sys
out = sys.argv[1]
t = json.load(open(f"{out}/torch.json"))
print(f"{t['device']}: torch D2D copy {t['d2d_copy_gbps']:.1f} GB/s; ideal decode weights {t['weight_bytes'] / 1e9:.2f} GB")
for name in ("datasheet", "datasheet_allparams", "measured"):
    p = f"{out}/analysis_{name}.json"
    if not os.path.exists(p):
        print(f"{name}: no analysis (see {name}.log)"); continue
    a = json.load(open(p))
    s = a["speed_of_light"]
    print(f"{name}: {s['hardware']} ({s['hardware_label']}) {s['bandwidth_g_bps']:.0f} GB/s, mode {s['parameter_count_mode'].split(':')[0]}")
    for pt in a["points"]:
        b = int(pt["concurrency"])
        tt = t[f"b{b}"]
        print(f"  batch {b}: torch ideal {pt['output_throughput']:.1f} tok/s (step {tt['step_s'] * 1e3:.3f} ms, verified {tt['verified']}), "
              f"SoL {pt['sol_output_throughput']:.1f} tok/s (step {pt['sol_tpot_ms']:.3f} ms) -> sol_fraction {pt['sol_fraction']:.3f} "
              f"{'OK (< 1)' if pt['sol_fraction'] < 1 else 'ABOVE SPEED OF LIGHT: model or ceiling wrong'}")
PYEOF
cat "$OUT/summary.txt"

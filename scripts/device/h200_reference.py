"""Same-call torch references for scripts/device/h200.sh, on the shapes Micro's own run measured (read from its
results.jsonl, so both sides use the same sizes):

  copy      D2D copy of 2 GiB buffers, bytes read + written (the memory_bandwidth reference)
  matmul    torch.matmul(a, w.t()) bf16, TN like Micro's cuBLASLt cases (a [M,K], w [N,K]); run this script a second
            time with PYTORCH_TUNABLEOP_ENABLED=1 for the tuned figures
  scaled_mm torch._scaled_mm fp8 e4m3 x e4m3, per-tensor scales 2.0 and 0.25, bf16 out, use_fast_accum=False
  sdpa      SDPA flash and cuDNN backends on Micro's prefill shapes (causal and not)

Inputs are random non-zero (uniform +-[0.25, 1), as Micro's), several operand sets rotate when they fit in 2x L2 (as
Micro does), times are CUDA-event medians. Usage: h200_reference.py RESULTS_JSONL OUT_JSON [gemm-only]
"""
import json
import os
import statistics
import sys

import torch

from micro_points import params
import torch.nn.functional as F

DEV = torch.device("cuda")
L2 = 60 << 20
SCALE_A, SCALE_B = 2.0, 0.25  # must match GemmOperation.Fp8ScaleA/B


def timed(fn_for, sets, iters=20, warmup=3, min_sample_s=1e-3):
    """fn_for(i) runs the op on operand set i; returns (median, min, max) seconds per op."""
    for i in range(max(warmup, sets)):
        fn_for(i % sets)
    torch.cuda.synchronize()
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    s.record()
    for i in range(sets):
        fn_for(i)
    e.record(); e.synchronize()
    once = s.elapsed_time(e) / 1e3 / sets
    reps = max(1, min(200, int(min_sample_s / max(once, 1e-7)) + 1))
    times, nxt = [], 0
    for _ in range(iters):
        s.record()
        for _ in range(reps):
            fn_for(nxt); nxt = (nxt + 1) % sets
        e.record(); e.synchronize()
        times.append(s.elapsed_time(e) / 1e3 / reps)
    return statistics.median(times), min(times), max(times)


def uniform(shape, dtype):
    v = torch.rand(shape, device=DEV) * 0.75 + 0.25
    return (v * (torch.randint(0, 2, shape, device=DEV) * 2 - 1)).to(dtype)


def micro_shapes(path):
    gemm, prefill = [], []
    try:
        for line in open(path):
            if not line.strip():
                continue
            r = json.loads(line)
            p = params(r)
            if r.get("suite") == "gemm" and r.get("backend") == "cublaslt" and r.get("dtype") in ("bf16", "fp8"):
                gemm.append((r["dtype"], r["case"], int(p["m"]), int(p["n"]), int(p["k"])))
            if r.get("suite") == "attention" and str(r.get("case", "")).startswith("prefill") and "seq_len" in p:
                prefill.append((int(p.get("batch", 1)), int(p["seq_len"]), p.get("causal") == "true"))
    except OSError as e:
        print(f"no micro results ({e}); default shapes", file=sys.stderr)
    if not gemm:
        gemm = [(t, f"{t}_square_{s}x{s}x{s}", s, s, s) for t in ("bf16", "fp8") for s in (4096, 8192)]
    if not prefill:
        prefill = [(max(1, 16384 // n), n, c) for n in (1024, 4096, 8192) for c in (True, False)]
    return sorted(set(gemm)), sorted(set(prefill))


def sets_for(set_bytes):
    return max(1, min(8, -(-2 * L2 // set_bytes)))


def matmul(case, m, n, k, fp8):
    sets = sets_for((m * k + n * k) * (1 if fp8 else 2) + m * n * 2)
    a = [uniform((m, k), torch.bfloat16) for _ in range(sets)]
    w = [uniform((n, k), torch.bfloat16) for _ in range(sets)]
    if fp8:
        a = [x.to(torch.float8_e4m3fn) for x in a]
        w = [x.to(torch.float8_e4m3fn) for x in w]
        sa, sb = torch.tensor(SCALE_A, device=DEV), torch.tensor(SCALE_B, device=DEV)
        fn = lambda i: torch._scaled_mm(a[i], w[i].t(), scale_a=sa, scale_b=sb, out_dtype=torch.bfloat16, use_fast_accum=False)
        ref = (a[0].float() @ w[0].float().t()) * SCALE_A * SCALE_B
    else:
        fn = lambda i: torch.matmul(a[i], w[i].t())
        ref = a[0].float() @ w[0].float().t()
    out = fn(0).float()
    rel = ((out - ref).norm() / ref.norm()).item()
    med, mn, mx = timed(fn, sets)
    flops = 2.0 * m * n * k
    return {"case": case, "m": m, "n": n, "k": k, "sets": sets, "median_s": med, "tflops": flops / med / 1e12,
            "best_tflops": flops / mn / 1e12, "rel_error": rel, "ok": rel < (2e-2 if fp8 else 1e-2)}


def main():
    results, out_path = sys.argv[1], sys.argv[2]
    gemm_only = len(sys.argv) > 3 and sys.argv[3] == "gemm-only"
    tunable = os.environ.get("PYTORCH_TUNABLEOP_ENABLED") == "1"
    gemm, prefill = micro_shapes(results)
    res = {"device": torch.cuda.get_device_name(), "torch": torch.__version__, "cuda": torch.version.cuda,
           "tunableop": tunable, "cublaslt_workspace_kib": os.environ.get("CUBLASLT_WORKSPACE_SIZE"),
           "cublas_workspace_config": os.environ.get("CUBLAS_WORKSPACE_CONFIG"), "matmul_bf16": [], "scaled_mm_fp8": []}
    if not gemm_only:
        n = 2 << 30
        src = uniform((n // 2,), torch.bfloat16); dst = torch.empty_like(src)
        med, mn, _ = timed(lambda i: dst.copy_(src), 1)
        res["copy"] = {"gbps": 2 * n / med / 1e9, "best_gbps": 2 * n / mn / 1e9, "bytes_counted": "read + write, 2 GiB buffers",
                       "ok": bool(torch.equal(dst, src))}
        print(f"torch D2D copy: {res['copy']['gbps']:.0f} GB/s", flush=True)
        del src, dst
    for dtype, case, m, n, k in gemm:
        if dtype == "fp8" and (gemm_only or tunable):
            continue  # TunableOp tunes matmul; _scaled_mm is measured once, untuned, as torch ships it
        try:
            r = matmul(case, m, n, k, dtype == "fp8")
        except Exception as e:  # noqa: BLE001 -- one failed shape must not lose the rest
            r = {"case": case, "error": str(e).splitlines()[0]}
        res["scaled_mm_fp8" if dtype == "fp8" else "matmul_bf16"].append(r)
        print(f"{'scaled_mm' if dtype == 'fp8' else 'matmul'}{' tunableop' if tunable else ''} {case}: {r.get('tflops', float('nan')):.1f} TFLOP/s", flush=True)
        torch.cuda.empty_cache()
    if not gemm_only:
        from torch.nn.attention import SDPBackend, sdpa_kernel
        res["sdpa"] = []
        for b, n, causal in prefill:
            q = uniform((b, 32, n, 128), torch.bfloat16)
            kv = [uniform((b, 8, n, 128), torch.bfloat16).repeat_interleave(4, dim=1) for _ in range(2)]
            flops = b * 32 * n * n * 256 * (1 if causal else 2)
            for name, backend in (("flash", SDPBackend.FLASH_ATTENTION), ("cudnn", SDPBackend.CUDNN_ATTENTION)):
                try:
                    with sdpa_kernel(backend):
                        med, _, _ = timed(lambda i: F.scaled_dot_product_attention(q, kv[0], kv[1], is_causal=causal), 1, iters=10)
                    row = {"backend": name, "batch": b, "seq_len": n, "causal": causal, "median_s": med, "tflops": flops / med / 1e12}
                except Exception as e:  # noqa: BLE001
                    row = {"backend": name, "batch": b, "seq_len": n, "causal": causal, "error": str(e).splitlines()[0]}
                res["sdpa"].append(row)
                print(f"sdpa {name} B={b} L={n} causal={causal}: {row.get('tflops', float('nan')):.1f} TFLOP/s", flush=True)
            del q, kv
    json.dump(res, open(out_path, "w"), indent=1)


if __name__ == "__main__":
    main()

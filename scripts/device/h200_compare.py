"""The H200 comparison table of scripts/device/h200.sh: Micro's figures beside the same-call torch references.

Usage: h200_compare.py RUN_DIR TORCH_JSON TORCH_TUNABLE_JSON WALL_S   (prints the table; h200.sh tees it to compare.txt)
Targets (issue 14): memory_bandwidth >= 1.00x torch copy; bf16 GEMM (cuBLASLt tuned) >= 1.00x torch.matmul, default
and TunableOp; fp8 GEMM >= 1.00x torch._scaled_mm; prefill vs SDPA flash and cuDNN; decode vs the copy; micro run < 300 s.
"""
import json
import sys

from micro_points import params

DATASHEET_BW = 4800.0


def load(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError) as e:
        print(f"(missing {path}: {e})")
        return {}


def records(run_dir):
    out = []
    try:
        for line in open(f"{run_dir}/results.jsonl"):
            if line.strip():
                out.append(json.loads(line))
    except OSError as e:
        print(f"(no results.jsonl: {e})")
    return out


def ratio(a, b):
    return f"{a / b:.3f}x" if a and b else "n/a"


def main():
    run_dir, torch_path, tunable_path, wall = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    recs = records(run_dir)
    ref, tuned = load(torch_path), load(tunable_path)
    ceil = load(f"{run_dir}/ceilings.json")
    print(f"device {ref.get('device')}; torch {ref.get('torch')} (CUDA {ref.get('cuda')}); micro run wall time {wall} s (target < 300 s)")
    print(f"workspace: Micro 32 MiB; torch CUBLASLT_WORKSPACE_SIZE={ref.get('cublaslt_workspace_kib')} KiB, CUBLAS_WORKSPACE_CONFIG={ref.get('cublas_workspace_config')}")
    dev = next(iter(ceil.get("devices", [])), {})
    cmap = {c["name"]: c for c in dev.get("ceilings", [])}
    copy = (ref.get("copy") or {}).get("gbps")
    print(f"\n{'ceiling':<24}{'micro':>10}{'torch':>10}{'ratio':>9}  note")
    mb = cmap.get("memory_bandwidth", {})
    print(f"{'memory_bandwidth GB/s':<24}{mb.get('value', 0):>10.0f}{copy or 0:>10.0f}{ratio(mb.get('value'), copy):>9}  "
          f"{(mb.get('value') or 0) / DATASHEET_BW:.1%} of 4.8 TB/s; {mb.get('case')} ({mb.get('backend')}); per W: {mb.get('per_watt')} {mb.get('per_watt_unit') or ''}")
    for name in ("gemm_bf16", "gemm_fp16", "gemm_fp8", "d2d_copy"):
        c = cmap.get(name)
        if c:
            print(f"{name:<24}{c['value']:>10.1f}{'':>10}{'':>9}  {c.get('case')} ({c.get('backend')}); "
                  f"{c.get('fraction_of_datasheet') or 0:.1%} of datasheet; per W: {c.get('per_watt')} {c.get('per_watt_unit') or ''}")

    def torch_rate(rows, case):
        r = next((x for x in rows if x.get("case") == case), None)
        return r.get("tflops") if r else None

    print(f"\n{'gemm case':<40}{'micro':>9}{'matmul':>9}{'tunable':>9}{'_scaled_mm':>11}{'ratio':>9}  algo / verification")
    for r in recs:
        if r.get("suite") != "gemm" or r.get("backend") != "cublaslt" or r.get("dtype") not in ("bf16", "fp8"):
            continue
        tf = (r.get("compute") or {}).get("median")
        ok = "ok" if r["verification"]["passed"] else "FAILED"
        if r["dtype"] == "bf16":
            t0, t1 = torch_rate(ref.get("matmul_bf16", []), r["case"]), torch_rate(tuned.get("matmul_bf16", []), r["case"])
            best = max([x for x in (t0, t1) if x] or [0])
            print(f"{r['case']:<40}{tf or 0:>9.1f}{t0 or 0:>9.1f}{t1 or 0:>9.1f}{'':>11}{ratio(tf, best):>9}  {ok} {r['parameters'].get('algo', '')[:60]}")
        else:
            t = torch_rate(ref.get("scaled_mm_fp8", []), r["case"])
            print(f"{r['case']:<40}{tf or 0:>9.1f}{'':>9}{'':>9}{t or 0:>11.1f}{ratio(tf, t):>9}  {ok} {r['parameters'].get('algo', '')[:60]}")

    print(f"\n{'attention':<28}{'backend':<10}{'micro':>9}{'flash':>9}{'cudnn':>9}{'vs flash':>9}{'vs cudnn':>9}")
    sdpa = ref.get("sdpa", [])
    for r in recs:
        if r.get("suite") != "attention":
            continue
        p = params(r)
        if str(r.get("case", "")).startswith("prefill") and "seq_len" in p:
            causal = p.get("causal") == "true"
            tf = (r.get("compute") or {}).get("median")
            pick = lambda b: next((x.get("tflops") for x in sdpa if x.get("backend") == b and x.get("seq_len") == int(p["seq_len"])
                                   and x.get("causal") == causal and x.get("batch") == int(p.get("batch", 1))), None)
            fl, cu = pick("flash"), pick("cudnn")
            print(f"{r['case'] + ' L=' + p['seq_len']:<28}{r['backend']:<10}{tf or 0:>9.1f}{fl or 0:>9.1f}{cu or 0:>9.1f}{ratio(tf, fl):>9}{ratio(tf, cu):>9}")
        elif "context" in p:
            bw = (r.get("bandwidth") or {}).get("median")
            print(f"{r['case'] + ' ctx=' + p['context']:<28}{r['backend']:<10}{bw or 0:>9.0f} GB/s = {ratio(bw, copy)} of torch copy (target >= 0.85x at ctx >= 4k)")

    print("\nsoak windows (t, throughput, power/clocks/temperature/throttle):")
    for r in recs:
        if r.get("suite") == "soak":
            p, pw = r.get("parameters", {}), r.get("power") or {}
            fig = (r.get("compute") or {}).get("median") or (r.get("bandwidth") or {}).get("median")
            print(f"  {r['case']:<16} t={p.get('t_start_s'):>6}s {fig or 0:>9.1f} {(r.get('compute') or r.get('bandwidth') or {}).get('unit', '')}"
                  f"  {pw.get('average_w')} W  SM {pw.get('sm_clock_min_mhz')}-{pw.get('sm_clock_max_mhz')} MHz  {pw.get('temperature_max_c')} C"
                  f"  {','.join(pw.get('throttle_reasons', [])) or 'none'}")
    gpu = [r for r in recs if r.get("power") is not None]
    watts = [r for r in gpu if (r.get("power") or {}).get("average_w")]
    print(f"\npower per point: {len(gpu)} of {len(recs)} points sampled, {len(watts)} with average watts (the rest too short: n/a)")
    failed = [r["case"] for r in recs if not r["verification"]["passed"]]
    print(f"verification: {len(recs) - len(failed)} of {len(recs)} points passed" + (f"; FAILED: {', '.join(failed[:10])}" if failed else ""))


if __name__ == "__main__":
    main()

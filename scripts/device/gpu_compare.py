"""Comparison table for scripts/device/gpu.sh: Micro's results.jsonl vs the torch reference vs the datasheet.

usage: gpu_compare.py RESULTS_DIR TORCH_JSON OUT_TXT
Targets (issue 4): native copy/triad >= torch D2D copy and >= 90% of datasheet; ILGPU >= 95% of native;
bf16 GEMM within 5% of torch.matmul; pinned H2D/D2H within 5% of torch.
"""
import json
import os
import sys

from micro_points import params

DATASHEET = [  # (name substring, memory GB/s, bf16 TFLOP/s, fp16, tf32, fp32), as in src/Micro.Core/Hardware/Datasheet.cs
    ("h200", 4800, 989.4, 989.4, 494.7, 66.9),
    ("h100 nvl", 3900, 835.5, 835.5, 417.5, 60),
    ("h100 pcie", 2000, 756, 756, 378, 51.2),
    ("h100", 3350, 989.4, 989.4, 494.7, 66.9),
]


def load_micro(d):
    recs = []
    p = os.path.join(d, "results.jsonl")
    if os.path.exists(p):
        with open(p) as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        recs.append(json.loads(line))
                    except ValueError:
                        pass
    return recs


def figure(r):
    for key in ("bandwidth", "compute"):
        if r.get(key):
            return r[key]["median"], r[key]["unit"]
    return r["time"]["median"] * 1e6, "us"


def main():
    res_dir, torch_json, out = sys.argv[1:4]
    recs = load_micro(res_dir)
    ref = {}
    device = "?"
    if os.path.exists(torch_json):
        t = json.load(open(torch_json))
        device = t.get("device", "?")
        ref = {i["name"]: i for i in t["items"]}
    ds = next((x for x in DATASHEET if x[0] in device.lower()), None)
    lines = [f"device: {device}; micro points: {len(recs)}; torch points: {len(ref)}",
             f"{'metric':48s} {'micro':>10s} {'torch':>10s} {'m/torch':>8s} {'m/sheet':>8s}  verdict"]

    def row(metric, micro, torch_v, sheet, target_ratio=None, target_sheet=None, unit=""):
        ratio = micro / torch_v if micro and torch_v else None
        frac = micro / sheet if micro and sheet else None
        verdict = []
        if target_ratio and ratio is not None:
            verdict.append(("ok" if ratio >= target_ratio else "LOW") + f" vs torch (>= {target_ratio:.2f})")
        if target_sheet and frac is not None:
            verdict.append(("ok" if frac >= target_sheet else "LOW") + f" vs sheet (>= {target_sheet:.2f})")
        f = lambda v, p: f"{v:{p}}" if v is not None else "-".rjust(int(p.split('.')[0]))
        lines.append(f"{metric:48s} {f(micro, '10.1f')} {f(torch_v, '10.1f')} {f(ratio, '8.3f')} {f(frac, '8.3f')}  {'; '.join(verdict)} {unit}")

    def micro_value(pred):
        best = None
        for r in recs:
            if pred(r) and r.get("verification", {}).get("passed", False):
                v, _ = figure(r)
                best = v if best is None or v > best else best
        return best

    tv = lambda n: ref.get(n, {}).get("value") if ref.get(n, {}).get("ok", False) else None
    mem = ds[1] if ds else None
    torch_d2d = tv("d2d_copy_1GiB")
    row("D2D copy 1 GiB, copy engine (r+w GB/s)", micro_value(lambda r: r["case"] == "d2d_device_ce_1073741824"), torch_d2d, mem, 1.0, 0.9)
    row("D2D copy 1 GiB, SM kernel (r+w GB/s)", micro_value(lambda r: r["case"] == "d2d_device_sm_1073741824"), torch_d2d, mem, 1.0, 0.9)
    def mem_point(r, backend, kernel):  # float, past the L2 only: in-cache points are not HBM bandwidth
        return (r["suite"] == "memory" and r["backend"] == backend and r["case"] == kernel and r.get("d_type", r.get("dtype")) == "float"
                and params(r).get("past_llc") == "true")

    for backend in ("native", "ilgpu"):
        for kernel in ("copy", "triad", "read", "write"):
            v = micro_value(lambda r: mem_point(r, backend, kernel))
            if v is not None:
                row(f"memory {kernel} [{backend}] (GB/s)", v, torch_d2d, mem, 1.0, 0.9)
    for backend_kernel in ("copy", "triad"):
        n = micro_value(lambda r: mem_point(r, "native", backend_kernel))
        i = micro_value(lambda r: mem_point(r, "ilgpu", backend_kernel))
        if n and i:
            lines.append(f"{'ILGPU/native ' + backend_kernel:48s} {i / n:10.3f}  {'ok' if i / n >= 0.95 else 'LOW'} (>= 0.95)")
    # The launch config each native kernel ran with (tuned or fixed by --native-config) and, when tuned, every candidate's GB/s.
    for kernel in ("copy", "triad", "read", "write"):
        pts = [r for r in recs if mem_point(r, "native", kernel) and r.get("verification", {}).get("passed", False)]
        if pts:
            p = max(pts, key=lambda r: figure(r)[0]).get("parameters", {})
            lines.append(f"{'native ' + kernel + ' config':48s} {p.get('native_config', '?')} grid={p.get('grid', '?')} ({p.get('config_source', '?')[:60]})")
            if p.get("tuning_gbps"):
                lines.append(f"{'  tuning (GB/s, not results)':48s} {p['tuning_gbps']}")
    for size in (16 << 20, 1 << 30):
        for d in ("h2d", "d2h"):
            name = f"{d}_pinned_ce_{size}"
            row(f"{d.upper()} pinned {size >> 20} MiB (GB/s)", micro_value(lambda r: r["case"] == name), tv(name), 64, 0.95, None)
    for name in sorted(n for n in ref if ref[n]["kind"] == "gemm"):
        dt = name.split("_")[0]
        sheet = ds[{"bf16": 2, "fp16": 3, "tf32": 4, "fp32": 5}[dt]] if ds else None
        row(f"GEMM {name} (TFLOP/s)", micro_value(lambda r: r["suite"] == "gemm" and r["case"] == name), tv(name), sheet,
            0.95 if dt == "bf16" else None, None)
    for r in recs:
        if r["suite"] == "launch":
            lines.append(f"{'launch ' + r['case'] + ' (per launch/copy)':48s} {r['time']['median'] * 1e6:10.3f} us")
    failed = [r for r in recs if not r.get("verification", {}).get("passed", False)]
    lines.append(f"micro points failing verification: {len(failed)}" + "".join(f"\n  {r['suite']}/{r['case']}" for r in failed))
    text = "\n".join(lines)
    open(out, "w").write(text + "\n")
    print(text)


main()

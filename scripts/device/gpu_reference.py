"""Independent torch reference for scripts/device/gpu.sh: the same quantities Micro measures, timed with CUDA events.

Writes a JSON file {device, torch, cuda, items: [{name, kind, value, unit, median_s, bytes|flops, ok}]}.
Names match Micro's case names so gpu_compare.py can pair them. Inputs are random non-zero; outputs are checked.
"""
import json
import statistics
import sys

import torch

GiB = 1 << 30
LLM_SHAPES = [  # must match src/Micro.Suites/Gemm/GemmCase.cs LlmShapes
    ("llama3-8b.qkv", 4096, 6144, 4096),
    ("llama3-8b.o_proj", 4096, 4096, 4096),
    ("llama3-8b.gate_up", 4096, 28672, 4096),
    ("llama3-8b.down", 4096, 4096, 14336),
    ("llama3-70b.qkv", 4096, 10240, 8192),
    ("llama3-70b.down", 4096, 8192, 28672),
    ("llama3-8b.gate_up.decode64", 64, 28672, 4096),
]


def timed(fn, iters=20, warmup=3, min_sample_s=1e-3):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    s.record(); fn(); e.record(); e.synchronize()
    reps = max(1, min(200, int(min_sample_s / max(s.elapsed_time(e) / 1e3, 1e-7)) + 1))
    times = []
    for _ in range(iters):
        s.record()
        for _ in range(reps):
            fn()
        e.record()
        e.synchronize()
        times.append(s.elapsed_time(e) / 1e3 / reps)
    return statistics.median(times), min(times), max(times)


items = []


def add(name, kind, med, mn, mx, bytes_=0, flops=0, ok=True):
    value, unit = (bytes_ / med / 1e9, "GB/s") if bytes_ else (flops / med / 1e12, "TFLOP/s")
    items.append(dict(name=name, kind=kind, value=value, unit=unit, median_s=med, min_s=mn, max_s=mx, bytes=bytes_, flops=flops, ok=bool(ok)))
    print(f"torch {name:45s} {value:10.1f} {unit}  (median {med*1e3:.3f} ms){'' if ok else '  CHECK FAILED'}", flush=True)


def run(label, fn):
    try:
        fn()
    except Exception as ex:  # keep going: one failing reference must not hide the others
        print(f"torch {label}: FAILED {ex}", flush=True)
        torch.cuda.empty_cache()


def d2d():
    n = GiB // 4
    a = torch.rand(n, device="cuda") + 0.5
    b = torch.zeros_like(a)
    med, mn, mx = timed(lambda: b.copy_(a))
    add("d2d_copy_1GiB", "d2d", med, mn, mx, bytes_=2 * n * 4, ok=torch.equal(a, b))


def pinned():
    for size in (16 << 20, GiB):
        n = size // 4
        h = torch.empty(n, pin_memory=True).uniform_(0.5, 1.5)
        d = torch.zeros(n, device="cuda")
        med, mn, mx = timed(lambda: d.copy_(h, non_blocking=True), iters=10)
        add(f"h2d_pinned_ce_{size}", "h2d", med, mn, mx, bytes_=size, ok=torch.equal(d.cpu(), h))
        h2 = torch.zeros(n, pin_memory=True)
        med, mn, mx = timed(lambda: h2.copy_(d, non_blocking=True), iters=10)
        torch.cuda.synchronize()
        add(f"d2h_pinned_ce_{size}", "d2h", med, mn, mx, bytes_=size, ok=torch.equal(h2, h))
        del h, h2, d


def matmul(dtype_name, shape, m, n, k):
    dt = {"bf16": torch.bfloat16, "fp16": torch.float16, "tf32": torch.float32, "fp32": torch.float32}[dtype_name]
    torch.backends.cuda.matmul.allow_tf32 = dtype_name == "tf32"
    a = (torch.rand(m, k, device="cuda") + 0.25).to(dt)
    b = (torch.rand(k, n, device="cuda") + 0.25).to(dt)
    c = torch.empty(m, n, device="cuda", dtype=dt)
    med, mn, mx = timed(lambda: torch.matmul(a, b, out=c))
    rows = torch.randint(0, m, (16,), device="cuda")
    ref = a[rows].double() @ b.double()
    err = ((c[rows].double() - ref).norm() / ref.norm()).item()
    tol = {"bf16": 1e-2, "fp16": 2e-3, "tf32": 2e-3, "fp32": 1e-5}[dtype_name]
    add(f"{dtype_name}_{shape}_{m}x{n}x{k}", "gemm", med, mn, mx, flops=2.0 * m * n * k, ok=err < tol)
    del a, b, c


props = torch.cuda.get_device_properties(0)
print(f"torch {torch.__version__} cuda {torch.version.cuda} device {props.name} SMs {props.multi_processor_count}", flush=True)
run("d2d", d2d)
run("pinned", pinned)
for dt in ("bf16", "fp16", "tf32", "fp32"):
    for s in (4096, 8192):
        run(f"matmul {dt} {s}", lambda dt=dt, s=s: matmul(dt, "square", s, s, s))
for shape, m, n, k in LLM_SHAPES:
    run(f"matmul {shape}", lambda shape=shape, m=m, n=n, k=k: matmul("bf16", shape, m, n, k))

with open(sys.argv[1], "w") as f:
    json.dump(dict(device=props.name, torch=torch.__version__, cuda=torch.version.cuda, items=items), f, indent=1)

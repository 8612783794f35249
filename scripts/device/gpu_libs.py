"""Prints shell exports for the NVRTC/cuBLAS files torch loads on this machine (MICRO_*_PATH, MICRO_LIB_DIRS).

torch loads cuBLAS for a matmul; NVRTC is found from the nvidia.* packages (nvidia/cu13/lib for CUDA 13 wheels,
nvidia/cuda_nvrtc/lib for CUDA 12) or the toolkit. Each line is `export NAME=value`; diagnostics go to stderr.
"""
import glob
import importlib
import os
import shlex
import sys


def loaded(substr):
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if "/" in line else ""
            if substr in os.path.basename(path):
                return path
    return None


def package_lib_dirs():
    dirs = []
    for name in ["nvidia.cu13", "nvidia.cuda_nvrtc", "nvidia.cublas", "nvidia.nvjitlink", "nvidia.cuda_runtime"]:
        try:
            mod = importlib.import_module(name)
        except Exception:
            continue
        for p in getattr(mod, "__path__", []):
            d = os.path.join(p, "lib")
            if os.path.isdir(d) and d not in dirs:
                dirs.append(d)
    for d in ["/usr/local/cuda/lib64"]:
        if os.path.isdir(d):
            dirs.append(d)
    return dirs


def first(dirs, names):
    for d in dirs:
        for n in names:
            hits = sorted(glob.glob(os.path.join(d, n)))
            if hits:
                return hits[0]
    return None


exports = {}
try:
    import torch

    a = torch.ones(64, 64, device="cuda", dtype=torch.bfloat16)
    (a @ a).sum().item()
    cublas = loaded("libcublas.so")
    if cublas and "libcublasLt" not in cublas:
        exports["MICRO_CUBLAS_PATH"] = cublas
    print(f"torch {torch.__version__} cuda {torch.version.cuda} loaded cublas: {cublas}", file=sys.stderr)
except Exception as e:  # the script must still give what it can
    print(f"torch probe failed: {e}", file=sys.stderr)

dirs = package_lib_dirs()
if "MICRO_CUBLAS_PATH" not in exports:
    c = first(dirs, ["libcublas.so.13", "libcublas.so.12"])
    if c:
        exports["MICRO_CUBLAS_PATH"] = c
nvrtc = first(dirs, ["libnvrtc.so.13", "libnvrtc.so.12"])
if nvrtc:
    exports["MICRO_NVRTC_PATH"] = nvrtc
libdirs = [os.path.dirname(p) for p in exports.values()] + dirs
exports["MICRO_LIB_DIRS"] = ":".join(dict.fromkeys(libdirs))
for k, v in exports.items():
    print(f"export {k}={shlex.quote(v)}")

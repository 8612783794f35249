#!/usr/bin/env bash
# One-GPU check of `micro collectives --backend nccl` against nccl-tests' all_reduce_perf built here from source.
# Run from the repository root on the device machine with .bundle/ carried:
#   .bundle/micro.tar.xz       self-contained `micro` (dotnet publish, see /work/shared/DEVICE.md)
#   .bundle/libmicro_coll.so   the shim built on the dev machine (rebuilt here with CMake when MPI headers exist)
#   .bundle/nccl-tests/        nccl-tests source (NVIDIA/nccl-tests, read-only copy)
# Writes under $OUT: micro_nccl.txt, micro_nccl_graph.txt, micro_all_ops.txt, nccl_tests_all_reduce.txt,
# compare.txt, results.jsonl, ceilings.json, env.txt.
# What it must show: every op verified with #wrong 0 (1 rank: busbw is 0 by definition, so time and algbw
# are compared), and Micro's out-of-place all_reduce time per size within 2% of all_reduce_perf's.
set -uo pipefail
OUT=${OUT:-/tmp/out}
# BUNDLE: where micro.tar.xz, libmicro_coll.so and nccl-tests sit; NATIVE: the native/ source tree.
BUNDLE=${BUNDLE:-.bundle}
NATIVE=${NATIVE:-native}
mkdir -p "$OUT" /tmp/m
PY=$(command -v python3)
[ -x /opt/torch/.venv/bin/python3 ] && PY=/opt/torch/.venv/bin/python3
NCCL_DIR=$($PY -c "import nvidia.nccl, os; print(os.path.dirname(nvidia.nccl.__file__))" 2>/dev/null || true)
{
  echo "date: $(date -u)"; nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader
  echo "nccl python package: ${NCCL_DIR:-none}"; ls "${NCCL_DIR:-/nonexistent}/lib" 2>/dev/null
  echo "mpirun: $(command -v mpirun) $(mpirun --version 2>/dev/null | head -1)"
  ldconfig -p | grep -E "libnccl|libcudart|libmpi\.so" || true
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"
NCCL_LIB=${NCCL_DIR:+$NCCL_DIR/lib/libnccl.so.2}
[ -f "${NCCL_LIB:-}" ] || NCCL_LIB=$(ldconfig -p | awk '/libnccl.so.2 /{print $NF; exit}')
echo "NCCL library used by both: $NCCL_LIB"

tar xJf "$BUNDLE/micro.tar.xz" -C /tmp/m
MICRO=/tmp/m/micro/micro
# Prefer a shim compiled here against this machine's MPI; fall back to the carried build.
mkdir -p /tmp/mwrap && printf 'cmake_minimum_required(VERSION 3.20)\nproject(w C)\nenable_testing()\nadd_subdirectory(%s/collectives coll)\n' "$(cd "$NATIVE" && pwd)" > /tmp/mwrap/CMakeLists.txt
if cmake -S /tmp/mwrap -B /tmp/mbuild -DCMAKE_BUILD_TYPE=Release >/tmp/mbuild.log 2>&1 && cmake --build /tmp/mbuild --target micro_coll -j 16 >>/tmp/mbuild.log 2>&1; then
  cp /tmp/mbuild/coll/libmicro_coll.so /tmp/m/micro/ && echo "shim: built here"
else
  tail -5 /tmp/mbuild.log; cp "$BUNDLE/libmicro_coll.so" /tmp/m/micro/ && echo "shim: carried build"
fi
ldd /tmp/m/micro/libmicro_coll.so | grep -E "mpi|not found"

# nccl-tests from source against the same NCCL (headers from the python package).
# HEAD first; an older release (.bundle/nccl-tests-old) if HEAD needs a newer NCCL than the one here.
for src in nccl-tests nccl-tests-old; do
  [ -d "$BUNDLE/$src" ] || continue
  NT=/tmp/$src
  rm -rf "$NT" && cp -r "$BUNDLE/$src" "$NT"
  mkdir -p /tmp/ncclhome/lib && ln -sf "$NCCL_LIB" /tmp/ncclhome/lib/libnccl.so && ln -sf "$NCCL_LIB" /tmp/ncclhome/lib/libnccl.so.2
  ln -sfn "${NCCL_DIR:-/usr}/include" /tmp/ncclhome/include
  if ( cd "$NT" && make -j 16 MPI=0 CUDA_HOME=/usr/local/cuda NCCL_HOME=/tmp/ncclhome \
         NVCC_GENCODE="-gencode=arch=compute_90,code=sm_90" src.build >/tmp/nt_build_$src.log 2>&1 ); then
    echo "nccl-tests: built $src"; break
  fi
  echo "nccl-tests: $src failed to build:"; grep -m5 -E "error" /tmp/nt_build_$src.log
done
ATR=$(find /tmp/nccl-tests/build /tmp/nccl-tests-old/build -name all_reduce_perf -type f 2>/dev/null | head -1)
echo "all_reduce_perf: ${ATR:-not built}"

SIZES=(-b 8 -e 256M -f 4)
ITERS=(-n 100 -w 10)
export MICRO_NCCL_PATH="$NCCL_LIB"
MPIRUN=(mpirun --allow-run-as-root -np 1)
NTENV=(env LD_LIBRARY_PATH=/tmp/ncclhome/lib:${LD_LIBRARY_PATH:-})
set -x
"${MPIRUN[@]}" "$MICRO" collectives --backend nccl --coll all -d all -o sum -b 8 -e 64M -f 8 -n 20 -w 5 -c 2 \
  --timeout 60 --out "$OUT" > "$OUT/micro_all_ops.txt" 2>&1; echo "micro all ops rc=$?"
# Alternate the two tools three times: small-message times move by 10-20% from run to run on their own.
for rep in 1 2 3; do
  "${MPIRUN[@]}" "$MICRO" collectives --backend nccl --coll all_reduce "${SIZES[@]}" "${ITERS[@]}" -c 1 --timeout 60 \
    > "/tmp/micro_stream_$rep.txt" 2>&1; echo "micro stream $rep rc=$?"
  [ -n "$ATR" ] && "${NTENV[@]}" "$ATR" "${SIZES[@]}" "${ITERS[@]}" -c 1 -g 1 > "/tmp/nt_stream_$rep.txt" 2>&1
  "${MPIRUN[@]}" "$MICRO" collectives --backend nccl --coll all_reduce "${SIZES[@]}" "${ITERS[@]}" -c 1 -G 1 --timeout 60 \
    > "/tmp/micro_graph_$rep.txt" 2>&1; echo "micro graph $rep rc=$?"
  [ -n "$ATR" ] && "${NTENV[@]}" "$ATR" "${SIZES[@]}" "${ITERS[@]}" -c 1 -g 1 -G 1 > "/tmp/nt_graph_$rep.txt" 2>&1
done
cat /tmp/micro_stream_*.txt /tmp/micro_graph_*.txt > "$OUT/micro_nccl.txt"
cat /tmp/nt_stream_*.txt /tmp/nt_graph_*.txt > "$OUT/nccl_tests_all_reduce.txt"
set +x
$PY - <<'PYEOF' | tee "$OUT/compare.txt"
import statistics as st, os
def rows(path):
    r = {}
    if not os.path.exists(path): return r
    for line in open(path, errors="replace"):
        f = line.split()
        if len(f) >= 13 and f[0].isdigit() and f[1].isdigit():
            r[int(f[0])] = (float(f[5]), float(f[9]), f[8], f[12])
    return r
for mode in ("stream", "graph"):
    m = [rows(f"/tmp/micro_{mode}_{i}.txt") for i in (1, 2, 3)]
    n = [rows(f"/tmp/nt_{mode}_{i}.txt") for i in (1, 2, 3)]
    sizes = sorted(set.intersection(*[set(x) for x in m + n])) if all(m + n) else []
    print(f"== all_reduce, 1 rank, {mode}{' (-G 1)' if mode == 'graph' else ''}: median of 3 alternating runs, out-of-place time (us)")
    print(f"{'size':>12} {'micro':>9} {'nccl-tests':>10} {'ratio':>7} {'nt spread':>9} {'micro spread':>12}  wrong(oop/ip)")
    big = []
    for s in sizes:
        a = [x[s][0] for x in m]; b = [x[s][0] for x in n]
        ma, mb = st.median(a), st.median(b)
        sa, sb = max(a) / min(a) - 1, max(b) / min(b) - 1
        if s >= 32 << 20: big.append(abs(ma / mb - 1))
        print(f"{s:>12} {ma:>9.2f} {mb:>10.2f} {ma/mb:>7.3f} {sb*100:>8.1f}% {sa*100:>11.1f}%  {'/'.join(sorted(set(x[s][2] + '/' + x[s][3] for x in m)))}")
    if big: print(f"sizes >= 32 MiB: worst |micro/nccl-tests - 1| = {max(big)*100:.2f}% ({'within' if max(big) <= 0.02 else 'OUTSIDE'} 2%)")
PYEOF

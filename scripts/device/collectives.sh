#!/usr/bin/env bash
# One-GPU check of `micro collectives --backend nccl` against nccl-tests' all_reduce_perf built here from source.
# Run from the repository root on the device machine. Inputs (first found wins):
#   micro:             /tmp/m/micro/micro (the lead's unpacked bundle), else $BUNDLE/micro.tar.xz
#   libmicro_coll.so:  beside micro, else $BUNDLE/libmicro_coll.so (built on Debian 12 against OpenMPI 4.1 = libmpi.so.40)
#   nccl-tests source: $BUNDLE/nccl-tests (NVIDIA/nccl-tests 2.19.6), else $BUNDLE/nccl-tests-old
# BUNDLE defaults to .bundle/coll. Writes exactly two files: $OUT/collectives/log.txt and compare.txt.
# Must show: every op x dtype verified (#wrong 0; one rank => busbw 0, so time and algbw are what compare),
# and all_reduce out-of-place time within 2% of all_reduce_perf for sizes >= 32 MiB (bandwidth-bound);
# smaller sizes are launch-bound and printed with both tools' run-to-run spread.
# Every step has its own timeout and the script goes on past failures; about 75 s in all (compare.txt is
# written after the stream runs and again after the graph runs, so a cut-off run still leaves a table).
set -uo pipefail
BUNDLE=${BUNDLE:-.bundle/coll}
D="${OUT:-/tmp/out}/collectives"
mkdir -p "$D" /tmp/m
exec > >(tee "$D/log.txt") 2>&1
step() { echo "== $(date -u +%T) $*"; }
PY=$(command -v python3); [ -x /opt/torch/.venv/bin/python3 ] && PY=/opt/torch/.venv/bin/python3

step environment
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1 | head -2
ldconfig -p | grep -E "libnccl.so|libcudart.so|libmpi.so.40" | head -6
NCCL_DIR=$(timeout 20 "$PY" -c "import nvidia.nccl, os; print(os.path.dirname(nvidia.nccl.__file__))" 2>/dev/null || true)
NCCL_LIB=${NCCL_DIR:+$NCCL_DIR/lib/libnccl.so.2}
[ -f "${NCCL_LIB:-}" ] || NCCL_LIB=$(ldconfig -p | awk '/libnccl.so.2 /{print $NF; exit}')
NCCL_INC=${NCCL_DIR:+$NCCL_DIR/include}
[ -f "${NCCL_INC:-/nonexistent}/nccl.h" ] || NCCL_INC=$(dirname "$(ls /usr/include/nccl.h /usr/local/cuda/include/nccl.h 2>/dev/null | head -1)" 2>/dev/null)
echo "NCCL for both tools: ${NCCL_LIB:-none}; headers: ${NCCL_INC:-none}"
export MICRO_NCCL_PATH="$NCCL_LIB"

step micro
MICRO=/tmp/m/micro/micro
if [ ! -x "$MICRO" ] && [ -f "$BUNDLE/micro.tar.xz" ]; then timeout 60 tar xJf "$BUNDLE/micro.tar.xz" -C /tmp/m; fi
MDIR=$(dirname "$MICRO")
[ -f "$MDIR/libmicro_coll.so" ] || cp "$BUNDLE/libmicro_coll.so" "$MDIR/" 2>/dev/null
echo "micro: $(ls -la "$MICRO" 2>&1)"; ldd "$MDIR/libmicro_coll.so" 2>&1 | grep -E "mpi|not found"

step build nccl-tests
ATR=""
for src in nccl-tests nccl-tests-old; do
  [ -d "$BUNDLE/$src" ] || continue
  rm -rf "/tmp/$src" && cp -r "$BUNDLE/$src" "/tmp/$src"
  mkdir -p /tmp/ncclhome/lib && ln -sf "$NCCL_LIB" /tmp/ncclhome/lib/libnccl.so && ln -sf "$NCCL_LIB" /tmp/ncclhome/lib/libnccl.so.2
  ln -sfn "$NCCL_INC" /tmp/ncclhome/include
  if (cd "/tmp/$src" && timeout 150 make -j 16 MPI=0 CUDA_HOME=/usr/local/cuda NCCL_HOME=/tmp/ncclhome \
        NVCC_GENCODE="-gencode=arch=compute_90,code=sm_90" src.build >/tmp/nt_build.log 2>&1); then
    ATR=/tmp/$src/build/all_reduce_perf; echo "built $src"; break
  fi
  echo "$src did not build:"; grep -m3 error /tmp/nt_build.log
done

MPIRUN=(timeout 60 mpirun --allow-run-as-root -np 1)
NT=(timeout 60 env LD_LIBRARY_PATH=/tmp/ncclhome/lib:${LD_LIBRARY_PATH:-})
SIZES=(-b 8 -e 128M -f 4 -n 50 -w 5 -c 1)
step "micro: every op x dtype, verified"
"${MPIRUN[@]}" "$MICRO" collectives --backend nccl --coll all -d all -b 8 -e 1M -f 32 -n 10 -w 2 -c 2 --timeout 30 > /tmp/all_ops.txt 2>&1
echo "rc=$?"; grep -E "^# (micro|Using|  Rank)|Collective:|Out of bounds|skipped|timed out|micro:" /tmp/all_ops.txt
echo "rows: $(grep -cE '^ +[0-9]' /tmp/all_ops.txt), rows with #wrong > 0: $(awk 'NF>=13 && $1 ~ /^[0-9]+$/ && (($9 != "0" && $9 != "N/A") || ($13 != "0" && $13 != "N/A"))' /tmp/all_ops.txt | wc -l), N/A (in-place alltoall, as nccl-tests): $(grep -c 'N/A' /tmp/all_ops.txt)"
for rep in 1 2; do
  step "all_reduce rep $rep (alternating)"
  "${MPIRUN[@]}" "$MICRO" collectives --backend nccl "${SIZES[@]}" --timeout 30 > "/tmp/micro_stream_$rep.txt" 2>&1; echo "micro rc=$?"
  [ -n "$ATR" ] && { "${NT[@]}" "$ATR" "${SIZES[@]}" -g 1 > "/tmp/nt_stream_$rep.txt" 2>&1; echo "nccl-tests rc=$?"; }
done
compare() {
timeout 30 "$PY" - <<'PYEOF' > "$D/compare.txt" 2>&1
import statistics as st, os, glob
def rows(path):
    r = {}
    for line in open(path, errors="replace") if os.path.exists(path) else []:
        f = line.split()
        if len(f) >= 13 and f[0].isdigit() and f[1].isdigit():
            r[int(f[0])] = (float(f[5]), f[8], f[12])
    return r
for mode, reps in (("stream", (1, 2)), ("graph", (1,))):
    m = [rows(f"/tmp/micro_{mode}_{i}.txt") for i in reps]
    n = [rows(f"/tmp/nt_{mode}_{i}.txt") for i in reps]
    if not all(m + n):
        print(f"{mode}: missing output (micro {[len(x) for x in m]}, nccl-tests {[len(x) for x in n]} rows)"); continue
    sizes = sorted(set.intersection(*[set(x) for x in m + n]))
    print(f"== all_reduce out-of-place, 1 rank, {mode}: median over {len(reps)} alternating run(s), time in us")
    print(f"{'size':>12} {'micro':>9} {'nccl-tests':>10} {'ratio':>7} {'nt spread':>9} {'micro spread':>12}  #wrong")
    big = []
    for s in sizes:
        a = [x[s][0] for x in m]; b = [x[s][0] for x in n]
        ma, mb = st.median(a), st.median(b)
        if s >= 32 << 20: big.append(abs(ma / mb - 1))
        print(f"{s:>12} {ma:>9.2f} {mb:>10.2f} {ma/mb:>7.3f} {(max(b)/min(b)-1)*100:>8.1f}% {(max(a)/min(a)-1)*100:>11.1f}%  {sorted(set(x[s][1]+'/'+x[s][2] for x in m))}")
    if big: print(f"sizes >= 32 MiB: worst |micro/nccl-tests - 1| = {max(big)*100:.2f}% ({'within' if max(big) <= 0.02 else 'OUTSIDE'} 2%)")
PYEOF
cat "$D/compare.txt"
}
step "compare (stream)"; compare
step "all_reduce with graphs (-G 1)"
"${MPIRUN[@]}" "$MICRO" collectives --backend nccl "${SIZES[@]}" -G 1 --timeout 30 > /tmp/micro_graph_1.txt 2>&1; echo "micro rc=$?"
[ -n "$ATR" ] && { "${NT[@]}" "$ATR" "${SIZES[@]}" -g 1 -G 1 > /tmp/nt_graph_1.txt 2>&1; echo "nccl-tests rc=$?"; }
step tables
for f in /tmp/micro_stream_1.txt /tmp/nt_stream_1.txt /tmp/micro_graph_1.txt /tmp/nt_graph_1.txt; do echo "-- $f"; grep -vE "^#  Rank" "$f" 2>/dev/null | head -40; done

step "compare (stream + graph)"; compare
step done

#!/usr/bin/env bash
# Micro fleet run under mpirun (OpenMPI): one rank per GPU on each host, each rank pinned to its own GPU and to the
# NUMA node that GPU sits on. Rank 0 gathers every rank's results and writes OUT/results.jsonl, OUT/ceilings.json
# (fleet section) and the report.
#
#   scripts/mpirun-fleet.sh --out /tmp/fleet                           # this host, one rank per GPU
#   HOSTFILE=hosts GPUS_PER_NODE=8 scripts/mpirun-fleet.sh --out /shared/fleet --suite memory
#   CPU_ONLY=1 NP=2 scripts/mpirun-fleet.sh --out /tmp/fleet --quick   # host STREAM only, one rank per socket
#
# Environment: MICRO (the micro binary; default build/cli/micro), NP (ranks; default hosts x GPUS_PER_NODE),
# GPUS_PER_NODE (default: GPUs nvidia-smi lists here, else 1), HOSTFILE (OpenMPI hostfile), MPIRUN_ARGS (extra),
# CPU_ONLY=1 (no GPU binding: one rank per NUMA node). Arguments go to `micro run --fleet`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SELF="$ROOT/scripts/mpirun-fleet.sh"

if [ "${1:-}" = "--rank-exec" ]; then
  # Per-rank wrapper (mpirun starts this on every host): pick the local GPU, bind to its NUMA node, exec micro.
  shift
  local_rank=${OMPI_COMM_WORLD_LOCAL_RANK:-${MPI_LOCALRANKID:-${SLURM_LOCALID:-0}}}
  if [ -z "${CPU_ONLY:-}" ]; then
    [ -z "${CUDA_VISIBLE_DEVICES:-}" ] && export CUDA_VISIBLE_DEVICES=$local_rank
    [ -z "${HIP_VISIBLE_DEVICES:-}" ] && export HIP_VISIBLE_DEVICES=$local_rank
    node=""
    if command -v nvidia-smi >/dev/null 2>&1; then
      pci=$(nvidia-smi --query-gpu=pci.bus_id --format=csv,noheader -i "$local_rank" 2>/dev/null | head -1 | tr 'A-F' 'a-f' | sed 's/^0000\(....:\)/\1/')
      [ -n "$pci" ] && [ -r "/sys/bus/pci/devices/$pci/numa_node" ] && node=$(cat "/sys/bus/pci/devices/$pci/numa_node")
    fi
    if [ -n "$node" ] && [ "$node" -ge 0 ] 2>/dev/null && command -v numactl >/dev/null 2>&1; then
      exec numactl --cpunodebind="$node" --membind="$node" "$@"
    fi
  fi
  exec "$@"
fi

MICRO=${MICRO:-$ROOT/build/cli/micro}
if [ ! -x "$MICRO" ]; then echo "mpirun-fleet.sh: micro not found at $MICRO (run ./scripts/build or set MICRO=)" >&2; exit 2; fi
command -v mpirun >/dev/null || { echo "mpirun-fleet.sh: mpirun not found (apt-get install openmpi-bin)" >&2; exit 2; }

if [ -n "${CPU_ONLY:-}" ]; then
  GPUS_PER_NODE=${GPUS_PER_NODE:-1}
  MAP=(--map-by "ppr:1:numa" --bind-to numa)
else
  if [ -z "${GPUS_PER_NODE:-}" ]; then
    GPUS_PER_NODE=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true)
    [ "${GPUS_PER_NODE:-0}" -ge 1 ] || GPUS_PER_NODE=1
  fi
  # The wrapper binds each rank to its GPU's NUMA node; mpirun only places ranks.
  MAP=(--map-by "ppr:${GPUS_PER_NODE}:node" --bind-to none)
fi
HOSTS=1
HOSTARGS=()
if [ -n "${HOSTFILE:-}" ]; then
  HOSTARGS=(--hostfile "$HOSTFILE")
  HOSTS=$(grep -cv '^\s*\(#\|$\)' "$HOSTFILE")
fi
NP=${NP:-$((HOSTS * GPUS_PER_NODE))}
ROOTARGS=()
[ "$(id -u)" = 0 ] && ROOTARGS=(--allow-run-as-root)

export MICRO_NATIVE_DIR=${MICRO_NATIVE_DIR:-$(dirname "$MICRO")}
# Forward only the variables that are set (remote hosts do not inherit this shell's environment).
EXPORTS=()
for v in MICRO_NATIVE_DIR OMP_NUM_THREADS OMP_PROC_BIND OMP_PLACES CPU_ONLY MICRO_CUDA_PATH MICRO_NCCL_PATH; do
  [ -n "${!v:-}" ] && EXPORTS+=(-x "$v")
done
# shellcheck disable=SC2086
mpirun "${ROOTARGS[@]}" -np "$NP" "${HOSTARGS[@]}" "${MAP[@]}" "${EXPORTS[@]}" ${MPIRUN_ARGS:-} \
  "$SELF" --rank-exec "$MICRO" run --fleet "$@"

# The report is rendered from the directory given with --out.
out=""
prev=""
for a in "$@"; do
  if [ "$prev" = "--out" ] || [ "$prev" = "-o" ]; then out=$a; fi
  case "$a" in --out=*) out=${a#--out=} ;; esac
  prev=$a
done
if [ -n "$out" ]; then "$MICRO" report "$out"; fi

#!/usr/bin/env bash
# Runs `micro collectives` with one rank per GPU (or per process for --backend mpi) under OpenMPI's mpirun.
# Usage: scripts/mpirun-collectives.sh NP [HOSTFILE|-] [micro collectives options...]
#   scripts/mpirun-collectives.sh 4 - --backend mpi --coll all -b 8 -e 1M -f 4             # CI-style, one host
#   scripts/mpirun-collectives.sh 16 hosts.txt --backend nccl -b 8 -e 8G -f 2 --out out/   # 2 nodes x 8 GPUs
# hosts.txt lists "node slots=8" lines. Each rank is one `micro` process: rank and size come from MPI,
# the GPU is the local rank (override with --device), rank 0 prints the nccl-tests table and writes --out.
# Environment: MICRO (path of the micro CLI, default build/cli/micro), MICRO_NCCL_PATH / MICRO_RCCL_PATH,
# MPIRUN_EXTRA (more mpirun flags, e.g. "--mca pml ucx -x NCCL_IB_HCA").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NP=${1:?usage: $0 NP [HOSTFILE|-] [micro collectives options]}
HOSTS=${2:--}
shift $(( $# >= 2 ? 2 : 1 ))
MICRO=${MICRO:-$ROOT/build/cli/micro}
[ -x "$MICRO" ] || { echo "mpirun-collectives: $MICRO not found (run scripts/build)" >&2; exit 2; }
args=(--np "$NP" --bind-to none --map-by slot)
[ "$HOSTS" != "-" ] && args+=(--hostfile "$HOSTS")
# Root containers (CI) need --allow-run-as-root; a single host needs no network transports.
[ "$(id -u)" -eq 0 ] && args+=(--allow-run-as-root)
[ "$HOSTS" = "-" ] && args+=(--oversubscribe --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
for v in MICRO_NCCL_PATH MICRO_RCCL_PATH MICRO_CUDART_PATH MICRO_HIP_PATH NCCL_DEBUG NCCL_SOCKET_IFNAME NCCL_IB_HCA LD_LIBRARY_PATH; do
  [ -n "${!v:-}" ] && args+=(-x "$v")
done
# shellcheck disable=SC2086
exec mpirun "${args[@]}" ${MPIRUN_EXTRA:-} "$MICRO" collectives "$@"

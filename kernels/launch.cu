// Launch-overhead kernels: an empty kernel (the launch path alone) and one that records it ran,
// so a launch-latency measurement can verify that every launch executed.
#include "micro_cuda.h"

MC_KERNEL void micro_empty() {}

// counter[0] += 1 from one thread: after N launches the host expects N.
MC_KERNEL void micro_tick(unsigned* MC_RESTRICT counter) {
  if (mc_gid() == 0) counter[0] += 1u;
}

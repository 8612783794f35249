// HIP build of the same STREAM kernels: the sources are shared through micro_cuda.h's HIP branch
// (hipRTC at run time, clang -x hip -nogpuinc in CI).
#include "../stream.cu"

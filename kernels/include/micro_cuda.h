// micro_cuda.h: the one compat header that lets a kernel source build under
//   * NVRTC (run time, __CUDACC_RTC__), * clang -x cuda -nocudainc (CI compile check, no toolkit),
//   * hipRTC (__HIPCC_RTC__) and clang -x hip -nogpuinc (CI compile check for AMD).
// Keep it small. The whole API:
//   MC_KERNEL            extern "C" __global__ (unmangled names for cuModuleGetFunction/hipModuleGetFunction)
//   MC_DEVICE            __device__ inline helper
//   MC_SHARED            __shared__
//   MC_RESTRICT          __restrict__
//   mc_tid() mc_bid() mc_bdim() mc_gdim()   threadIdx.x, blockIdx.x, blockDim.x, gridDim.x (unsigned)
//   mc_gid()             global thread index (size_t);  mc_gstride(): total threads in the grid (size_t)
//   mc_sync()            __syncthreads()
//   mc_float4 / mc_float2 / mc_double2      16/8/16-byte aligned vectors (x,y,z,w) for vector loads/stores
//   mc_load4(p) / mc_store4(p, v)           one 16-byte load/store of an mc_float4 (ld/st.global.v4.f32). Use these
//                        instead of `*p` / `*p = v`: clang lowers a plain struct copy to two 8-byte accesses.
//   MC_HOPPER            defined (1) only where sm_90a-only instructions may be used (NVRTC with
//                        --gpu-architecture=sm_90a defines __CUDA_ARCH_FEAT_SM90_ALL). Guard wgmma/setmaxnreg
//                        with it so the plain sm_90 build (and clang-16, which has no sm_90a) still compiles.
// No other headers are available: NVRTC gets no include paths from Micro, clang runs with -nocudainc.
#pragma once

#if defined(__HIPCC_RTC__) || defined(__HIP__)
#define MC_HIP 1
#else
#define MC_CUDA 1
#endif

#define MC_KERNEL extern "C" __global__
#define MC_RESTRICT __restrict__

#if defined(MC_CUDA) && !defined(__CUDACC_RTC__) && !defined(__CUDACC__)
// clang -nocudainc: none of CUDA's headers, only the attributes and NVVM builtins.
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __shared__ __attribute__((shared))
#define __forceinline__ __inline__ __attribute__((always_inline))
#define MC_CLANG_BARE 1
#endif

#if defined(MC_HIP) && !defined(__HIPCC_RTC__) && !defined(__CLANG_HIP_RUNTIME_WRAPPER_H__) && !defined(HIP_INCLUDE_HIP_HIP_RUNTIME_H)
// clang -x hip -nogpuinc: attributes and AMDGCN builtins only.
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __shared__ __attribute__((shared))
#define __forceinline__ __inline__ __attribute__((always_inline))
#define MC_CLANG_BARE 1
#endif

#define MC_DEVICE static __device__ __forceinline__
#define MC_SHARED __shared__

typedef unsigned long long mc_u64;

#if defined(MC_CLANG_BARE) && defined(MC_CUDA)
MC_DEVICE unsigned mc_tid() { return __nvvm_read_ptx_sreg_tid_x(); }
MC_DEVICE unsigned mc_bid() { return __nvvm_read_ptx_sreg_ctaid_x(); }
MC_DEVICE unsigned mc_bdim() { return __nvvm_read_ptx_sreg_ntid_x(); }
MC_DEVICE unsigned mc_gdim() { return __nvvm_read_ptx_sreg_nctaid_x(); }
MC_DEVICE void mc_sync() { __syncthreads(); }
#elif defined(MC_CLANG_BARE) && defined(MC_HIP)
// The HSA dispatch packet holds the work-group size (u16 at byte 4) and the grid size in work-items (u32 at byte 12).
MC_DEVICE unsigned mc_tid() { return __builtin_amdgcn_workitem_id_x(); }
MC_DEVICE unsigned mc_bid() { return __builtin_amdgcn_workgroup_id_x(); }
MC_DEVICE unsigned mc_bdim() { return ((const unsigned short*)__builtin_amdgcn_dispatch_ptr())[2]; }
MC_DEVICE unsigned mc_gdim() { return ((const unsigned*)__builtin_amdgcn_dispatch_ptr())[3] / mc_bdim(); }
MC_DEVICE void mc_sync() {
  __builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup");
  __builtin_amdgcn_s_barrier();
  __builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup");
}
#else
// NVRTC and hipRTC predefine threadIdx & co. and __syncthreads.
MC_DEVICE unsigned mc_tid() { return threadIdx.x; }
MC_DEVICE unsigned mc_bid() { return blockIdx.x; }
MC_DEVICE unsigned mc_bdim() { return blockDim.x; }
MC_DEVICE unsigned mc_gdim() { return gridDim.x; }
MC_DEVICE void mc_sync() { __syncthreads(); }
#endif

MC_DEVICE mc_u64 mc_gid() { return (mc_u64)mc_bid() * mc_bdim() + mc_tid(); }
MC_DEVICE mc_u64 mc_gstride() { return (mc_u64)mc_gdim() * mc_bdim(); }

struct __attribute__((aligned(16))) mc_float4 { float x, y, z, w; };
struct __attribute__((aligned(8))) mc_float2 { float x, y; };
struct __attribute__((aligned(16))) mc_double2 { double x, y; };

MC_DEVICE mc_float4 mc_load4(const mc_float4* p) { mc_float4 r = {p->x, p->y, p->z, p->w}; return r; }
MC_DEVICE void mc_store4(mc_float4* p, mc_float4 v) { p->x = v.x; p->y = v.y; p->z = v.z; p->w = v.w; }

#if defined(MC_CUDA) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
#define MC_HOPPER 1
#endif

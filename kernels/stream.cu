// Native STREAM kernels (BabelStream's set plus read-only and write-only), the speed-of-light reference
// for device-memory bandwidth. fp32 data accessed as 16-byte mc_float4 vectors; n4 = elements / 4.
// Each kernel body is a template on ITEMS (float4 per thread per tile), instantiated for 1, 2 and 4 as
// extern "C" kernels named micro_stream_<kernel>_i<ITEMS>[_cs] (MC_STREAM_VARIANTS below; _cs: streaming stores);
// the host times the launch configurations (block, ITEMS, grid policy, stores) and keeps the fastest (NativeStreamConfig).
// Layout: the array is cut into tiles of blockDim * ITEMS float4; in a tile, thread t owns elements
// t, t + blockDim, ..., t + (ITEMS-1) * blockDim (each step coalesced across the warp) and issues all of
// its ITEMS loads before the first store. Block b starts at tile b and steps by gridDim tiles, so any grid
// is correct: "cover" launches ceil(n4 / (blockDim * ITEMS)) blocks (one tile per block, no loop),
// "occupancy" launches SMs x resident blocks that walk the tiles grid-stride.
// Any power-of-two block <= 1024 (the reductions' shared tree needs a power of two).
// Reductions (dot, read) write one float partial per block to `partial[blockIdx.x]`; the host sums them.
#include "micro_cuda.h"

#define MC_MAX_BLOCK 1024

MC_DEVICE mc_float4 mc_scale(float s, mc_float4 v) { mc_float4 r = {s * v.x, s * v.y, s * v.z, s * v.w}; return r; }
MC_DEVICE mc_float4 mc_add(mc_float4 a, mc_float4 b) { mc_float4 r = {a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w}; return r; }
MC_DEVICE mc_float4 mc_fma(mc_float4 a, float s, mc_float4 b) { mc_float4 r = {a.x + s * b.x, a.y + s * b.y, a.z + s * b.z, a.w + s * b.w}; return r; }
MC_DEVICE float mc_hsum(mc_float4 v) { return (v.x + v.y) + (v.z + v.w); }
MC_DEVICE float mc_hdot(mc_float4 a, mc_float4 b) { return (a.x * b.x + a.y * b.y) + (a.z * b.z + a.w * b.w); }

// One 16-byte array store; CS = evict-first streaming store (st.global.cs), a hint the tuner may pick because the
// stored lines are not read again by this kernel. The "memory" clobber keeps it ordered with the loads around it.
// PTX only: the HIP build (hip/stream.hip includes this file) stores normally in both variants.
template <bool CS> MC_DEVICE void mc_put4(mc_float4* p, mc_float4 v) {
#if defined(MC_CUDA)
  if (CS) {
    asm volatile("st.global.cs.v4.f32 [%0], {%1, %2, %3, %4};" ::"l"(p), "f"(v.x), "f"(v.y), "f"(v.z), "f"(v.w) : "memory");
    return;
  }
#endif
  mc_store4(p, v);
}

// Tree reduction of one float per thread; thread 0 writes the block's partial.
MC_DEVICE void mc_block_sum(float v, float* MC_RESTRICT partial) {
  MC_SHARED float red[MC_MAX_BLOCK];
  const unsigned t = mc_tid();
  red[t] = v;
  mc_sync();
  for (unsigned half = mc_bdim() / 2; half > 0; half /= 2) {
    if (t < half) red[t] += red[t + half];
    mc_sync();
  }
  if (t == 0) partial[mc_bid()] = red[0];
}

// This thread's first element in its block's first tile, and the distance to its next tile (gridDim tiles on).
template <int ITEMS> MC_DEVICE mc_u64 mc_tile_first() { return (mc_u64)mc_bid() * mc_bdim() * ITEMS + mc_tid(); }
template <int ITEMS> MC_DEVICE mc_u64 mc_tile_step() { return (mc_u64)mc_gdim() * mc_bdim() * ITEMS; }

// c = a
template <int ITEMS, bool CS> MC_DEVICE void mc_stream_copy(const mc_float4* MC_RESTRICT a, mc_float4* MC_RESTRICT c, mc_u64 n4) {
  const mc_u64 s = mc_bdim();
  for (mc_u64 i = mc_tile_first<ITEMS>(); i < n4; i += mc_tile_step<ITEMS>()) {
    if (i + (ITEMS - 1) * s < n4) {
      mc_float4 v[ITEMS];
#pragma unroll
      for (int j = 0; j < ITEMS; j++) v[j] = mc_load4(a + (i + j * s));
#pragma unroll
      for (int j = 0; j < ITEMS; j++) mc_put4<CS>(c + (i + j * s), v[j]);
    } else {
      for (mc_u64 k = i; k < n4 && k < i + ITEMS * s; k += s) mc_put4<CS>(c + k, mc_load4(a + k));
    }
  }
}

// b = scalar * c
template <int ITEMS, bool CS> MC_DEVICE void mc_stream_mul(mc_float4* MC_RESTRICT b, const mc_float4* MC_RESTRICT c, float scalar, mc_u64 n4) {
  const mc_u64 s = mc_bdim();
  for (mc_u64 i = mc_tile_first<ITEMS>(); i < n4; i += mc_tile_step<ITEMS>()) {
    if (i + (ITEMS - 1) * s < n4) {
      mc_float4 v[ITEMS];
#pragma unroll
      for (int j = 0; j < ITEMS; j++) v[j] = mc_load4(c + (i + j * s));
#pragma unroll
      for (int j = 0; j < ITEMS; j++) mc_put4<CS>(b + (i + j * s), mc_scale(scalar, v[j]));
    } else {
      for (mc_u64 k = i; k < n4 && k < i + ITEMS * s; k += s) mc_put4<CS>(b + k, mc_scale(scalar, mc_load4(c + k)));
    }
  }
}

// c = a + b
template <int ITEMS, bool CS> MC_DEVICE void mc_stream_add(const mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, mc_float4* MC_RESTRICT c, mc_u64 n4) {
  const mc_u64 s = mc_bdim();
  for (mc_u64 i = mc_tile_first<ITEMS>(); i < n4; i += mc_tile_step<ITEMS>()) {
    if (i + (ITEMS - 1) * s < n4) {
      mc_float4 x[ITEMS], y[ITEMS];
#pragma unroll
      for (int j = 0; j < ITEMS; j++) { x[j] = mc_load4(a + (i + j * s)); y[j] = mc_load4(b + (i + j * s)); }
#pragma unroll
      for (int j = 0; j < ITEMS; j++) mc_put4<CS>(c + (i + j * s), mc_add(x[j], y[j]));
    } else {
      for (mc_u64 k = i; k < n4 && k < i + ITEMS * s; k += s) mc_put4<CS>(c + k, mc_add(mc_load4(a + k), mc_load4(b + k)));
    }
  }
}

// a = b + scalar * c
template <int ITEMS, bool CS> MC_DEVICE void mc_stream_triad(mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, const mc_float4* MC_RESTRICT c, float scalar, mc_u64 n4) {
  const mc_u64 s = mc_bdim();
  for (mc_u64 i = mc_tile_first<ITEMS>(); i < n4; i += mc_tile_step<ITEMS>()) {
    if (i + (ITEMS - 1) * s < n4) {
      mc_float4 x[ITEMS], y[ITEMS];
#pragma unroll
      for (int j = 0; j < ITEMS; j++) { x[j] = mc_load4(b + (i + j * s)); y[j] = mc_load4(c + (i + j * s)); }
#pragma unroll
      for (int j = 0; j < ITEMS; j++) mc_put4<CS>(a + (i + j * s), mc_fma(x[j], scalar, y[j]));
    } else {
      for (mc_u64 k = i; k < n4 && k < i + ITEMS * s; k += s) mc_put4<CS>(a + k, mc_fma(mc_load4(b + k), scalar, mc_load4(c + k)));
    }
  }
}

// a += b + scalar * c
template <int ITEMS, bool CS> MC_DEVICE void mc_stream_nstream(mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, const mc_float4* MC_RESTRICT c, float scalar, mc_u64 n4) {
  const mc_u64 s = mc_bdim();
  for (mc_u64 i = mc_tile_first<ITEMS>(); i < n4; i += mc_tile_step<ITEMS>()) {
    if (i + (ITEMS - 1) * s < n4) {
      mc_float4 x[ITEMS], y[ITEMS], z[ITEMS];
#pragma unroll
      for (int j = 0; j < ITEMS; j++) { x[j] = mc_load4(a + (i + j * s)); y[j] = mc_load4(b + (i + j * s)); z[j] = mc_load4(c + (i + j * s)); }
#pragma unroll
      for (int j = 0; j < ITEMS; j++) mc_put4<CS>(a + (i + j * s), mc_add(x[j], mc_fma(y[j], scalar, z[j])));
    } else {
      for (mc_u64 k = i; k < n4 && k < i + ITEMS * s; k += s) mc_put4<CS>(a + k, mc_add(mc_load4(a + k), mc_fma(mc_load4(b + k), scalar, mc_load4(c + k))));
    }
  }
}

// partial[block] = sum over the block's elements of a * b
template <int ITEMS> MC_DEVICE void mc_stream_dot(const mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, float* MC_RESTRICT partial, mc_u64 n4) {
  float acc[ITEMS] = {};
  const mc_u64 s = mc_bdim();
  for (mc_u64 i = mc_tile_first<ITEMS>(); i < n4; i += mc_tile_step<ITEMS>()) {
    if (i + (ITEMS - 1) * s < n4) {
      mc_float4 x[ITEMS], y[ITEMS];
#pragma unroll
      for (int j = 0; j < ITEMS; j++) { x[j] = mc_load4(a + (i + j * s)); y[j] = mc_load4(b + (i + j * s)); }
#pragma unroll
      for (int j = 0; j < ITEMS; j++) acc[j] += mc_hdot(x[j], y[j]);
    } else {
      for (mc_u64 k = i; k < n4 && k < i + ITEMS * s; k += s) acc[0] += mc_hdot(mc_load4(a + k), mc_load4(b + k));
    }
  }
  float total = 0.f;
#pragma unroll
  for (int j = 0; j < ITEMS; j++) total += acc[j];
  mc_block_sum(total, partial);
}

// Read-only: partial[block] = sum of the block's elements of a. Every load feeds the sum, and the sum is
// stored, so the compiler cannot drop the loads; the reduction's own traffic is one float per block.
template <int ITEMS> MC_DEVICE void mc_stream_read(const mc_float4* MC_RESTRICT a, float* MC_RESTRICT partial, mc_u64 n4) {
  float acc[ITEMS] = {};
  const mc_u64 s = mc_bdim();
  for (mc_u64 i = mc_tile_first<ITEMS>(); i < n4; i += mc_tile_step<ITEMS>()) {
    if (i + (ITEMS - 1) * s < n4) {
      mc_float4 x[ITEMS];
#pragma unroll
      for (int j = 0; j < ITEMS; j++) x[j] = mc_load4(a + (i + j * s));
#pragma unroll
      for (int j = 0; j < ITEMS; j++) acc[j] += mc_hsum(x[j]);
    } else {
      for (mc_u64 k = i; k < n4 && k < i + ITEMS * s; k += s) acc[0] += mc_hsum(mc_load4(a + k));
    }
  }
  float total = 0.f;
#pragma unroll
  for (int j = 0; j < ITEMS; j++) total += acc[j];
  mc_block_sum(total, partial);
}

// Write-only: a = scalar
template <int ITEMS, bool CS> MC_DEVICE void mc_stream_write(mc_float4* MC_RESTRICT a, float scalar, mc_u64 n4) {
  const mc_float4 v = {scalar, scalar, scalar, scalar};
  const mc_u64 s = mc_bdim();
  for (mc_u64 i = mc_tile_first<ITEMS>(); i < n4; i += mc_tile_step<ITEMS>()) {
    if (i + (ITEMS - 1) * s < n4) {
#pragma unroll
      for (int j = 0; j < ITEMS; j++) mc_put4<CS>(a + (i + j * s), v);
    } else {
      for (mc_u64 k = i; k < n4 && k < i + ITEMS * s; k += s) mc_put4<CS>(a + k, v);
    }
  }
}

// The extern "C" entry points, one per kernel and ITEMS, plus a _cs (streaming-store) twin of every kernel that
// stores arrays; NativeStreamConfig.ItemsChoices lists the ITEMS here.
#define MC_STREAM_STORES(N, SUFFIX, CS) \
  MC_KERNEL void micro_stream_copy_i##N##SUFFIX(const mc_float4* MC_RESTRICT a, mc_float4* MC_RESTRICT c, mc_u64 n4) { mc_stream_copy<N, CS>(a, c, n4); } \
  MC_KERNEL void micro_stream_mul_i##N##SUFFIX(mc_float4* MC_RESTRICT b, const mc_float4* MC_RESTRICT c, float scalar, mc_u64 n4) { mc_stream_mul<N, CS>(b, c, scalar, n4); } \
  MC_KERNEL void micro_stream_add_i##N##SUFFIX(const mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, mc_float4* MC_RESTRICT c, mc_u64 n4) { mc_stream_add<N, CS>(a, b, c, n4); } \
  MC_KERNEL void micro_stream_triad_i##N##SUFFIX(mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, const mc_float4* MC_RESTRICT c, float scalar, mc_u64 n4) { mc_stream_triad<N, CS>(a, b, c, scalar, n4); } \
  MC_KERNEL void micro_stream_nstream_i##N##SUFFIX(mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, const mc_float4* MC_RESTRICT c, float scalar, mc_u64 n4) { mc_stream_nstream<N, CS>(a, b, c, scalar, n4); } \
  MC_KERNEL void micro_stream_write_i##N##SUFFIX(mc_float4* MC_RESTRICT a, float scalar, mc_u64 n4) { mc_stream_write<N, CS>(a, scalar, n4); }

#define MC_STREAM_VARIANTS(N) \
  MC_STREAM_STORES(N, , false) \
  MC_STREAM_STORES(N, _cs, true) \
  MC_KERNEL void micro_stream_dot_i##N(const mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, float* MC_RESTRICT partial, mc_u64 n4) { mc_stream_dot<N>(a, b, partial, n4); } \
  MC_KERNEL void micro_stream_read_i##N(const mc_float4* MC_RESTRICT a, float* MC_RESTRICT partial, mc_u64 n4) { mc_stream_read<N>(a, partial, n4); }

MC_STREAM_VARIANTS(1)
MC_STREAM_VARIANTS(2)
MC_STREAM_VARIANTS(4)

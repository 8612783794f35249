// Native STREAM kernels (BabelStream's set plus read-only and write-only), the speed-of-light reference
// for device-memory bandwidth. fp32 data accessed as 16-byte mc_float4 vectors; n4 = elements / 4.
// Launch: 1-D grid sized from the SM count, any power-of-two block <= 1024; each thread walks a
// grid-stride loop with MC_UNROLL independent 16-byte loads issued before the first use.
// Reductions (dot, read) write one float partial per block to `partial[blockIdx.x]`; the host sums them.
#include "micro_cuda.h"

#define MC_UNROLL 4
#define MC_MAX_BLOCK 1024

MC_DEVICE mc_float4 mc_scale(float s, mc_float4 v) { mc_float4 r = {s * v.x, s * v.y, s * v.z, s * v.w}; return r; }
MC_DEVICE mc_float4 mc_add(mc_float4 a, mc_float4 b) { mc_float4 r = {a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w}; return r; }
MC_DEVICE mc_float4 mc_fma(mc_float4 a, float s, mc_float4 b) { mc_float4 r = {a.x + s * b.x, a.y + s * b.y, a.z + s * b.z, a.w + s * b.w}; return r; }
MC_DEVICE float mc_hsum(mc_float4 v) { return (v.x + v.y) + (v.z + v.w); }
MC_DEVICE float mc_hdot(mc_float4 a, mc_float4 b) { return (a.x * b.x + a.y * b.y) + (a.z * b.z + a.w * b.w); }

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

// c = a
MC_KERNEL void micro_stream_copy(const mc_float4* MC_RESTRICT a, mc_float4* MC_RESTRICT c, mc_u64 n4) {
  const mc_u64 s = mc_gstride();
  mc_u64 i = mc_gid();
  for (; i + 3 * s < n4; i += MC_UNROLL * s) {
    const mc_float4 v0 = mc_load4(a + i), v1 = mc_load4(a + (i + s)), v2 = mc_load4(a + (i + 2 * s)), v3 = mc_load4(a + (i + 3 * s));
    mc_store4(c + i, v0); mc_store4(c + (i + s), v1); mc_store4(c + (i + 2 * s), v2); mc_store4(c + (i + 3 * s), v3);
  }
  for (; i < n4; i += s) mc_store4(c + i, mc_load4(a + i));
}

// b = scalar * c
MC_KERNEL void micro_stream_mul(mc_float4* MC_RESTRICT b, const mc_float4* MC_RESTRICT c, float scalar, mc_u64 n4) {
  const mc_u64 s = mc_gstride();
  mc_u64 i = mc_gid();
  for (; i + 3 * s < n4; i += MC_UNROLL * s) {
    const mc_float4 v0 = mc_load4(c + i), v1 = mc_load4(c + (i + s)), v2 = mc_load4(c + (i + 2 * s)), v3 = mc_load4(c + (i + 3 * s));
    mc_store4(b + i, mc_scale(scalar, v0)); mc_store4(b + (i + s), mc_scale(scalar, v1));
    mc_store4(b + (i + 2 * s), mc_scale(scalar, v2)); mc_store4(b + (i + 3 * s), mc_scale(scalar, v3));
  }
  for (; i < n4; i += s) mc_store4(b + i, mc_scale(scalar, mc_load4(c + i)));
}

// c = a + b
MC_KERNEL void micro_stream_add(const mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, mc_float4* MC_RESTRICT c, mc_u64 n4) {
  const mc_u64 s = mc_gstride();
  mc_u64 i = mc_gid();
  for (; i + 3 * s < n4; i += MC_UNROLL * s) {
    const mc_float4 a0 = mc_load4(a + i), a1 = mc_load4(a + (i + s)), a2 = mc_load4(a + (i + 2 * s)), a3 = mc_load4(a + (i + 3 * s));
    const mc_float4 b0 = mc_load4(b + i), b1 = mc_load4(b + (i + s)), b2 = mc_load4(b + (i + 2 * s)), b3 = mc_load4(b + (i + 3 * s));
    mc_store4(c + i, mc_add(a0, b0)); mc_store4(c + (i + s), mc_add(a1, b1)); mc_store4(c + (i + 2 * s), mc_add(a2, b2)); mc_store4(c + (i + 3 * s), mc_add(a3, b3));
  }
  for (; i < n4; i += s) mc_store4(c + i, mc_add(mc_load4(a + i), mc_load4(b + i)));
}

// a = b + scalar * c
MC_KERNEL void micro_stream_triad(mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, const mc_float4* MC_RESTRICT c, float scalar, mc_u64 n4) {
  const mc_u64 s = mc_gstride();
  mc_u64 i = mc_gid();
  for (; i + 3 * s < n4; i += MC_UNROLL * s) {
    const mc_float4 b0 = mc_load4(b + i), b1 = mc_load4(b + (i + s)), b2 = mc_load4(b + (i + 2 * s)), b3 = mc_load4(b + (i + 3 * s));
    const mc_float4 c0 = mc_load4(c + i), c1 = mc_load4(c + (i + s)), c2 = mc_load4(c + (i + 2 * s)), c3 = mc_load4(c + (i + 3 * s));
    mc_store4(a + i, mc_fma(b0, scalar, c0)); mc_store4(a + (i + s), mc_fma(b1, scalar, c1));
    mc_store4(a + (i + 2 * s), mc_fma(b2, scalar, c2)); mc_store4(a + (i + 3 * s), mc_fma(b3, scalar, c3));
  }
  for (; i < n4; i += s) mc_store4(a + i, mc_fma(mc_load4(b + i), scalar, mc_load4(c + i)));
}

// a += b + scalar * c
MC_KERNEL void micro_stream_nstream(mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, const mc_float4* MC_RESTRICT c, float scalar, mc_u64 n4) {
  const mc_u64 s = mc_gstride();
  mc_u64 i = mc_gid();
  for (; i + 3 * s < n4; i += MC_UNROLL * s) {
    const mc_float4 a0 = mc_load4(a + i), a1 = mc_load4(a + (i + s)), a2 = mc_load4(a + (i + 2 * s)), a3 = mc_load4(a + (i + 3 * s));
    const mc_float4 b0 = mc_load4(b + i), b1 = mc_load4(b + (i + s)), b2 = mc_load4(b + (i + 2 * s)), b3 = mc_load4(b + (i + 3 * s));
    const mc_float4 c0 = mc_load4(c + i), c1 = mc_load4(c + (i + s)), c2 = mc_load4(c + (i + 2 * s)), c3 = mc_load4(c + (i + 3 * s));
    mc_store4(a + i, mc_add(a0, mc_fma(b0, scalar, c0))); mc_store4(a + (i + s), mc_add(a1, mc_fma(b1, scalar, c1)));
    mc_store4(a + (i + 2 * s), mc_add(a2, mc_fma(b2, scalar, c2))); mc_store4(a + (i + 3 * s), mc_add(a3, mc_fma(b3, scalar, c3)));
  }
  for (; i < n4; i += s) mc_store4(a + i, mc_add(mc_load4(a + i), mc_fma(mc_load4(b + i), scalar, mc_load4(c + i))));
}

// partial[block] = sum over the block's elements of a * b
MC_KERNEL void micro_stream_dot(const mc_float4* MC_RESTRICT a, const mc_float4* MC_RESTRICT b, float* MC_RESTRICT partial, mc_u64 n4) {
  const mc_u64 s = mc_gstride();
  mc_u64 i = mc_gid();
  float acc0 = 0.f, acc1 = 0.f, acc2 = 0.f, acc3 = 0.f;
  for (; i + 3 * s < n4; i += MC_UNROLL * s) {
    const mc_float4 a0 = mc_load4(a + i), a1 = mc_load4(a + (i + s)), a2 = mc_load4(a + (i + 2 * s)), a3 = mc_load4(a + (i + 3 * s));
    const mc_float4 b0 = mc_load4(b + i), b1 = mc_load4(b + (i + s)), b2 = mc_load4(b + (i + 2 * s)), b3 = mc_load4(b + (i + 3 * s));
    acc0 += mc_hdot(a0, b0); acc1 += mc_hdot(a1, b1); acc2 += mc_hdot(a2, b2); acc3 += mc_hdot(a3, b3);
  }
  for (; i < n4; i += s) acc0 += mc_hdot(mc_load4(a + i), mc_load4(b + i));
  mc_block_sum((acc0 + acc1) + (acc2 + acc3), partial);
}

// Read-only: partial[block] = sum of the block's elements of a. Every load feeds the sum, and the sum is
// stored, so the compiler cannot drop the loads; the reduction's own traffic is one float per block.
MC_KERNEL void micro_stream_read(const mc_float4* MC_RESTRICT a, float* MC_RESTRICT partial, mc_u64 n4) {
  const mc_u64 s = mc_gstride();
  mc_u64 i = mc_gid();
  float acc0 = 0.f, acc1 = 0.f, acc2 = 0.f, acc3 = 0.f;
  for (; i + 3 * s < n4; i += MC_UNROLL * s) {
    const mc_float4 v0 = mc_load4(a + i), v1 = mc_load4(a + (i + s)), v2 = mc_load4(a + (i + 2 * s)), v3 = mc_load4(a + (i + 3 * s));
    acc0 += mc_hsum(v0); acc1 += mc_hsum(v1); acc2 += mc_hsum(v2); acc3 += mc_hsum(v3);
  }
  for (; i < n4; i += s) acc0 += mc_hsum(mc_load4(a + i));
  mc_block_sum((acc0 + acc1) + (acc2 + acc3), partial);
}

// Write-only: a = scalar
MC_KERNEL void micro_stream_write(mc_float4* MC_RESTRICT a, float scalar, mc_u64 n4) {
  const mc_u64 s = mc_gstride();
  const mc_float4 v = {scalar, scalar, scalar, scalar};
  mc_u64 i = mc_gid();
  for (; i + 3 * s < n4; i += MC_UNROLL * s) { mc_store4(a + i, v); mc_store4(a + (i + s), v); mc_store4(a + (i + 2 * s), v); mc_store4(a + (i + 3 * s), v); }
  for (; i < n4; i += s) mc_store4(a + i, v);
}

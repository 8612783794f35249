// attn_common.h: small device helpers shared by the attention kernels (inline PTX, so the same source builds under
// NVRTC and under clang-16 -nocudainc, where CUDA's headers and intrinsics are absent).
#pragma once
#include "micro_cuda.h"

struct __attribute__((aligned(16))) attn_u32x4 { unsigned x, y, z, w; };

// "Nothing seen yet" / masked score. A finite sentinel (not -inf) so no source needs an infinity builtin; every use
// compares against it explicitly before exponentiating.
#define ATTN_NEG_INF (-3.0e38f)

MC_DEVICE float attn_ex2(float x) { float y; asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x)); return y; }
MC_DEVICE float attn_lg2(float x) { float y; asm("lg2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x)); return y; }
MC_DEVICE float attn_as_float(unsigned u) { float f; asm("mov.b32 %0, %1;" : "=f"(f) : "r"(u)); return f; }
// Hint: fetch the line holding p into L2 (generic address; no register holds the data, no effect on results).
MC_DEVICE void attn_prefetch_l2(const void* p) { asm volatile("prefetch.L2 [%0];" :: "l"(p)); }
MC_DEVICE float attn_max(float a, float b) { return a > b ? a : b; }
MC_DEVICE float attn_shfl_xor(float v, int m) {
  float r; asm volatile("shfl.sync.bfly.b32 %0, %1, %2, 0x1f, 0xffffffff;" : "=f"(r) : "f"(v), "r"(m)); return r;
}
// exp2(m_old - m_new) with "nothing seen yet" (-inf) mapping to 0 instead of NaN.
MC_DEVICE float attn_rescale(float m_old, float m_new) { return m_old == ATTN_NEG_INF ? 0.f : attn_ex2(m_old - m_new); }

// 16-bit storage: BF16 = 1 for bfloat16, 0 for IEEE half.
template <int BF16> MC_DEVICE float attn_lo(unsigned w) {
  if (BF16) return attn_as_float(w << 16);
  float f; unsigned short h = (unsigned short)(w & 0xFFFF); asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h)); return f;
}
template <int BF16> MC_DEVICE float attn_hi(unsigned w) {
  if (BF16) return attn_as_float(w & 0xFFFF0000u);
  float f; unsigned short h = (unsigned short)(w >> 16); asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h)); return f;
}
template <int BF16> MC_DEVICE unsigned short attn_from_float(float f) {
  unsigned short h;
  if (BF16) asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(h) : "f"(f));
  else asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
  return h;
}
template <int BF16> MC_DEVICE unsigned attn_pack(float lo, float hi) {
  return (unsigned)attn_from_float<BF16>(lo) | ((unsigned)attn_from_float<BF16>(hi) << 16);
}

// decode.cu: GQA decode attention (flash-decoding) over contiguous or paged 16-bit KV, fp32 accumulation.
// Layouts: Q, O [B, Hq, D]; K, V [rows, Hkv, D] (rows = physical block * block_size + offset); table [B, blocks].
// One block of 128 threads (4 warps) per (sequence, KV head, split). D/8 lanes cover one token's row with one 16-byte
// load each (ld.global.nc.v4), so a warp reads 32*16 bytes per load; each thread keeps 4 tokens (K and V) in flight
// per iteration (and prefetches the next 4 into L2) and all G query heads of the KV head in registers, so K/V are
// read from DRAM once for the group.
// The four warps' online-softmax states are merged through shared memory; with splits > 1 the block writes an fp32
// partial (normalized) and its log2-sum-exp, and attn_decode_combine merges the splits into O.
#include "attn_common.h"

#define DEC_WARPS 4
#define DEC_UNROLL 4

template <int D, int G, int BF16>
MC_DEVICE void decode_body(const unsigned short* MC_RESTRICT q, const unsigned short* MC_RESTRICT k,
                           const unsigned short* MC_RESTRICT v, const int* MC_RESTRICT table,
                           unsigned short* MC_RESTRICT o, float* MC_RESTRICT part_o, float* MC_RESTRICT part_lse,
                           int heads_kv, int context, int block_size, int blocks_per_seq, int splits, int split_len,
                           float scale_log2) {
  constexpr int LANES = D / 8;            // threads per token row
  constexpr int TPW = 32 / LANES;         // tokens per warp per load
  MC_SHARED float sm_acc[DEC_WARPS][G][D];
  MC_SHARED float sm_m[DEC_WARPS][G];
  MC_SHARED float sm_l[DEC_WARPS][G];

  const int tid = (int)mc_tid(), warp = tid / 32, lane = tid % 32;
  const int sub = lane / LANES, dl = lane % LANES;  // token slot within the warp, 8-dim chunk within the row
  const int blk = (int)mc_bid();
  const int split = blk % splits, bk = blk / splits, kvh = bk % heads_kv, b = bk / heads_kv;
  const int heads_q = heads_kv * G;

  float qf[G][8];
#pragma unroll
  for (int g = 0; g < G; g++) {
    attn_u32x4 w = *(const attn_u32x4*)(q + ((long long)b * heads_q + kvh * G + g) * D + dl * 8);
    unsigned ws[4] = {w.x, w.y, w.z, w.w};
#pragma unroll
    for (int i = 0; i < 4; i++) { qf[g][2 * i] = attn_lo<BF16>(ws[i]) * scale_log2; qf[g][2 * i + 1] = attn_hi<BF16>(ws[i]) * scale_log2; }
  }
  float m[G], l[G], acc[G][8];
#pragma unroll
  for (int g = 0; g < G; g++) { m[g] = ATTN_NEG_INF; l[g] = 0.f;
#pragma unroll
    for (int i = 0; i < 8; i++) acc[g][i] = 0.f; }

  const int start = split * split_len;
  const int end = start + split_len < context ? start + split_len : context;
  const long long row_stride = (long long)heads_kv * D;
  const long long head_off = (long long)kvh * D + dl * 8;
  const int step = DEC_WARPS * TPW;  // tokens per block per unrolled slot
  // The loop bound is uniform across the warp (base, not base + sub): every lane reaches every shuffle.
  for (int base = start + warp * TPW; base < end; base += step * DEC_UNROLL) {
    const int t0 = base + sub;
    attn_u32x4 kw[DEC_UNROLL], vw[DEC_UNROLL];
    bool live[DEC_UNROLL];
#pragma unroll
    for (int u = 0; u < DEC_UNROLL; u++) {
      int t = t0 + u * step;
      live[u] = t < end;
      int tt = live[u] ? t : start;
      long long row = (long long)table[b * blocks_per_seq + tt / block_size] * block_size + tt % block_size;
      kw[u] = *(const attn_u32x4*)(k + row * row_stride + head_off);
      vw[u] = *(const attn_u32x4*)(v + row * row_stride + head_off);
    }
    // Prefetch the next iteration's K/V rows into L2 while this iteration's loads are in flight: more bytes in flight
    // per SM than the load registers alone allow (residency is register-bound), so the next loads mostly hit L2.
#pragma unroll
    for (int u = 0; u < DEC_UNROLL; u++) {
      int t = t0 + (u + DEC_UNROLL) * step;
      if (t < end) {
        long long row = (long long)table[b * blocks_per_seq + t / block_size] * block_size + t % block_size;
        attn_prefetch_l2(k + row * row_stride + head_off);
        attn_prefetch_l2(v + row * row_stride + head_off);
      }
    }
    // Token-major order: each K (then V) row is widened to fp32 once and used by all G heads right away, so only one
    // row's 8 floats need be live at a time. The head-major order let the compiler keep every widened row live
    // (168-255 registers per thread in the H100 census), which capped residency at 2-3 blocks of 4 warps per SM.
    float s[G][DEC_UNROLL];
#pragma unroll
    for (int u = 0; u < DEC_UNROLL; u++) {
      unsigned ws[4] = {kw[u].x, kw[u].y, kw[u].z, kw[u].w};
      float kf[8];
#pragma unroll
      for (int i = 0; i < 4; i++) { kf[2 * i] = attn_lo<BF16>(ws[i]); kf[2 * i + 1] = attn_hi<BF16>(ws[i]); }
#pragma unroll
      for (int g = 0; g < G; g++) {
        float d0 = 0.f;
#pragma unroll
        for (int i = 0; i < 8; i++) d0 += qf[g][i] * kf[i];
#pragma unroll
        for (int off = LANES / 2; off > 0; off /= 2) d0 += attn_shfl_xor(d0, off);
        s[g][u] = live[u] ? d0 : ATTN_NEG_INF;
      }
    }
    // Online softmax per head: s becomes p = 2^(s - m_new) (0 for dead slots).
#pragma unroll
    for (int g = 0; g < G; g++) {
      float mn = m[g];
#pragma unroll
      for (int u = 0; u < DEC_UNROLL; u++) mn = attn_max(mn, s[g][u]);
      float c = attn_rescale(m[g], mn);
      l[g] *= c;
#pragma unroll
      for (int i = 0; i < 8; i++) acc[g][i] *= c;
#pragma unroll
      for (int u = 0; u < DEC_UNROLL; u++) {
        float p = s[g][u] == ATTN_NEG_INF ? 0.f : attn_ex2(s[g][u] - mn);
        l[g] += p;
        s[g][u] = p;
      }
      m[g] = mn;
    }
#pragma unroll
    for (int u = 0; u < DEC_UNROLL; u++) {
      unsigned ws[4] = {vw[u].x, vw[u].y, vw[u].z, vw[u].w};
      float vf[8];
#pragma unroll
      for (int i = 0; i < 4; i++) { vf[2 * i] = attn_lo<BF16>(ws[i]); vf[2 * i + 1] = attn_hi<BF16>(ws[i]); }
#pragma unroll
      for (int g = 0; g < G; g++) {
#pragma unroll
        for (int i = 0; i < 8; i++) acc[g][i] += s[g][u] * vf[i];
      }
    }
  }

  // Merge the token slots of the warp (lanes with the same dl), then the warps through shared memory.
#pragma unroll
  for (int g = 0; g < G; g++) {
#pragma unroll
    for (int off = LANES; off < 32; off *= 2) {
      float mo = attn_shfl_xor(m[g], off), lo = attn_shfl_xor(l[g], off);
      float mn = attn_max(m[g], mo);
      float a = attn_rescale(m[g], mn), c = attn_rescale(mo, mn);
      l[g] = l[g] * a + lo * c;
#pragma unroll
      for (int i = 0; i < 8; i++) acc[g][i] = acc[g][i] * a + attn_shfl_xor(acc[g][i], off) * c;
      m[g] = mn;
    }
    if (sub == 0) {
#pragma unroll
      for (int i = 0; i < 8; i++) sm_acc[warp][g][dl * 8 + i] = acc[g][i];
      if (dl == 0) { sm_m[warp][g] = m[g]; sm_l[warp][g] = l[g]; }
    }
  }
  mc_sync();
  for (int e = tid; e < G * D; e += DEC_WARPS * 32) {
    int g = e / D, d = e % D;
    float mx = ATTN_NEG_INF;
    for (int w = 0; w < DEC_WARPS; w++) mx = attn_max(mx, sm_m[w][g]);
    float lsum = 0.f, a = 0.f;
    for (int w = 0; w < DEC_WARPS; w++) { float f = attn_rescale(sm_m[w][g], mx); lsum += sm_l[w][g] * f; a += sm_acc[w][g][d] * f; }
    long long row = (long long)b * heads_q + kvh * G + g;
    if (splits == 1) o[row * D + d] = attn_from_float<BF16>(a / lsum);
    else {
      part_o[(row * splits + split) * D + d] = a / lsum;
      if (d == 0) part_lse[row * splits + split] = mx + attn_lg2(lsum);
    }
  }
}

#define DECODE_ENTRY(D, G, BF, NAME)                                                                                 \
  MC_KERNEL void NAME(const unsigned short* q, const unsigned short* k, const unsigned short* v, const int* table,   \
                      unsigned short* o, float* part_o, float* part_lse, int heads_kv, int context, int block_size,  \
                      int blocks_per_seq, int splits, int split_len, float scale_log2) {                             \
    decode_body<D, G, BF>(q, k, v, table, o, part_o, part_lse, heads_kv, context, block_size, blocks_per_seq,        \
                          splits, split_len, scale_log2);                                                           \
  }

DECODE_ENTRY(128, 1, 1, attn_decode_d128_g1_bf16)
DECODE_ENTRY(128, 2, 1, attn_decode_d128_g2_bf16)
DECODE_ENTRY(128, 4, 1, attn_decode_d128_g4_bf16)
DECODE_ENTRY(128, 8, 1, attn_decode_d128_g8_bf16)
DECODE_ENTRY(64, 4, 1, attn_decode_d64_g4_bf16)
DECODE_ENTRY(64, 8, 1, attn_decode_d64_g8_bf16)
DECODE_ENTRY(128, 4, 0, attn_decode_d128_g4_fp16)
DECODE_ENTRY(128, 8, 0, attn_decode_d128_g8_fp16)
DECODE_ENTRY(64, 8, 0, attn_decode_d64_g8_fp16)

// O[row, d] = sum_s 2^(lse_s - M) O_s[d] / sum_s 2^(lse_s - M); one thread per output element (log2 domain).
template <int BF16>
MC_DEVICE void combine_body(const float* part_o, const float* part_lse, unsigned short* o, long long rows, int d, int splits) {
  long long i = (long long)mc_gid();
  if (i >= rows * d) return;
  long long row = i / d; int e = (int)(i % d);
  // Four splits per step so several partial loads are in flight per thread: with tens of splits a rolled loop is a
  // chain of L2 round trips, a visible share of a ~100 us decode.
  const float* lse = part_lse + row * splits;
  const float* po = part_o + row * splits * d + e;
  float mx = ATTN_NEG_INF;
  int s = 0;
  for (; s + 4 <= splits; s += 4) mx = attn_max(mx, attn_max(attn_max(lse[s], lse[s + 1]), attn_max(lse[s + 2], lse[s + 3])));
  for (; s < splits; s++) mx = attn_max(mx, lse[s]);
  float w = 0.f, a = 0.f;
  for (s = 0; s + 4 <= splits; s += 4) {
    float o0 = po[(long long)s * d], o1 = po[(long long)(s + 1) * d], o2 = po[(long long)(s + 2) * d], o3 = po[(long long)(s + 3) * d];
    float f0 = attn_ex2(lse[s] - mx), f1 = attn_ex2(lse[s + 1] - mx), f2 = attn_ex2(lse[s + 2] - mx), f3 = attn_ex2(lse[s + 3] - mx);
    w += (f0 + f1) + (f2 + f3);
    a += (f0 * o0 + f1 * o1) + (f2 * o2 + f3 * o3);
  }
  for (; s < splits; s++) { float f = attn_ex2(lse[s] - mx); w += f; a += f * po[(long long)s * d]; }
  o[i] = attn_from_float<BF16>(a / w);
}
MC_KERNEL void attn_decode_combine_bf16(const float* part_o, const float* part_lse, unsigned short* o, long long rows, int d, int splits) { combine_body<1>(part_o, part_lse, o, rows, d, splits); }
MC_KERNEL void attn_decode_combine_fp16(const float* part_o, const float* part_lse, unsigned short* o, long long rows, int d, int splits) { combine_body<0>(part_o, part_lse, o, rows, d, splits); }

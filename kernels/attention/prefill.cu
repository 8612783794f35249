// prefill.cu: prefill attention (Lq = Lk = L, causal or not) on tensor cores, FlashAttention-2 style.
// Layouts: Q, O [B, L, Hq, D]; K, V [B, L, Hkv, D]; 16-bit (bf16 or fp16) in, fp32 accumulate, 16-bit out.
// One block of 4 warps per (64 query rows, query head, sequence); each warp owns 16 query rows. Per tile of 64 keys:
// K and V are copied to shared memory with cp.async (16 bytes per copy, rows padded by 8 elements so fragment reads
// are bank-conflict-free), S = Q K^T and O += P V run on mma.sync.m16n8k16 (fp32 accumulators in registers), the
// online softmax works on the accumulator fragments (row max/sum over the 4 lanes of a row), P is re-packed from
// accumulator to A-operand layout in registers, and V's B fragments come from ldmatrix.trans. D = 128; L % 64 == 0.
// No double buffering or warp specialization: the copy of tile j+1 does not overlap the math of tile j.
// (A 128-row, 8-warp, cp.async-pipelined variant measured slower on the H100 on 2026-11-22: 0.57-0.63x SDPA flash
// against this version's 0.64-0.71x, so this one is kept; see scripts/examples/h100-2026-11-22.)
#include "attn_common.h"

#define PF_D 128
#define PF_WARPS 4
#define PF_BQ (PF_WARPS * 16)
#define PF_THREADS (PF_WARPS * 32)
#define PF_BK 64
#define PF_PAD 8
#define PF_STRIDE (PF_D + PF_PAD)

MC_DEVICE unsigned pf_smem_addr(const void* p) {
  unsigned long long s; asm("cvta.to.shared.u64 %0, %1;" : "=l"(s) : "l"(p)); return (unsigned)s;
}
MC_DEVICE void pf_cp_async16(void* dst, const void* src) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" :: "r"(pf_smem_addr(dst)), "l"(src));
}
MC_DEVICE void pf_cp_wait() { asm volatile("cp.async.commit_group;\ncp.async.wait_group 0;" ::: "memory"); }

template <int BF16>
MC_DEVICE void pf_mma(float* c, const unsigned* a, unsigned b0, unsigned b1) {
  if (BF16)
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3]) : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
  else
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3]) : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

MC_DEVICE void pf_ldmatrix_x4_trans(unsigned* r, const void* p) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(pf_smem_addr(p)));
}

template <int BF16>
MC_DEVICE void prefill_body(const unsigned short* MC_RESTRICT q, const unsigned short* MC_RESTRICT k,
                            const unsigned short* MC_RESTRICT v, unsigned short* MC_RESTRICT o,
                            int seq_len, int heads_q, int heads_kv, int causal, float scale_log2) {
  MC_SHARED __attribute__((aligned(16))) unsigned short ks[PF_BK * PF_STRIDE];
  MC_SHARED __attribute__((aligned(16))) unsigned short vs[PF_BK * PF_STRIDE];
  const int tid = (int)mc_tid(), warp = tid / 32, lane = tid % 32;
  const int q_tiles = seq_len / PF_BQ;
  const int blk = (int)mc_bid();
  // Heaviest (last) query tiles first, so causal blocks finish together.
  const int qt = q_tiles - 1 - blk % q_tiles;
  const int h = (blk / q_tiles) % heads_q, b = blk / q_tiles / heads_q;
  const int kvh = h / (heads_q / heads_kv);
  const int r0 = qt * PF_BQ + warp * 16 + lane / 4;  // this thread's rows: r0 and r0 + 8
  const int cpair = (lane % 4) * 2;

  const long long q_row_stride = (long long)heads_q * PF_D;
  const unsigned short* qa = q + ((long long)b * seq_len + r0) * q_row_stride + (long long)h * PF_D;
  const unsigned short* qb = qa + 8 * q_row_stride;
  unsigned qf[PF_D / 16][4];
#pragma unroll
  for (int j = 0; j < PF_D / 16; j++) {
    qf[j][0] = *(const unsigned*)(qa + j * 16 + cpair);
    qf[j][1] = *(const unsigned*)(qb + j * 16 + cpair);
    qf[j][2] = *(const unsigned*)(qa + j * 16 + 8 + cpair);
    qf[j][3] = *(const unsigned*)(qb + j * 16 + 8 + cpair);
  }
  float oacc[PF_D / 8][4];
#pragma unroll
  for (int n = 0; n < PF_D / 8; n++) { oacc[n][0] = oacc[n][1] = oacc[n][2] = oacc[n][3] = 0.f; }
  float m0 = ATTN_NEG_INF, m1 = ATTN_NEG_INF, l0 = 0.f, l1 = 0.f;

  const long long kv_row_stride = (long long)heads_kv * PF_D;
  const unsigned short* kbase = k + (long long)b * seq_len * kv_row_stride + (long long)kvh * PF_D;
  const unsigned short* vbase = v + (long long)b * seq_len * kv_row_stride + (long long)kvh * PF_D;
  const int k_tiles = causal ? qt + 1 : seq_len / PF_BK;
  for (int kt = 0; kt < k_tiles; kt++) {
    mc_sync();
    for (int c = tid; c < PF_BK * (PF_D / 8); c += PF_THREADS) {
      int row = c / (PF_D / 8), col = (c % (PF_D / 8)) * 8;
      long long src = (long long)(kt * PF_BK + row) * kv_row_stride + col;
      pf_cp_async16(&ks[row * PF_STRIDE + col], kbase + src);
      pf_cp_async16(&vs[row * PF_STRIDE + col], vbase + src);
    }
    pf_cp_wait();
    mc_sync();

    float s[PF_BK / 8][4];
#pragma unroll
    for (int n = 0; n < PF_BK / 8; n++) {
      s[n][0] = s[n][1] = s[n][2] = s[n][3] = 0.f;
      const unsigned short* krow = &ks[(n * 8 + lane / 4) * PF_STRIDE + cpair];
#pragma unroll
      for (int j = 0; j < PF_D / 16; j++)
        pf_mma<BF16>(s[n], qf[j], *(const unsigned*)(krow + j * 16), *(const unsigned*)(krow + j * 16 + 8));
    }
    float mx0 = m0, mx1 = m1;
#pragma unroll
    for (int n = 0; n < PF_BK / 8; n++) {
#pragma unroll
      for (int e = 0; e < 4; e++) {
        int key = kt * PF_BK + n * 8 + cpair + (e & 1);
        int row = r0 + (e >= 2 ? 8 : 0);
        float x = s[n][e] * scale_log2;
        if (causal && key > row) x = ATTN_NEG_INF;
        s[n][e] = x;
      }
      mx0 = attn_max(mx0, attn_max(s[n][0], s[n][1]));
      mx1 = attn_max(mx1, attn_max(s[n][2], s[n][3]));
    }
    mx0 = attn_max(mx0, attn_shfl_xor(mx0, 1)); mx0 = attn_max(mx0, attn_shfl_xor(mx0, 2));
    mx1 = attn_max(mx1, attn_shfl_xor(mx1, 1)); mx1 = attn_max(mx1, attn_shfl_xor(mx1, 2));
    float c0 = attn_rescale(m0, mx0), c1 = attn_rescale(m1, mx1);
    l0 *= c0; l1 *= c1;
#pragma unroll
    for (int n = 0; n < PF_D / 8; n++) { oacc[n][0] *= c0; oacc[n][1] *= c0; oacc[n][2] *= c1; oacc[n][3] *= c1; }
    m0 = mx0; m1 = mx1;

    unsigned pf[PF_BK / 16][4];
#pragma unroll
    for (int n = 0; n < PF_BK / 8; n++) {
      float p0 = s[n][0] == ATTN_NEG_INF ? 0.f : attn_ex2(s[n][0] - mx0);
      float p1 = s[n][1] == ATTN_NEG_INF ? 0.f : attn_ex2(s[n][1] - mx0);
      float p2 = s[n][2] == ATTN_NEG_INF ? 0.f : attn_ex2(s[n][2] - mx1);
      float p3 = s[n][3] == ATTN_NEG_INF ? 0.f : attn_ex2(s[n][3] - mx1);
      l0 += p0 + p1; l1 += p2 + p3;
      // Accumulator (C) layout of n-tiles 2j and 2j+1 is the A-operand layout of k-step j.
      pf[n / 2][(n % 2) * 2 + 0] = attn_pack<BF16>(p0, p1);
      pf[n / 2][(n % 2) * 2 + 1] = attn_pack<BF16>(p2, p3);
    }
#pragma unroll
    for (int j = 0; j < PF_BK / 16; j++) {
      // ldmatrix.x4.trans: matrices (keys 16j..+7 | +8..+15) x (dims 16p..+7 | +8..+15) -> B fragments of two n-tiles.
      const int mat = lane / 8, r = lane % 8;
#pragma unroll
      for (int p = 0; p < PF_D / 16; p++) {
        unsigned bf[4];
        pf_ldmatrix_x4_trans(bf, &vs[(j * 16 + (mat % 2) * 8 + r) * PF_STRIDE + p * 16 + (mat / 2) * 8]);
        pf_mma<BF16>(oacc[2 * p], pf[j], bf[0], bf[1]);
        pf_mma<BF16>(oacc[2 * p + 1], pf[j], bf[2], bf[3]);
      }
    }
  }
  l0 += attn_shfl_xor(l0, 1); l0 += attn_shfl_xor(l0, 2);
  l1 += attn_shfl_xor(l1, 1); l1 += attn_shfl_xor(l1, 2);
  const float i0 = 1.f / l0, i1 = 1.f / l1;
  unsigned short* oa = o + ((long long)b * seq_len + r0) * q_row_stride + (long long)h * PF_D;
  unsigned short* ob = oa + 8 * q_row_stride;
#pragma unroll
  for (int n = 0; n < PF_D / 8; n++) {
    *(unsigned*)(oa + n * 8 + cpair) = attn_pack<BF16>(oacc[n][0] * i0, oacc[n][1] * i0);
    *(unsigned*)(ob + n * 8 + cpair) = attn_pack<BF16>(oacc[n][2] * i1, oacc[n][3] * i1);
  }
}

MC_KERNEL void attn_prefill_d128_bf16(const unsigned short* q, const unsigned short* k, const unsigned short* v, unsigned short* o,
                                      int seq_len, int heads_q, int heads_kv, int causal, float scale_log2) {
  prefill_body<1>(q, k, v, o, seq_len, heads_q, heads_kv, causal, scale_log2);
}
MC_KERNEL void attn_prefill_d128_fp16(const unsigned short* q, const unsigned short* k, const unsigned short* v, unsigned short* o,
                                      int seq_len, int heads_q, int heads_kv, int causal, float scale_log2) {
  prefill_body<0>(q, k, v, o, seq_len, heads_q, heads_kv, causal, scale_log2);
}

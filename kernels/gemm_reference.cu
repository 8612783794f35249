// gemm_reference.cu: the device reference for the GEMM suite's verification. One thread per sampled output (row, col)
// computes scale * sum_k A[row,k] * B(k,col) with fp32 accumulation in k order, and sum_k |A*B| (for the tolerance).
// A is row-major [M,K]; B(k,col) is read at b[col * b_col_stride + k * b_k_stride] (TN: stride K and 1; NN: 1 and N).
// Element types: 0 bf16, 1 fp16, 2 fp8 e4m3, 3 fp32; decoded by bit arithmetic so no CUDA header is needed.
#include "micro_cuda.h"

MC_DEVICE float mc_bits_to_float(unsigned u) {
  union { unsigned u; float f; } x;
  x.u = u;
  return x.f;
}

MC_DEVICE float mc_fp16_to_float(unsigned short h) {
  unsigned sign = (unsigned)(h >> 15) << 31, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
  if (exp == 0) {
    float v = (float)mant * (1.0f / 16777216.0f);  // subnormal: mant * 2^-24
    return sign ? -v : v;
  }
  if (exp == 31) return mc_bits_to_float(sign | 0x7F800000u | (mant << 13));
  return mc_bits_to_float(sign | ((exp + 112) << 23) | (mant << 13));
}

MC_DEVICE float mc_e4m3_to_float(unsigned char q) {
  unsigned sign = (unsigned)(q >> 7) << 31, exp = (q >> 3) & 0xF, mant = q & 0x7;
  if (exp == 15 && mant == 7) return mc_bits_to_float(0x7FC00000u);  // e4m3 has no inf; S.1111.111 is NaN
  if (exp == 0) {
    float v = (float)mant * (1.0f / 512.0f);  // subnormal: mant * 2^-9
    return sign ? -v : v;
  }
  return mc_bits_to_float(sign | ((exp + 120) << 23) | (mant << 20));
}

MC_DEVICE float mc_element(const void* p, mc_u64 i, int dtype) {
  if (dtype == 0) return mc_bits_to_float((unsigned)((const unsigned short*)p)[i] << 16);
  if (dtype == 1) return mc_fp16_to_float(((const unsigned short*)p)[i]);
  if (dtype == 2) return mc_e4m3_to_float(((const unsigned char*)p)[i]);
  return ((const float*)p)[i];
}

MC_KERNEL void micro_gemm_reference(const void* a, const void* b, const int* rows, const int* cols, int count, int k,
                                    mc_u64 b_col_stride, mc_u64 b_k_stride, int dtype, float scale, float* ref,
                                    float* abs_sum) {
  mc_u64 s = mc_gid();
  if (s >= (mc_u64)count) return;
  mc_u64 arow = (mc_u64)rows[s] * (mc_u64)k;
  mc_u64 bcol = (mc_u64)cols[s] * b_col_stride;
  float sum = 0.0f, abs = 0.0f;
  for (int kk = 0; kk < k; ++kk) {
    float p = mc_element(a, arow + kk, dtype) * mc_element(b, bcol + (mc_u64)kk * b_k_stride, dtype);
    sum += p;
    abs += p < 0.0f ? -p : p;
  }
  ref[s] = scale * sum;
  abs_sum[s] = (scale < 0.0f ? -scale : scale) * abs;
}

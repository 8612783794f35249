/* The STREAM kernel bodies, compiled once per instruction set (CMake: baseline x86-64, AVX2+FMA, AVX-512) because
 * the library travels in the device bundle and may not be built with -march=native; hoststream.c picks one table at
 * run time with __builtin_cpu_supports. MHS_ISA names the table (mhs_kernels_<isa>). */
#include "hoststream_internal.h"

#define MHS_CAT2(a, b) a##b
#define MHS_CAT(a, b) MHS_CAT2(a, b)

/* One body per element type; T is float or double. */
#define DEFINE_KERNELS(T)                                                                  \
  static void init_##T(micro_hs *s, T a0, T b0, T c0) {                                    \
    T *restrict a = s->a, *restrict b = s->b, *restrict c = s->c;                          \
    const int64_t n = s->n;                                                                \
    _Pragma("omp parallel for schedule(static)") for (int64_t i = 0; i < n; i++) {         \
      a[i] = a0;                                                                           \
      b[i] = b0;                                                                           \
      c[i] = c0;                                                                           \
    }                                                                                      \
  }                                                                                        \
  static int run_##T(micro_hs *s, int kernel, T k, double *sum_out) {                      \
    T *restrict a = s->a, *restrict b = s->b, *restrict c = s->c;                          \
    const int64_t n = s->n;                                                                \
    double sum = 0;                                                                        \
    switch (kernel) {                                                                      \
    case MICRO_HS_COPY:                                                                    \
      _Pragma("omp parallel for schedule(static)") for (int64_t i = 0; i < n; i++) c[i] = a[i]; \
      break;                                                                               \
    case MICRO_HS_MUL:                                                                     \
      _Pragma("omp parallel for schedule(static)") for (int64_t i = 0; i < n; i++) b[i] = k * c[i]; \
      break;                                                                               \
    case MICRO_HS_ADD:                                                                     \
      _Pragma("omp parallel for schedule(static)") for (int64_t i = 0; i < n; i++) c[i] = a[i] + b[i]; \
      break;                                                                               \
    case MICRO_HS_TRIAD:                                                                   \
      _Pragma("omp parallel for schedule(static)") for (int64_t i = 0; i < n; i++) a[i] = b[i] + k * c[i]; \
      break;                                                                               \
    case MICRO_HS_DOT:                                                                     \
      _Pragma("omp parallel for simd schedule(static) reduction(+ : sum)") for (int64_t i = 0; i < n; i++) \
        sum += (double)(a[i] * b[i]);                                                      \
      break;                                                                               \
    case MICRO_HS_NSTREAM:                                                                 \
      _Pragma("omp parallel for schedule(static)") for (int64_t i = 0; i < n; i++) a[i] += b[i] + k * c[i]; \
      break;                                                                               \
    case MICRO_HS_READ:                                                                    \
      _Pragma("omp parallel for simd schedule(static) reduction(+ : sum)") for (int64_t i = 0; i < n; i++) \
        sum += (double)a[i];                                                               \
      break;                                                                               \
    case MICRO_HS_WRITE:                                                                   \
      _Pragma("omp parallel for schedule(static)") for (int64_t i = 0; i < n; i++) c[i] = k; \
      break;                                                                               \
    default:                                                                               \
      return -1;                                                                           \
    }                                                                                      \
    if (sum_out) *sum_out = sum;                                                           \
    return 0;                                                                              \
  }

DEFINE_KERNELS(float)
DEFINE_KERNELS(double)

const struct mhs_kernels MHS_CAT(mhs_kernels_, MHS_ISA) = {
  .name = MHS_ISA_NAME, .init_float = init_float, .run_float = run_float, .init_double = init_double, .run_double = run_double,
};

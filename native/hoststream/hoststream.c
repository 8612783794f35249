#define _POSIX_C_SOURCE 200809L
#include "hoststream.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define MICRO_HS_EXPORT __attribute__((visibility("default")))
#define ALIGNMENT 2097152 /* 2 MiB: lets the kernel back the arrays with huge pages */

struct micro_hs {
  int64_t n;
  int elem_size;
  void *a, *b, *c;
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

MICRO_HS_EXPORT int micro_hs_abi_version(void) { return MICRO_HS_ABI_VERSION; }

MICRO_HS_EXPORT int micro_hs_threads(void) {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

static void *alloc_array(int64_t n, int elem_size) {
  size_t bytes = (size_t)n * (size_t)elem_size;
  size_t rounded = (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  return aligned_alloc(ALIGNMENT, rounded);
}

MICRO_HS_EXPORT micro_hs *micro_hs_create(int64_t n, int elem_size) {
  if (n <= 0 || (elem_size != 4 && elem_size != 8)) return NULL;
  micro_hs *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->n = n;
  s->elem_size = elem_size;
  s->a = alloc_array(n, elem_size);
  s->b = alloc_array(n, elem_size);
  s->c = alloc_array(n, elem_size);
  if (!s->a || !s->b || !s->c) {
    micro_hs_destroy(s);
    return NULL;
  }
  return s;
}

MICRO_HS_EXPORT void micro_hs_destroy(micro_hs *s) {
  if (!s) return;
  free(s->a);
  free(s->b);
  free(s->c);
  free(s);
}

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
  }                                                                                        \
  static void copy_out_##T(const T *src, int64_t offset, int64_t count, double *dest) {   \
    for (int64_t i = 0; i < count; i++) dest[i] = (double)src[offset + i];                 \
  }

DEFINE_KERNELS(float)
DEFINE_KERNELS(double)

MICRO_HS_EXPORT void micro_hs_init(micro_hs *s, double a0, double b0, double c0) {
  if (!s) return;
  if (s->elem_size == 4) init_float(s, (float)a0, (float)b0, (float)c0);
  else init_double(s, a0, b0, c0);
}

MICRO_HS_EXPORT double micro_hs_run(micro_hs *s, int kernel, double scalar, double *sum) {
  if (!s) return -1;
  double t0 = now_seconds();
  int rc = s->elem_size == 4 ? run_float(s, kernel, (float)scalar, sum) : run_double(s, kernel, scalar, sum);
  double t1 = now_seconds();
  return rc == 0 ? t1 - t0 : -1;
}

MICRO_HS_EXPORT int micro_hs_copy_out(const micro_hs *s, int array, int64_t offset, int64_t count, double *dest) {
  if (!s || !dest || offset < 0 || count < 0 || offset + count > s->n) return -1;
  const void *src = array == MICRO_HS_A ? s->a : array == MICRO_HS_B ? s->b : array == MICRO_HS_C ? s->c : NULL;
  if (!src) return -1;
  if (s->elem_size == 4) copy_out_float(src, offset, count, dest);
  else copy_out_double(src, offset, count, dest);
  return 0;
}

#define _POSIX_C_SOURCE 200809L
#include "hoststream_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define MICRO_HS_EXPORT __attribute__((visibility("default")))
#define ALIGNMENT 2097152 /* 2 MiB: lets the kernel back the arrays with huge pages */


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

static void copy_out_float(const float *src, int64_t offset, int64_t count, double *dest) {
  for (int64_t i = 0; i < count; i++) dest[i] = (double)src[offset + i];
}
static void copy_out_double(const double *src, int64_t offset, int64_t count, double *dest) {
  for (int64_t i = 0; i < count; i++) dest[i] = src[offset + i];
}

/* The widest kernel table this CPU runs; MICRO_HS_ISA=baseline|avx2|avx512 forces one (for paired comparisons). */
static const struct mhs_kernels *kernels(void) {
  static const struct mhs_kernels *chosen;
  if (chosen) return chosen;
  const char *force = getenv("MICRO_HS_ISA");
  __builtin_cpu_init();
  int avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const struct mhs_kernels *k = avx512 ? &mhs_kernels_avx512 : avx2 ? &mhs_kernels_avx2 : &mhs_kernels_baseline;
  if (force && strcmp(force, "baseline") == 0) k = &mhs_kernels_baseline;
  else if (force && strcmp(force, "avx2") == 0 && avx2) k = &mhs_kernels_avx2;
  else if (force && strcmp(force, "avx512") == 0 && avx512) k = &mhs_kernels_avx512;
  chosen = k;
  return chosen;
}

MICRO_HS_EXPORT const char *micro_hs_isa(void) { return kernels()->name; }

MICRO_HS_EXPORT void micro_hs_init(micro_hs *s, double a0, double b0, double c0) {
  if (!s) return;
  if (s->elem_size == 4) kernels()->init_float(s, (float)a0, (float)b0, (float)c0);
  else kernels()->init_double(s, a0, b0, c0);
}

MICRO_HS_EXPORT double micro_hs_run(micro_hs *s, int kernel, double scalar, double *sum) {
  if (!s) return -1;
  double t0 = now_seconds();
  const struct mhs_kernels *k = kernels();
  int rc = s->elem_size == 4 ? k->run_float(s, kernel, (float)scalar, sum) : k->run_double(s, kernel, scalar, sum);
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

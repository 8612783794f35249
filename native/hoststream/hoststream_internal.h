/* What hoststream.c and the per-ISA kernel builds (hoststream_kernels.c) share. */
#ifndef MICRO_HOSTSTREAM_INTERNAL_H
#define MICRO_HOSTSTREAM_INTERNAL_H
#include "hoststream.h"

struct micro_hs {
  int64_t n;
  int elem_size;
  void *a, *b, *c;
};

struct mhs_kernels {
  const char *name;
  void (*init_float)(micro_hs *s, float a0, float b0, float c0);
  int (*run_float)(micro_hs *s, int kernel, float k, double *sum_out);
  void (*init_double)(micro_hs *s, double a0, double b0, double c0);
  int (*run_double)(micro_hs *s, int kernel, double k, double *sum_out);
};

extern const struct mhs_kernels mhs_kernels_baseline, mhs_kernels_avx2, mhs_kernels_avx512;
#endif

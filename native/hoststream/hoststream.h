/* Host STREAM kernels (BabelStream's set plus read-only and write-only) behind a flat C ABI.
 * Arrays are allocated aligned and first touched in parallel with the same static schedule the
 * kernels use, so each thread's pages sit on its own NUMA node. Times come from a monotonic host
 * clock around each kernel (no P/Invoke cost inside the timed region). */
#ifndef MICRO_HOSTSTREAM_H
#define MICRO_HOSTSTREAM_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MICRO_HS_ABI_VERSION 1

enum micro_hs_kernel {
  MICRO_HS_COPY = 0,   /* c = a            */
  MICRO_HS_MUL = 1,    /* b = s * c        */
  MICRO_HS_ADD = 2,    /* c = a + b        */
  MICRO_HS_TRIAD = 3,  /* a = b + s * c    */
  MICRO_HS_DOT = 4,    /* sum = a . b      */
  MICRO_HS_NSTREAM = 5,/* a += b + s * c   */
  MICRO_HS_READ = 6,   /* sum = sum(a)     */
  MICRO_HS_WRITE = 7   /* c = s            */
};

enum micro_hs_array { MICRO_HS_A = 0, MICRO_HS_B = 1, MICRO_HS_C = 2 };

typedef struct micro_hs micro_hs;

int micro_hs_abi_version(void);
/* Threads the kernels run on (OpenMP's max threads, 1 without OpenMP). */
int micro_hs_threads(void);
/* elem_size 4 (float) or 8 (double); NULL when out of memory or arguments are bad. */
micro_hs *micro_hs_create(int64_t n, int elem_size);
/* Fills a, b, c with the start values in parallel (first touch on the first call). */
void micro_hs_init(micro_hs *s, double a0, double b0, double c0);
/* Runs one kernel once and returns its duration in seconds (negative: bad kernel id).
 * Dot and Read store their reduction in *sum (accumulated in double). */
double micro_hs_run(micro_hs *s, int kernel, double scalar, double *sum);
/* Copies count elements of one array from offset into dest as doubles; 0 on success. */
int micro_hs_copy_out(const micro_hs *s, int array, int64_t offset, int64_t count, double *dest);
void micro_hs_destroy(micro_hs *s);
/* The kernel build this CPU runs: "avx512", "avx2" or "baseline" (MICRO_HS_ISA forces one it supports). */
const char *micro_hs_isa(void);

#ifdef __cplusplus
}
#endif
#endif

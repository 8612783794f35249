/* ctest: every kernel on a small float and double array against closed-form values. */
#include "hoststream.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int failures = 0;

static void expect_all(micro_hs *s, int array, int64_t n, double want, double tol, const char *what) {
  double *buf = malloc(sizeof(double) * (size_t)n);
  if (!buf || micro_hs_copy_out(s, array, 0, n, buf) != 0) {
    printf("FAIL %s: copy_out\n", what);
    failures++;
    free(buf);
    return;
  }
  int64_t wrong = 0;
  for (int64_t i = 0; i < n; i++)
    if (fabs(buf[i] - want) > tol * fabs(want)) wrong++;
  if (wrong) {
    printf("FAIL %s: %lld of %lld elements differ from %g (first %g)\n", what, (long long)wrong, (long long)n, want, buf[0]);
    failures++;
  }
  free(buf);
}

static void check(int elem_size) {
  const int64_t n = 1 << 20;
  const double a0 = 0.1, b0 = 0.2, c0 = 0.3, k = 0.4;
  const double tol = elem_size == 4 ? 1e-5 : 1e-12;
  micro_hs *s = micro_hs_create(n, elem_size);
  if (!s) { printf("FAIL create\n"); failures++; return; }
  double sum = 0, t;

  micro_hs_init(s, a0, b0, c0);
  t = micro_hs_run(s, MICRO_HS_COPY, k, NULL);
  if (!(t > 0)) { printf("FAIL time %g\n", t); failures++; }
  expect_all(s, MICRO_HS_C, n, a0, tol, "copy");

  micro_hs_init(s, a0, b0, c0);
  micro_hs_run(s, MICRO_HS_MUL, k, NULL);
  expect_all(s, MICRO_HS_B, n, k * c0, tol, "mul");

  micro_hs_init(s, a0, b0, c0);
  micro_hs_run(s, MICRO_HS_ADD, k, NULL);
  expect_all(s, MICRO_HS_C, n, a0 + b0, tol, "add");

  micro_hs_init(s, a0, b0, c0);
  micro_hs_run(s, MICRO_HS_TRIAD, k, NULL);
  expect_all(s, MICRO_HS_A, n, b0 + k * c0, tol, "triad");

  micro_hs_init(s, a0, b0, c0);
  micro_hs_run(s, MICRO_HS_NSTREAM, k, NULL);
  micro_hs_run(s, MICRO_HS_NSTREAM, k, NULL);
  expect_all(s, MICRO_HS_A, n, a0 + 2 * (b0 + k * c0), tol, "nstream x2");

  micro_hs_init(s, a0, b0, c0);
  micro_hs_run(s, MICRO_HS_WRITE, k, NULL);
  expect_all(s, MICRO_HS_C, n, k, tol, "write");

  micro_hs_init(s, a0, b0, c0);
  micro_hs_run(s, MICRO_HS_DOT, k, &sum);
  if (fabs(sum - a0 * b0 * n) > 1e-4 * a0 * b0 * n) { printf("FAIL dot %g\n", sum); failures++; }
  micro_hs_run(s, MICRO_HS_READ, k, &sum);
  if (fabs(sum - a0 * n) > 1e-4 * a0 * n) { printf("FAIL read %g\n", sum); failures++; }

  if (micro_hs_run(s, 99, k, NULL) >= 0) { printf("FAIL bad kernel id accepted\n"); failures++; }
  if (micro_hs_copy_out(s, MICRO_HS_A, n - 1, 2, &sum) == 0) { printf("FAIL out-of-range copy accepted\n"); failures++; }
  micro_hs_destroy(s);
}

int main(void) {
  if (micro_hs_abi_version() != MICRO_HS_ABI_VERSION) { printf("FAIL abi\n"); return 1; }
  if (micro_hs_create(0, 8) || micro_hs_create(16, 3)) { printf("FAIL bad create accepted\n"); return 1; }
  check(4);
  check(8);
  printf("%s (threads %d)\n", failures ? "FAILED" : "ok", micro_hs_threads());
  return failures ? 1 : 0;
}

/* Argument checks, error text and dispatch to the backend chosen at init. */
#define _GNU_SOURCE
#include "internal.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static __thread char last_error[1024];

int mc_fail(int status, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, ap);
  va_end(ap);
  return status;
}

int micro_coll_abi_version(void) { return MICRO_COLL_ABI_VERSION; }
const char* micro_coll_last_error(void) { return last_error; }

const char* micro_coll_error_string(int status) {
  switch (status) {
    case MICRO_COLL_OK: return "success";
    case MICRO_COLL_EINVAL: return "invalid argument";
    case MICRO_COLL_ENOLIB: return "library not found";
    case MICRO_COLL_EBACKEND: return "backend call failed";
    case MICRO_COLL_ETIMEDOUT: return "timed out";
    case MICRO_COLL_EUNSUPPORTED: return "not supported by this backend";
    case MICRO_COLL_ENOMEM: return "out of memory";
    default: return "unknown status";
  }
}

size_t mc_dtype_size(int dtype) {
  switch (dtype) {
    case MICRO_COLL_INT32: case MICRO_COLL_FLOAT32: return 4;
    case MICRO_COLL_FLOAT16: case MICRO_COLL_BFLOAT16: return 2;
    default: return 0;
  }
}

const char* mc_op_name(int op) {
  static const char* names[] = {"all_reduce", "all_gather", "reduce_scatter", "broadcast", "reduce", "alltoall", "sendrecv"};
  return (op >= 0 && op <= MICRO_COLL_SENDRECV) ? names[op] : "unknown";
}

double mc_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int micro_coll_init(int backend, const char* library, const char* runtime, const char* driver, int device, double timeout_s,
                    micro_coll_comm** out) {
  if (!out) return mc_fail(MICRO_COLL_EINVAL, "init: out is NULL");
  *out = NULL;
  if (backend < MICRO_COLL_MPI || backend > MICRO_COLL_RCCL) return mc_fail(MICRO_COLL_EINVAL, "init: unknown backend %d", backend);
  int rc = micro_coll_mpi_init();
  if (rc) return rc;
  micro_coll_comm* c = calloc(1, sizeof *c);
  if (!c) return mc_fail(MICRO_COLL_ENOMEM, "init: out of host memory");
  c->backend = backend;
  c->rank = micro_coll_mpi_rank();
  c->nranks = micro_coll_mpi_size();
  if (c->rank < 0 || c->nranks < 1) { free(c); return MICRO_COLL_EBACKEND; /* last error set by the rank/size call */ }
  c->device = device;
  c->timeout_s = timeout_s > 0 ? timeout_s : 300;
  rc = backend == MICRO_COLL_MPI ? mc_mpi_backend_init(c) : mc_gpu_backend_init(c, backend == MICRO_COLL_RCCL, library, runtime, driver);
  if (rc) { free(c); return rc; }
  *out = c;
  return MICRO_COLL_OK;
}

#define CHECK_COMM(c) do { if (!(c) || !(c)->ops) return mc_fail(MICRO_COLL_EINVAL, "%s: no communicator", __func__); } while (0)

int micro_coll_rank(const micro_coll_comm* c) { return c ? c->rank : -1; }
int micro_coll_nranks(const micro_coll_comm* c) { return c ? c->nranks : -1; }
int micro_coll_device(const micro_coll_comm* c) { return c ? c->device : -1; }
const char* micro_coll_describe(const micro_coll_comm* c) { return c ? c->describe : ""; }
const char* micro_coll_device_name(const micro_coll_comm* c) { return c ? c->device_name : ""; }
int micro_coll_supports_dtype(const micro_coll_comm* c, int dtype) {
  if (!c || !c->ops || mc_dtype_size(dtype) == 0) return 0;
  return c->ops->supports(c, dtype);
}
int micro_coll_set_timeout(micro_coll_comm* c, double timeout_s) {
  CHECK_COMM(c);
  if (!(timeout_s > 0)) return mc_fail(MICRO_COLL_EINVAL, "set_timeout: %g s is not positive", timeout_s);
  c->timeout_s = timeout_s;
  return MICRO_COLL_OK;
}

int micro_coll_alloc(micro_coll_comm* c, size_t bytes, void** ptr) {
  CHECK_COMM(c);
  if (!ptr) return mc_fail(MICRO_COLL_EINVAL, "alloc: ptr is NULL");
  return c->ops->alloc(c, bytes ? bytes : 1, ptr);
}
int micro_coll_free(micro_coll_comm* c, void* ptr) { CHECK_COMM(c); return ptr ? c->ops->free_(c, ptr) : MICRO_COLL_OK; }
int micro_coll_write(micro_coll_comm* c, void* dst, const void* src, size_t bytes) {
  CHECK_COMM(c);
  if (bytes && (!dst || !src)) return mc_fail(MICRO_COLL_EINVAL, "write: NULL pointer");
  return bytes ? c->ops->write(c, dst, src, bytes) : MICRO_COLL_OK;
}
int micro_coll_read(micro_coll_comm* c, void* dst, const void* src, size_t bytes) {
  CHECK_COMM(c);
  if (bytes && (!dst || !src)) return mc_fail(MICRO_COLL_EINVAL, "read: NULL pointer");
  return bytes ? c->ops->read(c, dst, src, bytes) : MICRO_COLL_OK;
}

static int check_args(const micro_coll_comm* c, int op, const void* send, void* recv, int dtype, int redop, int root) {
  if (op < 0 || op > MICRO_COLL_SENDRECV) return mc_fail(MICRO_COLL_EINVAL, "unknown collective %d", op);
  if (mc_dtype_size(dtype) == 0) return mc_fail(MICRO_COLL_EINVAL, "%s: unknown dtype %d", mc_op_name(op), dtype);
  if (!c->ops->supports(c, dtype)) return mc_fail(MICRO_COLL_EUNSUPPORTED, "%s: dtype %d not supported by this backend", mc_op_name(op), dtype);
  if (redop < MICRO_COLL_SUM || redop > MICRO_COLL_MIN) return mc_fail(MICRO_COLL_EINVAL, "%s: unknown redop %d", mc_op_name(op), redop);
  if ((op == MICRO_COLL_BROADCAST || op == MICRO_COLL_REDUCE) && (root < 0 || root >= c->nranks))
    return mc_fail(MICRO_COLL_EINVAL, "%s: root %d outside 0..%d", mc_op_name(op), root, c->nranks - 1);
  if (!send || !recv) return mc_fail(MICRO_COLL_EINVAL, "%s: NULL buffer", mc_op_name(op));
  return MICRO_COLL_OK;
}

int micro_coll_run(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype, int redop, int root) {
  CHECK_COMM(c);
  int rc = check_args(c, op, send, recv, dtype, redop, root);
  return rc ? rc : c->ops->run(c, op, send, recv, count, dtype, redop, root);
}

int micro_coll_all_reduce(micro_coll_comm* c, const void* s, void* r, size_t n, int t, int o) { return micro_coll_run(c, MICRO_COLL_ALL_REDUCE, s, r, n, t, o, 0); }
int micro_coll_all_gather(micro_coll_comm* c, const void* s, void* r, size_t n, int t) { return micro_coll_run(c, MICRO_COLL_ALL_GATHER, s, r, n, t, MICRO_COLL_SUM, 0); }
int micro_coll_reduce_scatter(micro_coll_comm* c, const void* s, void* r, size_t n, int t, int o) { return micro_coll_run(c, MICRO_COLL_REDUCE_SCATTER, s, r, n, t, o, 0); }
int micro_coll_broadcast(micro_coll_comm* c, const void* s, void* r, size_t n, int t, int root) { return micro_coll_run(c, MICRO_COLL_BROADCAST, s, r, n, t, MICRO_COLL_SUM, root); }
int micro_coll_reduce(micro_coll_comm* c, const void* s, void* r, size_t n, int t, int o, int root) { return micro_coll_run(c, MICRO_COLL_REDUCE, s, r, n, t, o, root); }
int micro_coll_alltoall(micro_coll_comm* c, const void* s, void* r, size_t n, int t) { return micro_coll_run(c, MICRO_COLL_ALLTOALL, s, r, n, t, MICRO_COLL_SUM, 0); }
int micro_coll_sendrecv(micro_coll_comm* c, const void* s, void* r, size_t n, int t) { return micro_coll_run(c, MICRO_COLL_SENDRECV, s, r, n, t, MICRO_COLL_SUM, 0); }

int micro_coll_group_start(micro_coll_comm* c) { CHECK_COMM(c); return c->ops->group_start(c); }
int micro_coll_group_end(micro_coll_comm* c) { CHECK_COMM(c); return c->ops->group_end(c); }
int micro_coll_sync(micro_coll_comm* c) { CHECK_COMM(c); return c->ops->sync(c); }

int micro_coll_time_batch(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype,
                          int redop, int root, int iters, int graph, double* per_iter, int* samples, double* batch_mean) {
  CHECK_COMM(c);
  if (iters < 1 || !per_iter || !samples || !batch_mean) return mc_fail(MICRO_COLL_EINVAL, "time_batch: need iters >= 1 and output arrays");
  int rc = check_args(c, op, send, recv, dtype, redop, root);
  return rc ? rc : c->ops->time_batch(c, op, send, recv, count, dtype, redop, root, iters, graph, per_iter, samples, batch_mean);
}

int micro_coll_abort(micro_coll_comm* c) { CHECK_COMM(c); return c->ops->abort_(c); }

int micro_coll_destroy(micro_coll_comm* c) {
  if (!c) return MICRO_COLL_OK;
  int rc = c->ops ? c->ops->destroy(c) : MICRO_COLL_OK;
  free(c);
  return rc;
}

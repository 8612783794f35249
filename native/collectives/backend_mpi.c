/* MPI backend: host memory, non-blocking collectives (MPI_I*) polled against the communicator's deadline. */
#define _GNU_SOURCE
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { MPI_Comm comm; } mpi_impl;

static MPI_Datatype mpi_type(int dtype) { return dtype == MICRO_COLL_INT32 ? MPI_INT32_T : MPI_FLOAT; }
static MPI_Op mpi_redop(int redop) {
  switch (redop) {
    case MICRO_COLL_PROD: return MPI_PROD;
    case MICRO_COLL_MAX: return MPI_MAX;
    case MICRO_COLL_MIN: return MPI_MIN;
    default: return MPI_SUM;
  }
}

/* MPI has no 16-bit float types; half/bfloat16 are left to the GPU backends. */
static int mpi_supports(const micro_coll_comm* c, int dtype) { (void)c; return dtype == MICRO_COLL_INT32 || dtype == MICRO_COLL_FLOAT32; }

static int mpi_alloc(micro_coll_comm* c, size_t bytes, void** ptr) {
  (void)c;
  /* 64-byte aligned, as device allocations are at least 256-byte aligned. */
  if (posix_memalign(ptr, 64, bytes) != 0) return mc_fail(MICRO_COLL_ENOMEM, "alloc: %zu bytes of host memory", bytes);
  return MICRO_COLL_OK;
}
static int mpi_free(micro_coll_comm* c, void* p) { (void)c; free(p); return MICRO_COLL_OK; }
static int mpi_copy(micro_coll_comm* c, void* d, const void* s, size_t n) { (void)c; memcpy(d, s, n); return MICRO_COLL_OK; }

static int too_big(size_t count, int op) {
  if (count > (size_t)0x7fffffff) return mc_fail(MICRO_COLL_EINVAL, "%s: count %zu exceeds MPI's int count", mc_op_name(op), count);
  return MICRO_COLL_OK;
}

static int mpi_run(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype, int redop, int root) {
  mpi_impl* m = c->impl;
  if (too_big(count, op)) return MICRO_COLL_EINVAL;
  int n = (int)count;
  MPI_Datatype t = mpi_type(dtype);
  size_t es = mc_dtype_size(dtype);
  MPI_Request req = MPI_REQUEST_NULL, reqs[2];
  int rc = MPI_SUCCESS;
  char what[160];
  snprintf(what, sizeof what, "rank %d: %s of %zu elements", c->rank, mc_op_name(op), count);
  switch (op) {
    case MICRO_COLL_ALL_REDUCE:
      rc = MPI_Iallreduce(send == recv ? MPI_IN_PLACE : send, recv, n, t, mpi_redop(redop), m->comm, &req);
      break;
    case MICRO_COLL_ALL_GATHER: {
      int inplace = (const char*)send == (char*)recv + (size_t)c->rank * count * es;
      rc = MPI_Iallgather(inplace ? MPI_IN_PLACE : send, n, t, recv, n, t, m->comm, &req);
      break;
    }
    case MICRO_COLL_REDUCE_SCATTER: {
      char* own = (char*)send + (size_t)c->rank * count * es;
      if ((char*)recv == own) {
        /* NCCL's in-place layout keeps the result at send + rank*count; MPI's puts it at the start. */
        rc = MPI_Ireduce_scatter_block(MPI_IN_PLACE, (void*)send, n, t, mpi_redop(redop), m->comm, &req);
        if (rc == MPI_SUCCESS) rc = mc_mpi_wait(&req, c->timeout_s, what);
        else return mc_fail(MICRO_COLL_EBACKEND, "%s: MPI call failed (%d)", what, rc);
        if (rc) return rc;
        if (c->rank != 0) memmove(own, send, count * es);
        return MICRO_COLL_OK;
      }
      rc = MPI_Ireduce_scatter_block(send, recv, n, t, mpi_redop(redop), m->comm, &req);
      break;
    }
    case MICRO_COLL_BROADCAST:
      if (c->rank == root && send != recv) memcpy(recv, send, count * es);
      rc = MPI_Ibcast(recv, n, t, root, m->comm, &req);
      break;
    case MICRO_COLL_REDUCE:
      rc = MPI_Ireduce((c->rank == root && send == recv) ? MPI_IN_PLACE : send, recv, n, t, mpi_redop(redop), root, m->comm, &req);
      break;
    case MICRO_COLL_ALLTOALL:
      rc = MPI_Ialltoall(send == recv ? MPI_IN_PLACE : send, n, t, recv, n, t, m->comm, &req);
      break;
    case MICRO_COLL_SENDRECV: {
      int next = (c->rank + 1) % c->nranks, prev = (c->rank - 1 + c->nranks) % c->nranks;
      const void* src = send;
      void* staging = NULL;
      if (send == recv) {
        /* MPI forbids sending from and receiving into one buffer at once: stage a copy (counted in the time). */
        if (mpi_alloc(c, count * es, &staging)) return MICRO_COLL_ENOMEM;
        memcpy(staging, send, count * es);
        src = staging;
      }
      rc = MPI_Irecv(recv, n, t, prev, 77, m->comm, &reqs[0]);
      if (rc == MPI_SUCCESS) rc = MPI_Isend(src, n, t, next, 77, m->comm, &reqs[1]);
      if (rc != MPI_SUCCESS) { free(staging); return mc_fail(MICRO_COLL_EBACKEND, "%s: MPI_Isend/Irecv failed (%d)", what, rc); }
      int r0 = mc_mpi_wait(&reqs[0], c->timeout_s, what);
      int r1 = r0 ? r0 : mc_mpi_wait(&reqs[1], c->timeout_s, what);
      free(staging);
      return r1;
    }
    default:
      return mc_fail(MICRO_COLL_EINVAL, "unknown op %d", op);
  }
  if (rc != MPI_SUCCESS) {
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    return mc_fail(MICRO_COLL_EBACKEND, "%s: %s", what, msg);
  }
  return mc_mpi_wait(&req, c->timeout_s, what);
}

static int mpi_noop(micro_coll_comm* c) { (void)c; return MICRO_COLL_OK; }

static int mpi_time_batch(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype,
                          int redop, int root, int iters, int graph, double* per_iter, int* samples, double* batch_mean) {
  if (graph) return mc_fail(MICRO_COLL_EUNSUPPORTED, "graph capture needs a GPU backend (NCCL/RCCL)");
  *samples = 0;
  double start = MPI_Wtime();
  for (int i = 0; i < iters; i++) {
    double t0 = MPI_Wtime();
    int rc = mpi_run(c, op, send, recv, count, dtype, redop, root);
    if (rc) return rc;
    per_iter[i] = MPI_Wtime() - t0;
    *samples = i + 1;
  }
  *batch_mean = (MPI_Wtime() - start) / iters;
  return MICRO_COLL_OK;
}

static int mpi_destroy(micro_coll_comm* c) {
  mpi_impl* m = c->impl;
  if (m) {
    MPI_Comm_free(&m->comm);
    free(m);
  }
  c->impl = NULL;
  return MICRO_COLL_OK;
}

static const backend_ops mpi_ops = {
  mpi_alloc, mpi_free, mpi_copy, mpi_copy, mpi_run, mpi_noop, mpi_noop, mpi_noop, mpi_time_batch, mpi_noop, mpi_destroy, mpi_supports,
};

int mc_mpi_backend_init(micro_coll_comm* c) {
  mpi_impl* m = calloc(1, sizeof *m);
  if (!m) return mc_fail(MICRO_COLL_ENOMEM, "init: out of host memory");
  /* A private communicator keeps benchmark traffic apart from the helpers' MPI_COMM_WORLD traffic. */
  if (MPI_Comm_dup(MPI_COMM_WORLD, &m->comm) != MPI_SUCCESS) { free(m); return mc_fail(MICRO_COLL_EBACKEND, "MPI_Comm_dup failed"); }
  MPI_Comm_set_errhandler(m->comm, MPI_ERRORS_RETURN);
  c->impl = m;
  c->ops = &mpi_ops;
  c->device = -1;
  char lib[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(lib, &len);
  char* nl = strchr(lib, '\n');
  if (nl) *nl = 0;
  char host[256];
  micro_coll_hostname(host, sizeof host);
  snprintf(c->device_name, sizeof c->device_name, "host %s (MPI, host memory)", host);
  snprintf(c->describe, sizeof c->describe, "backend=mpi library=\"%s\" ranks=%d", lib, c->nranks);
  return MICRO_COLL_OK;
}

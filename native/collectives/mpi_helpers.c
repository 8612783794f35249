/* MPI process helpers: init, rank/size/host, deadline-polled barrier/gather/bcast/allreduce, abort. */
#define _GNU_SOURCE
#include "internal.h"
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <stdlib.h>

static int local_rank = -1;

int micro_coll_mpi_init(void) {
  int inited = 0, finalized = 0;
  MPI_Initialized(&inited);
  MPI_Finalized(&finalized);
  if (finalized) return mc_fail(MICRO_COLL_EBACKEND, "MPI was already finalized in this process");
  if (!inited) {
    int provided = 0;
    /* The C# runner may call from a worker thread while the main thread reports a timeout. */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS)
      return mc_fail(MICRO_COLL_EBACKEND, "MPI_Init_thread failed");
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  }
  if (local_rank < 0) {
    MPI_Comm node;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) == MPI_SUCCESS) {
      MPI_Comm_rank(node, &local_rank);
      MPI_Comm_free(&node);
    } else {
      local_rank = 0;
    }
  }
  return MICRO_COLL_OK;
}

int micro_coll_mpi_rank(void) {
  if (micro_coll_mpi_init()) return -1;
  int r = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int micro_coll_mpi_size(void) {
  if (micro_coll_mpi_init()) return -1;
  int n = -1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

int micro_coll_mpi_local_rank(void) { return micro_coll_mpi_init() ? -1 : local_rank; }

int micro_coll_hostname(char* buf, int len) {
  if (!buf || len < 2) return mc_fail(MICRO_COLL_EINVAL, "hostname: buffer too small");
  int rc = micro_coll_mpi_init();
  if (rc) return rc;
  char name[MPI_MAX_PROCESSOR_NAME + 1];
  int n = 0;
  if (MPI_Get_processor_name(name, &n) != MPI_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "MPI_Get_processor_name failed");
  name[n] = 0;
  snprintf(buf, (size_t)len, "%s", name);
  return MICRO_COLL_OK;
}

int mc_mpi_wait(MPI_Request* req, double timeout_s, const char* what) {
  double deadline = timeout_s > 0 ? mc_now() + timeout_s : 0;
  unsigned spins = 0;
  for (;;) {
    int done = 0;
    if (MPI_Test(req, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "%s: MPI_Test failed", what);
    if (done) return MICRO_COLL_OK;
    /* Check the clock every 64 polls; yield so oversubscribed ranks (CI: 4 ranks on 2 cores) progress. */
    if ((++spins & 63) == 0) {
      if (deadline > 0 && mc_now() > deadline)
        return mc_fail(MICRO_COLL_ETIMEDOUT, "%s did not complete within %.1f s", what, timeout_s);
      sched_yield();
    }
  }
}

int micro_coll_mpi_barrier(double timeout_s) {
  int rc = micro_coll_mpi_init();
  if (rc) return rc;
  MPI_Request req;
  if (MPI_Ibarrier(MPI_COMM_WORLD, &req) != MPI_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "MPI_Ibarrier failed");
  return mc_mpi_wait(&req, timeout_s, "barrier");
}

int micro_coll_mpi_gather_bytes(const void* send, int nbytes, void* recv, double timeout_s) {
  int rc = micro_coll_mpi_init();
  if (rc) return rc;
  if (nbytes < 0 || (nbytes > 0 && !send)) return mc_fail(MICRO_COLL_EINVAL, "gather_bytes: bad send buffer");
  if (micro_coll_mpi_rank() == 0 && nbytes > 0 && !recv) return mc_fail(MICRO_COLL_EINVAL, "gather_bytes: rank 0 needs a receive buffer");
  MPI_Request req;
  if (MPI_Igather(send, nbytes, MPI_BYTE, recv, nbytes, MPI_BYTE, 0, MPI_COMM_WORLD, &req) != MPI_SUCCESS)
    return mc_fail(MICRO_COLL_EBACKEND, "MPI_Igather failed");
  return mc_mpi_wait(&req, timeout_s, "gather_bytes");
}

int micro_coll_mpi_bcast_bytes(void* buf, int nbytes, double timeout_s) {
  int rc = micro_coll_mpi_init();
  if (rc) return rc;
  if (nbytes < 0 || (nbytes > 0 && !buf)) return mc_fail(MICRO_COLL_EINVAL, "bcast_bytes: bad buffer");
  MPI_Request req;
  if (MPI_Ibcast(buf, nbytes, MPI_BYTE, 0, MPI_COMM_WORLD, &req) != MPI_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "MPI_Ibcast failed");
  return mc_mpi_wait(&req, timeout_s, "bcast_bytes");
}

static MPI_Op mpi_op(int redop) {
  switch (redop) {
    case MICRO_COLL_PROD: return MPI_PROD;
    case MICRO_COLL_MAX: return MPI_MAX;
    case MICRO_COLL_MIN: return MPI_MIN;
    default: return MPI_SUM;
  }
}

static int allreduce_typed(void* inout, int n, MPI_Datatype t, int redop, double timeout_s) {
  int rc = micro_coll_mpi_init();
  if (rc) return rc;
  if (n < 0 || (n > 0 && !inout)) return mc_fail(MICRO_COLL_EINVAL, "allreduce helper: bad buffer");
  if (redop < MICRO_COLL_SUM || redop > MICRO_COLL_MIN) return mc_fail(MICRO_COLL_EINVAL, "allreduce helper: unknown redop %d", redop);
  MPI_Request req;
  if (MPI_Iallreduce(MPI_IN_PLACE, inout, n, t, mpi_op(redop), MPI_COMM_WORLD, &req) != MPI_SUCCESS)
    return mc_fail(MICRO_COLL_EBACKEND, "MPI_Iallreduce failed");
  return mc_mpi_wait(&req, timeout_s, "allreduce helper");
}

int micro_coll_mpi_allreduce_f64(double* inout, int n, int redop, double timeout_s) { return allreduce_typed(inout, n, MPI_DOUBLE, redop, timeout_s); }
int micro_coll_mpi_allreduce_i64(int64_t* inout, int n, int redop, double timeout_s) { return allreduce_typed(inout, n, MPI_INT64_T, redop, timeout_s); }

void micro_coll_mpi_abort(int code, const char* message) {
  int inited = 0;
  MPI_Initialized(&inited);
  int rank = -1;
  if (inited) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  fprintf(stderr, "micro_coll: rank %d: aborting the job: %s\n", rank, message ? message : "");
  fflush(stderr);
  if (inited) MPI_Abort(MPI_COMM_WORLD, code);
  _Exit(code);
}

int micro_coll_mpi_finalize(void) {
  int inited = 0, finalized = 0;
  MPI_Initialized(&inited);
  MPI_Finalized(&finalized);
  if (inited && !finalized && MPI_Finalize() != MPI_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "MPI_Finalize failed");
  return MICRO_COLL_OK;
}

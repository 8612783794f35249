/* MPI process helpers: init, rank/size/host, deadline-polled barrier/gather/bcast/allreduce, abort. */
#define _GNU_SOURCE
#include "internal.h"
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <stdlib.h>

static int local_rank = -1;

int micro_coll_mpi_init(void) {
  int inited = 0, finalized = 0, provided_level = 0;
  MPI_Initialized(&inited);
  MPI_Finalized(&finalized);
  if (finalized) return mc_fail(MICRO_COLL_EBACKEND, "MPI was already finalized in this process");
  if (!inited) {
    int provided = 0;
    /* The C# runner calls collectives from a worker thread while the main thread makes the other MPI calls. */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS)
      return mc_fail(MICRO_COLL_EBACKEND, "MPI_Init_thread failed");
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    if (provided < MPI_THREAD_MULTIPLE) {
      /* MPI calls from two threads are not safe under this MPI: refuse rather than corrupt it. */
      MPI_Finalize();
      return mc_fail(MICRO_COLL_EBACKEND, "MPI_Init_thread granted thread level %d, not MPI_THREAD_MULTIPLE (%d) that Micro needs "
                     "(Micro calls MPI from more than one thread); use an MPI built with thread support", provided, MPI_THREAD_MULTIPLE);
    }
  }
  if (MPI_Query_thread(&provided_level) == MPI_SUCCESS && provided_level < MPI_THREAD_MULTIPLE)
    return mc_fail(MICRO_COLL_EBACKEND, "MPI was initialised elsewhere with thread level %d, not MPI_THREAD_MULTIPLE", provided_level);
  if (local_rank < 0) {
    MPI_Comm node;
    int r = 0;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) != MPI_SUCCESS)
      return mc_fail(MICRO_COLL_EBACKEND, "MPI_Comm_split_type(MPI_COMM_TYPE_SHARED) failed");
    int e = MPI_Comm_rank(node, &r);
    MPI_Comm_free(&node);
    if (e != MPI_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "MPI_Comm_rank of the node communicator failed");
    local_rank = r;
  }
  return MICRO_COLL_OK;
}

int micro_coll_mpi_rank(void) {
  if (micro_coll_mpi_init()) return -1;
  int r = -1;
  if (MPI_Comm_rank(MPI_COMM_WORLD, &r) != MPI_SUCCESS) { mc_fail(MICRO_COLL_EBACKEND, "MPI_Comm_rank failed"); return -1; }
  return r;
}

int micro_coll_mpi_size(void) {
  if (micro_coll_mpi_init()) return -1;
  int n = -1;
  if (MPI_Comm_size(MPI_COMM_WORLD, &n) != MPI_SUCCESS) { mc_fail(MICRO_COLL_EBACKEND, "MPI_Comm_size failed"); return -1; }
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

enum { ARRIVE_TAG = 0x6d63 };

/* Rank 0: one receive per peer; the peers send and then wait for rank 0's go. */
int micro_coll_mpi_arrive(double timeout_s, double grace_s, int* missing, int capacity, int* nmissing) {
  int rc = micro_coll_mpi_init();
  if (rc) return rc;
  if (!nmissing || capacity < 0 || (capacity > 0 && !missing)) return mc_fail(MICRO_COLL_EINVAL, "arrive: bad missing buffer");
  *nmissing = 0;
  int rank = micro_coll_mpi_rank(), size = micro_coll_mpi_size();
  if (rank < 0 || size < 1) return MICRO_COLL_EBACKEND;
  if (size == 1) return MICRO_COLL_OK;
  char token = 1;
  if (rank != 0) {
    MPI_Request req[2];
    char go = 0;
    if (MPI_Isend(&token, 1, MPI_CHAR, 0, ARRIVE_TAG, MPI_COMM_WORLD, &req[0]) != MPI_SUCCESS ||
        MPI_Irecv(&go, 1, MPI_CHAR, 0, ARRIVE_TAG, MPI_COMM_WORLD, &req[1]) != MPI_SUCCESS)
      return mc_fail(MICRO_COLL_EBACKEND, "arrive: MPI_Isend/MPI_Irecv to rank 0 failed");
    double budget = timeout_s > 0 ? timeout_s + (rank == 1 ? 1 : 2) * (grace_s > 0 ? grace_s : 0) : 0;
    for (int i = 0; i < 2; i++) {
      rc = mc_mpi_wait(&req[i], budget, "arrive");
      if (rc == MICRO_COLL_ETIMEDOUT) {
        if (capacity > 0) missing[0] = 0;
        *nmissing = 1;
        return mc_fail(rc, "rank 0 did not answer within %.1f s", budget);
      }
      if (rc) return rc;
    }
    return MICRO_COLL_OK;
  }
  MPI_Request* req = calloc((size_t)size, sizeof *req);
  char* tokens = calloc((size_t)size, 1);
  if (!req || !tokens) { free(req); free(tokens); return mc_fail(MICRO_COLL_ENOMEM, "arrive: out of host memory"); }
  for (int r = 1; r < size; r++)
    if (MPI_Irecv(&tokens[r], 1, MPI_CHAR, r, ARRIVE_TAG, MPI_COMM_WORLD, &req[r]) != MPI_SUCCESS) {
      /* The job is ended by the caller; the receives already posted are not cancelled. */
      free(req); free(tokens);
      return mc_fail(MICRO_COLL_EBACKEND, "arrive: MPI_Irecv from rank %d failed", r);
    }
  double deadline = timeout_s > 0 ? mc_now() + timeout_s : 0;
  int pending = size - 1;
  for (unsigned spins = 1; pending > 0; spins++) {
    pending = 0;
    for (int r = 1; r < size; r++) {
      if (req[r] == MPI_REQUEST_NULL) continue;
      int done = 0;
      if (MPI_Test(&req[r], &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) { free(req); free(tokens); return mc_fail(MICRO_COLL_EBACKEND, "arrive: MPI_Test failed"); }
      if (!done) pending++;
    }
    if (pending == 0) break;
    if ((spins & 63) == 0) {
      if (deadline > 0 && mc_now() > deadline) {
        int n = 0;
        for (int r = 1; r < size; r++)
          if (req[r] != MPI_REQUEST_NULL) { if (n < capacity) missing[n] = r; n++; }
        *nmissing = n;
        /* Deliberately leaked: the posted receives may still complete until the caller aborts the job. */
        return mc_fail(MICRO_COLL_ETIMEDOUT, "%d rank(s) did not arrive within %.1f s", n, timeout_s);
      }
      sched_yield();
    }
  }
  rc = MICRO_COLL_OK;
  for (int r = 1; r < size && rc == MICRO_COLL_OK; r++) {
    if (MPI_Isend(&token, 1, MPI_CHAR, r, ARRIVE_TAG, MPI_COMM_WORLD, &req[r]) != MPI_SUCCESS) rc = mc_fail(MICRO_COLL_EBACKEND, "arrive: MPI_Isend to rank %d failed", r);
    else rc = mc_mpi_wait(&req[r], timeout_s, "arrive: answer");
  }
  free(req);
  free(tokens);
  return rc;
}

void micro_coll_mpi_abort(int code, const char* message) {
  int inited = 0, finalized = 0;
  MPI_Initialized(&inited);
  MPI_Finalized(&finalized);
  fprintf(stderr, "%s\n", message ? message : "micro_coll: aborting the job");
  fflush(stderr);
  if (inited && !finalized) MPI_Abort(MPI_COMM_WORLD, code);
  _Exit(code);
}

int micro_coll_mpi_finalize(void) {
  int inited = 0, finalized = 0;
  MPI_Initialized(&inited);
  MPI_Finalized(&finalized);
  if (inited && !finalized && MPI_Finalize() != MPI_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "MPI_Finalize failed");
  return MICRO_COLL_OK;
}

/* ctest for libmicro_coll under mpirun: every op, in- and out-of-place, checked element by element
 * against values computed here; --stall: the watchdog turns a stalled peer into MICRO_COLL_ETIMEDOUT. */
#include "micro_coll.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

static int rank, nranks, failures;

/* Small positive integers: exact in float for any reduction order. prod: one rank holds 2, the rest 1. */
static double value(int r, size_t i, int redop) {
  if (redop == MICRO_COLL_PROD) return (i % (size_t)nranks) == (size_t)r ? 2.0 : 1.0;
  return (double)(1 + (i * 7 + (size_t)r * 3) % 5);
}
static double reduce_at(size_t i, int redop) {
  double acc = value(0, i, redop);
  for (int r = 1; r < nranks; r++) {
    double v = value(r, i, redop);
    switch (redop) {
      case MICRO_COLL_SUM: acc += v; break;
      case MICRO_COLL_PROD: acc *= v; break;
      case MICRO_COLL_MAX: acc = v > acc ? v : acc; break;
      default: acc = v < acc ? v : acc; break;
    }
  }
  return acc;
}
static void put(void* buf, size_t i, int dtype, double v) {
  if (dtype == MICRO_COLL_INT32) ((int32_t*)buf)[i] = (int32_t)v; else ((float*)buf)[i] = (float)v;
}
static double get(const void* buf, size_t i, int dtype) {
  return dtype == MICRO_COLL_INT32 ? (double)((const int32_t*)buf)[i] : (double)((const float*)buf)[i];
}

#define CHECK(call) do { int _rc = (call); if (_rc) { fprintf(stderr, "rank %d: %s -> %d: %s\n", rank, #call, _rc, micro_coll_last_error()); exit(1); } } while (0)

static void run_case(micro_coll_comm* c, int op, int dtype, int redop, size_t count, int inplace) {
  const int root = nranks > 1 ? 1 : 0;
  size_t n = (size_t)nranks;
  size_t send_n = count, recv_n = count;
  if (op == MICRO_COLL_ALL_GATHER) recv_n = count * n;
  if (op == MICRO_COLL_REDUCE_SCATTER) send_n = count * n;
  if (op == MICRO_COLL_ALLTOALL) send_n = recv_n = count * n;
  size_t big = send_n > recv_n ? send_n : recv_n;
  void *sendb, *recvb;
  CHECK(micro_coll_alloc(c, big * 4, &sendb));
  CHECK(micro_coll_alloc(c, big * 4, &recvb));
  float* host = malloc(big * 4);
  for (size_t i = 0; i < big; i++) put(host, i, dtype, -7);
  CHECK(micro_coll_write(c, recvb, host, big * 4));
  /* Inputs: element i of this rank's send buffer. */
  void* in = inplace ? recvb : sendb;
  size_t in_off = 0;
  if (inplace && op == MICRO_COLL_ALL_GATHER) in_off = (size_t)rank * count;
  for (size_t i = 0; i < send_n; i++) put(host, i, dtype, value(rank, i + (op == MICRO_COLL_ALL_GATHER ? (size_t)rank * count : 0), redop));
  CHECK(micro_coll_write(c, (char*)in + in_off * 4, host, send_n * 4));
  void* out = recvb;
  size_t out_off = 0;
  if (inplace && op == MICRO_COLL_REDUCE_SCATTER) out_off = (size_t)rank * count;
  const void* sp = (char*)in + in_off * 4;
  void* rp = (char*)(inplace ? in : out) + out_off * 4;
  if (op == MICRO_COLL_ALLTOALL && inplace) rp = in;
  CHECK(micro_coll_run(c, op, sp, rp, count, dtype, redop, root));
  CHECK(micro_coll_sync(c));
  CHECK(micro_coll_read(c, host, recvb, recv_n * 4 + (inplace && op == MICRO_COLL_REDUCE_SCATTER ? out_off * 4 : 0)));
  long wrong = 0;
  for (size_t i = 0; i < count || (op == MICRO_COLL_ALL_GATHER || op == MICRO_COLL_ALLTOALL ? i < recv_n : 0); i++) {
    double want, got = get(host, i + out_off, dtype);
    size_t chunk = i / count, j = i % count;
    switch (op) {
      case MICRO_COLL_ALL_REDUCE: want = reduce_at(i, redop); break;
      case MICRO_COLL_REDUCE: if (rank != root) continue; want = reduce_at(i, redop); break;
      case MICRO_COLL_BROADCAST: want = value(root, i, redop); break;
      case MICRO_COLL_ALL_GATHER: want = value((int)chunk, i, redop); break;
      case MICRO_COLL_REDUCE_SCATTER: want = reduce_at((size_t)rank * count + i, redop); break;
      case MICRO_COLL_ALLTOALL: want = value((int)chunk, (size_t)rank * count + j, redop); break;
      default: want = value((rank - 1 + nranks) % nranks, i, redop); break;
    }
    if (got != want) wrong++;
  }
  if (wrong) {
    failures++;
    fprintf(stderr, "rank %d: op %d dtype %d redop %d count %zu inplace %d: %ld wrong\n", rank, op, dtype, redop, count, inplace, wrong);
  }
  free(host);
  CHECK(micro_coll_free(c, sendb));
  CHECK(micro_coll_free(c, recvb));
}

/* The GPU backend's error paths over fake_gpu.c (one library standing in for both the runtime and NCCL). */
static int fake_gpu(const char* lib) {
  void* h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
  if (!h) { fprintf(stderr, "fake gpu: %s\n", dlerror()); return 1; }
  void (*set_mode)(int) = (void (*)(int))dlsym(h, "fake_gpu_set_mode");
  int (*live_streams)(void) = (int (*)(void))dlsym(h, "fake_gpu_live_streams");
  int (*destroyed)(void) = (int (*)(void))dlsym(h, "fake_gpu_comm_destroyed");
  if (!set_mode || !live_streams || !destroyed) { fprintf(stderr, "fake gpu: missing control symbols\n"); return 1; }
  int bad = 0;
  micro_coll_comm* c = NULL;

  /* No device: the message names the runtime file (it was read from freed memory before). */
  set_mode(1);
  int rc = micro_coll_init(MICRO_COLL_NCCL, lib, lib, NULL, -1, 5, &c);
  printf("no device -> %d: %s\n", rc, micro_coll_last_error());
  if (rc != MICRO_COLL_EBACKEND || c || !strstr(micro_coll_last_error(), "0 devices") || !strstr(micro_coll_last_error(), "fake")) bad++;

  /* ncclCommInitRank fails after the stream was created: the stream must be destroyed. */
  set_mode(2);
  rc = micro_coll_init(MICRO_COLL_NCCL, lib, lib, NULL, -1, 5, &c);
  printf("init rank fails -> %d: %s (live streams %d)\n", rc, micro_coll_last_error(), live_streams());
  if (rc != MICRO_COLL_EBACKEND || c || !strstr(micro_coll_last_error(), "ncclCommInitRank") || live_streams() != 0) bad++;

  /* Full life: init, one all_reduce, destroy releases the communicator and the stream. */
  set_mode(0);
  rc = micro_coll_init(MICRO_COLL_NCCL, lib, lib, NULL, 0, 5, &c);
  if (rc) { printf("init -> %d: %s\n", rc, micro_coll_last_error()); return 1; }
  void* b = NULL;
  if (micro_coll_alloc(c, 64, &b) || micro_coll_all_reduce(c, b, b, 16, MICRO_COLL_FLOAT32, MICRO_COLL_SUM) || micro_coll_sync(c) || micro_coll_free(c, b)) bad++;
  printf("describe: %s | device: %s\n", micro_coll_describe(c), micro_coll_device_name(c));
  if (!strstr(micro_coll_describe(c), lib) || strcmp(micro_coll_device_name(c), "CUDA device 0") != 0) bad++;
  rc = micro_coll_destroy(c);
  if (rc || destroyed() != 1 || live_streams() != 0) { printf("destroy -> %d, destroyed %d, live %d\n", rc, destroyed(), live_streams()); bad++; }

  /* ncclCommDestroy's failure is reported, and the stream is still released. */
  set_mode(3);
  if (micro_coll_init(MICRO_COLL_NCCL, lib, lib, NULL, 0, 5, &c)) return 1;
  rc = micro_coll_destroy(c);
  printf("destroy fails -> %d: %s (live streams %d)\n", rc, micro_coll_last_error(), live_streams());
  if (rc != MICRO_COLL_EBACKEND || !strstr(micro_coll_last_error(), "ncclCommDestroy") || live_streams() != 0) bad++;

  micro_coll_mpi_finalize();
  printf("fake gpu: %s\n", bad ? "FAILED" : "ok");
  return bad ? 1 : 0;
}

/* micro_coll_mpi_arrive: everyone arrives (0), or rank 1 stalls and rank 0 names it. */
static int arrive(int stall) {
  int r = micro_coll_mpi_rank(), missing[8] = {-1}, n = -1;
  if (stall && r == 1) sleep(30); /* the job is aborted long before */
  int rc = micro_coll_mpi_arrive(stall ? 1.0 : 20.0, 5.0, missing, 8, &n);
  if (!stall) {
    if (rc) { fprintf(stderr, "rank %d: arrive -> %d: %s\n", r, rc, micro_coll_last_error()); return 1; }
    micro_coll_mpi_finalize();
    if (r == 0) printf("arrive ok\n");
    return 0;
  }
  if (r == 0) {
    printf("%s: rank 0 arrive -> %d, %d missing, first %d: %s\n", rc == MICRO_COLL_ETIMEDOUT && n == 1 && missing[0] == 1 ? "stall named" : "stall FAILED",
           rc, n, missing[0], micro_coll_last_error());
    fflush(stdout);
    micro_coll_mpi_abort(3, "arrive test done");
  }
  return 1;
}

int main(int argc, char** argv) {
  if (argc > 2 && strcmp(argv[1], "--fake-gpu") == 0) return fake_gpu(argv[2]);
  if (argc > 1 && strcmp(argv[1], "--arrive") == 0) return arrive(0);
  if (argc > 1 && strcmp(argv[1], "--arrive-stall") == 0) return arrive(1);
  if (argc > 1 && strcmp(argv[1], "--missing-nccl") == 0) {
    micro_coll_comm* c = NULL;
    int rc = micro_coll_init(MICRO_COLL_NCCL, "/nonexistent/libnccl.so.2", NULL, NULL, -1, 5, &c);
    int ok = rc == MICRO_COLL_ENOLIB && c == NULL && strlen(micro_coll_last_error()) > 0;
    printf("missing nccl -> %d (%s): %s\n", rc, micro_coll_error_string(rc), micro_coll_last_error());
    micro_coll_mpi_finalize();
    return ok ? 0 : 1;
  }
  micro_coll_comm* c = NULL;
  CHECK(micro_coll_init(MICRO_COLL_MPI, NULL, NULL, NULL, -1, 20, &c));
  rank = micro_coll_rank(c);
  nranks = micro_coll_nranks(c);
  if (rank != micro_coll_mpi_rank() || nranks != micro_coll_mpi_size()) { fprintf(stderr, "rank/size mismatch\n"); return 1; }

  if (argc > 1 && strcmp(argv[1], "--stall") == 0) {
    CHECK(micro_coll_set_timeout(c, 1.0));
    void* b;
    CHECK(micro_coll_alloc(c, 4096, &b));
    if (rank == 1) sleep(10); /* the stalled peer; the job is aborted long before it wakes */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = micro_coll_all_reduce(c, b, b, 1024, MICRO_COLL_FLOAT32, MICRO_COLL_SUM);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (rc == MICRO_COLL_ETIMEDOUT && waited < 2.0) printf("timeout ok: rank %d all_reduce after %.2f s: %s\n", rank, waited, micro_coll_last_error());
    else printf("timeout FAILED: rc %d after %.2f s\n", rc, waited);
    fflush(stdout);
    micro_coll_mpi_abort(3, "stall test done");
  }

  /* Helpers used by fleet mode. */
  double d[2] = {(double)rank, (double)rank};
  CHECK(micro_coll_mpi_allreduce_f64(d, 1, MICRO_COLL_SUM, 10));
  CHECK(micro_coll_mpi_allreduce_f64(d + 1, 1, MICRO_COLL_MAX, 10));
  if (d[0] != nranks * (nranks - 1) / 2.0 || d[1] != nranks - 1) { fprintf(stderr, "allreduce helper wrong\n"); failures++; }
  int mine = 1000 + rank, all[64];
  CHECK(micro_coll_mpi_gather_bytes(&mine, sizeof mine, rank == 0 ? all : NULL, 10));
  if (rank == 0) for (int r = 0; r < nranks && r < 64; r++) if (all[r] != 1000 + r) { fprintf(stderr, "gather wrong at %d\n", r); failures++; }
  char host[256];
  CHECK(micro_coll_hostname(host, sizeof host));
  CHECK(micro_coll_mpi_barrier(10));

  const size_t counts[] = {1, 33, 4096};
  for (int op = MICRO_COLL_ALL_REDUCE; op <= MICRO_COLL_SENDRECV; op++)
    for (int dtype = MICRO_COLL_INT32; dtype <= MICRO_COLL_FLOAT32; dtype++)
      for (int redop = MICRO_COLL_SUM; redop <= MICRO_COLL_MIN; redop++) {
        int reducing = op == MICRO_COLL_ALL_REDUCE || op == MICRO_COLL_REDUCE || op == MICRO_COLL_REDUCE_SCATTER;
        if (!reducing && redop != MICRO_COLL_SUM) continue;
        for (int k = 0; k < 3; k++)
          for (int inplace = 0; inplace < 2; inplace++) run_case(c, op, dtype, redop, counts[k], inplace);
      }
  if (micro_coll_supports_dtype(c, MICRO_COLL_FLOAT16)) { fprintf(stderr, "MPI backend claims half\n"); failures++; }

  /* time_batch returns one positive sample per iteration. */
  void *s, *r;
  double t[8], mean = 0;
  int got = 0;
  CHECK(micro_coll_alloc(c, 4096, &s));
  CHECK(micro_coll_alloc(c, 4096, &r));
  memset(s, 0, 4096);
  CHECK(micro_coll_time_batch(c, MICRO_COLL_ALL_REDUCE, s, r, 1024, MICRO_COLL_FLOAT32, MICRO_COLL_SUM, 0, 8, 0, t, &got, &mean));
  if (!(mean > 0)) { fprintf(stderr, "batch mean %g\n", mean); failures++; }
  for (int i = 0; i < 8; i++) if (!(t[i] > 0)) { fprintf(stderr, "sample %d = %g\n", i, t[i]); failures++; }
  if (got != 8) failures++;
  if (micro_coll_time_batch(c, MICRO_COLL_ALL_REDUCE, s, r, 1024, MICRO_COLL_FLOAT32, MICRO_COLL_SUM, 0, 8, 1, t, &got, &mean) != MICRO_COLL_EUNSUPPORTED) failures++;
  if (micro_coll_run(c, MICRO_COLL_BROADCAST, s, r, 4, MICRO_COLL_FLOAT32, 0, nranks) != MICRO_COLL_EINVAL) failures++;
  micro_coll_free(c, s);
  micro_coll_free(c, r);

  CHECK(micro_coll_destroy(c));
  double f = failures;
  CHECK(micro_coll_mpi_allreduce_f64(&f, 1, MICRO_COLL_SUM, 10));
  failures = (int)f;
  if (rank == 0) printf("coll_test: %d ranks, %s\n", nranks, failures ? "FAILED" : "all ops verified");
  micro_coll_mpi_finalize();
  return failures ? 1 : 0;
}

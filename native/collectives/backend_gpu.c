/*
 * NCCL and RCCL backends, both loaded with dlopen at run time so the library builds without CUDA or
 * ROCm headers. RCCL keeps NCCL's API (ncclAllReduce ...), and the HIP runtime mirrors the CUDA
 * runtime's entry points with a "hip" prefix, so one table of function pointers serves both.
 * The few NCCL types are declared here with NCCL's published values (nccl.h).
 */
#define _GNU_SOURCE
#include "internal.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>

typedef struct { char internal[128]; } nccl_unique_id;   /* NCCL_UNIQUE_ID_BYTES = 128 */
typedef void* nccl_comm_t;
typedef void* gpu_stream_t;
typedef void* gpu_event_t;
enum { NCCL_SUCCESS = 0, NCCL_IN_PROGRESS = 7 };
enum { NCCL_INT32 = 2, NCCL_FLOAT16 = 6, NCCL_FLOAT32 = 7, NCCL_BFLOAT16 = 9 };
enum { RT_MEMCPY_H2D = 1, RT_MEMCPY_D2H = 2, RT_STREAM_NON_BLOCKING = 1, RT_ERROR_NOT_READY = 600, RT_CAPTURE_THREAD_LOCAL = 1 };

typedef struct {
  void* handle;
  char path[512];
  int (*SetDevice)(int);
  int (*GetDeviceCount)(int*);
  int (*Malloc)(void**, size_t);
  int (*Free)(void*);
  int (*Memcpy)(void*, const void*, size_t, int);
  int (*StreamCreateWithFlags)(gpu_stream_t*, unsigned);
  int (*StreamDestroy)(gpu_stream_t);
  int (*StreamQuery)(gpu_stream_t);
  int (*EventCreate)(gpu_event_t*);
  int (*EventRecord)(gpu_event_t, gpu_stream_t);
  int (*EventElapsedTime)(float*, gpu_event_t, gpu_event_t);
  int (*EventDestroy)(gpu_event_t);
  int (*StreamBeginCapture)(gpu_stream_t, int);
  int (*StreamEndCapture)(gpu_stream_t, void**);
  int (*GraphInstantiateWithFlags)(void**, void*, unsigned long long);
  int (*GraphLaunch)(void*, gpu_stream_t);
  int (*GraphExecDestroy)(void*);
  int (*GraphDestroy)(void*);
  const char* (*GetErrorString)(int);
  int (*RuntimeGetVersion)(int*);
} gpu_runtime;

typedef struct {
  void* handle;
  char path[512];
  int version;
  int (*GetVersion)(int*);
  int (*GetUniqueId)(nccl_unique_id*);
  int (*CommInitRank)(nccl_comm_t*, int, nccl_unique_id, int);
  int (*CommAbort)(nccl_comm_t);
  int (*CommDestroy)(nccl_comm_t);
  int (*CommGetAsyncError)(nccl_comm_t, int*);
  const char* (*GetErrorString)(int);
  int (*AllReduce)(const void*, void*, size_t, int, int, nccl_comm_t, gpu_stream_t);
  int (*AllGather)(const void*, void*, size_t, int, nccl_comm_t, gpu_stream_t);
  int (*ReduceScatter)(const void*, void*, size_t, int, int, nccl_comm_t, gpu_stream_t);
  int (*Broadcast)(const void*, void*, size_t, int, int, nccl_comm_t, gpu_stream_t);
  int (*Reduce)(const void*, void*, size_t, int, int, int, nccl_comm_t, gpu_stream_t);
  int (*Send)(const void*, size_t, int, int, nccl_comm_t, gpu_stream_t);
  int (*Recv)(void*, size_t, int, int, nccl_comm_t, gpu_stream_t);
  int (*GroupStart)(void);
  int (*GroupEnd)(void);
} nccl_api;

typedef struct {
  int rccl;
  gpu_runtime rt;
  nccl_api nccl;
  nccl_comm_t comm;
  gpu_stream_t stream;
  int aborted;
} gpu_impl;

static void* open_first(const char* const* names, char* path_out, size_t path_len, char* tried, size_t tried_len) {
  tried[0] = 0;
  for (int i = 0; names[i]; i++) {
    if (!names[i][0]) continue;
    void* h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (h) {
      /* Report the file the loader actually picked. */
      Dl_info info;
      void* sym = dlsym(h, "ncclGetVersion");
      if (!sym) sym = dlsym(h, "cudaMalloc");
      if (!sym) sym = dlsym(h, "hipMalloc");
      if (sym && dladdr(sym, &info) && info.dli_fname) snprintf(path_out, path_len, "%s", info.dli_fname);
      else snprintf(path_out, path_len, "%s", names[i]);
      return h;
    }
    size_t used = strlen(tried);
    snprintf(tried + used, tried_len - used, "%s%s (%s)", used ? "; " : "", names[i], dlerror());
  }
  return NULL;
}

#define LOAD(tab, prefix, field, required)                                                    \
  do {                                                                                        \
    char _n[96];                                                                              \
    snprintf(_n, sizeof _n, "%s%s", prefix, #field);                                          \
    *(void**)&(tab)->field = dlsym((tab)->handle, _n);                                        \
    if (!(tab)->field && (required))                                                          \
      return mc_fail(MICRO_COLL_ENOLIB, "%s has no symbol %s", (tab)->path, _n);              \
  } while (0)

/* path: the file Micro's resolver chose (NULL: the loader's search by soname). Only that file is tried when given:
 * falling back to another library would measure something other than what the caller reported. */
static int load_runtime(gpu_runtime* rt, int rccl, const char* path) {
  const char* only[] = {path, NULL};
  const char* cuda[] = {"libcudart.so.13", "libcudart.so.12", "libcudart.so", NULL};
  const char* hip[] = {"libamdhip64.so.7", "libamdhip64.so.6", "libamdhip64.so", NULL};
  char tried[2048];
  rt->handle = open_first((path && path[0]) ? only : rccl ? hip : cuda, rt->path, sizeof rt->path, tried, sizeof tried);
  if (!rt->handle)
    return mc_fail(MICRO_COLL_ENOLIB, "no %s runtime: tried %s (set %s)", rccl ? "HIP" : "CUDA", tried, rccl ? "MICRO_HIP_PATH" : "MICRO_CUDART_PATH");
  const char* p = rccl ? "hip" : "cuda";
  LOAD(rt, p, SetDevice, 1); LOAD(rt, p, GetDeviceCount, 1); LOAD(rt, p, Malloc, 1); LOAD(rt, p, Free, 1);
  LOAD(rt, p, Memcpy, 1); LOAD(rt, p, StreamCreateWithFlags, 1); LOAD(rt, p, StreamDestroy, 1); LOAD(rt, p, StreamQuery, 1);
  LOAD(rt, p, EventCreate, 1); LOAD(rt, p, EventRecord, 1); LOAD(rt, p, EventElapsedTime, 0); LOAD(rt, p, EventDestroy, 1);
  LOAD(rt, p, StreamBeginCapture, 0); LOAD(rt, p, StreamEndCapture, 0); LOAD(rt, p, GraphInstantiateWithFlags, 0);
  LOAD(rt, p, GraphLaunch, 0); LOAD(rt, p, GraphExecDestroy, 0); LOAD(rt, p, GraphDestroy, 0);
  LOAD(rt, p, GetErrorString, 1); LOAD(rt, p, RuntimeGetVersion, 0);
  if (!rt->EventElapsedTime) {
    char n[64];
    snprintf(n, sizeof n, "%sEventElapsedTime_v2", p);
    *(void**)&rt->EventElapsedTime = dlsym(rt->handle, n);
    if (!rt->EventElapsedTime) return mc_fail(MICRO_COLL_ENOLIB, "%s has no %sEventElapsedTime", rt->path, p);
  }
  return MICRO_COLL_OK;
}

static int load_nccl(nccl_api* n, int rccl, const char* library) {
  const char* only[] = {library, NULL};
  const char* search[] = {rccl ? "librccl.so.1" : "libnccl.so.2", rccl ? "librccl.so" : "libnccl.so", NULL};
  const char* const* names = (library && library[0]) ? only : search;
  char tried[2048];
  n->handle = open_first(names, n->path, sizeof n->path, tried, sizeof tried);
  if (!n->handle)
    return mc_fail(MICRO_COLL_ENOLIB, "no %s: tried %s (pass --nccl-path or set %s)", rccl ? "RCCL" : "NCCL", tried, rccl ? "MICRO_RCCL_PATH" : "MICRO_NCCL_PATH");
  const char* p = "nccl";
  LOAD(n, p, GetVersion, 1); LOAD(n, p, GetUniqueId, 1); LOAD(n, p, CommInitRank, 1); LOAD(n, p, CommAbort, 1);
  LOAD(n, p, CommDestroy, 1); LOAD(n, p, CommGetAsyncError, 1); LOAD(n, p, GetErrorString, 1);
  LOAD(n, p, AllReduce, 1); LOAD(n, p, AllGather, 1); LOAD(n, p, ReduceScatter, 1); LOAD(n, p, Broadcast, 1);
  LOAD(n, p, Reduce, 1); LOAD(n, p, Send, 1); LOAD(n, p, Recv, 1); LOAD(n, p, GroupStart, 1); LOAD(n, p, GroupEnd, 1);
  int e = n->GetVersion(&n->version);
  if (e != NCCL_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "%s: ncclGetVersion failed: %s", n->path, n->GetErrorString(e));
  return MICRO_COLL_OK;
}

#define RT(call, what)                                                                                   \
  do {                                                                                                   \
    int _e = (call);                                                                                     \
    if (_e) return mc_fail(MICRO_COLL_EBACKEND, "rank %d: %s failed: %s", c->rank, what, g->rt.GetErrorString(_e)); \
  } while (0)
#define NC(call, what)                                                                                   \
  do {                                                                                                   \
    int _e = (call);                                                                                     \
    if (_e != NCCL_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "rank %d: %s failed: %s", c->rank, what, g->nccl.GetErrorString(_e)); \
  } while (0)

static int gpu_supports(const micro_coll_comm* c, int dtype) {
  const gpu_impl* g = c->impl;
  if (dtype == MICRO_COLL_BFLOAT16) return g->nccl.version >= 21000; /* ncclBfloat16 arrived in NCCL 2.10 */
  return 1;
}

static int nccl_type(int dtype) {
  switch (dtype) {
    case MICRO_COLL_INT32: return NCCL_INT32;
    case MICRO_COLL_FLOAT16: return NCCL_FLOAT16;
    case MICRO_COLL_BFLOAT16: return NCCL_BFLOAT16;
    default: return NCCL_FLOAT32;
  }
}

static int gpu_alloc(micro_coll_comm* c, size_t bytes, void** ptr) {
  gpu_impl* g = c->impl;
  RT(g->rt.SetDevice(c->device), "SetDevice");
  int e = g->rt.Malloc(ptr, bytes);
  if (e) return mc_fail(MICRO_COLL_ENOMEM, "rank %d: device Malloc of %zu bytes failed: %s", c->rank, bytes, g->rt.GetErrorString(e));
  return MICRO_COLL_OK;
}
static int gpu_free(micro_coll_comm* c, void* p) { gpu_impl* g = c->impl; RT(g->rt.SetDevice(c->device), "SetDevice"); RT(g->rt.Free(p), "Free"); return MICRO_COLL_OK; }
static int gpu_write(micro_coll_comm* c, void* d, const void* s, size_t n) {
  gpu_impl* g = c->impl;
  RT(g->rt.SetDevice(c->device), "SetDevice");
  RT(g->rt.Memcpy(d, s, n, RT_MEMCPY_H2D), "Memcpy host->device");
  return MICRO_COLL_OK;
}
static int gpu_read(micro_coll_comm* c, void* d, const void* s, size_t n) {
  gpu_impl* g = c->impl;
  RT(g->rt.SetDevice(c->device), "SetDevice");
  RT(g->rt.Memcpy(d, s, n, RT_MEMCPY_D2H), "Memcpy device->host");
  return MICRO_COLL_OK;
}

static int enqueue(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype, int redop, int root) {
  gpu_impl* g = c->impl;
  int t = nccl_type(dtype);
  size_t es = mc_dtype_size(dtype);
  nccl_comm_t k = g->comm;
  gpu_stream_t s = g->stream;
  char what[128];
  snprintf(what, sizeof what, "nccl %s of %zu elements", mc_op_name(op), count);
  switch (op) {
    case MICRO_COLL_ALL_REDUCE: NC(g->nccl.AllReduce(send, recv, count, t, redop, k, s), what); break;
    case MICRO_COLL_ALL_GATHER: NC(g->nccl.AllGather(send, recv, count, t, k, s), what); break;
    case MICRO_COLL_REDUCE_SCATTER: NC(g->nccl.ReduceScatter(send, recv, count, t, redop, k, s), what); break;
    case MICRO_COLL_BROADCAST: NC(g->nccl.Broadcast(send, recv, count, t, root, k, s), what); break;
    case MICRO_COLL_REDUCE: NC(g->nccl.Reduce(send, recv, count, t, redop, root, k, s), what); break;
    case MICRO_COLL_ALLTOALL:
      /* As nccl-tests: one group of send/recv pairs, count elements to and from every peer. */
      NC(g->nccl.GroupStart(), "ncclGroupStart");
      for (int p = 0; p < c->nranks; p++) {
        NC(g->nccl.Send((const char*)send + (size_t)p * count * es, count, t, p, k, s), what);
        NC(g->nccl.Recv((char*)recv + (size_t)p * count * es, count, t, p, k, s), what);
      }
      NC(g->nccl.GroupEnd(), "ncclGroupEnd");
      break;
    case MICRO_COLL_SENDRECV: {
      int next = (c->rank + 1) % c->nranks, prev = (c->rank - 1 + c->nranks) % c->nranks;
      NC(g->nccl.GroupStart(), "ncclGroupStart");
      NC(g->nccl.Send(send, count, t, next, k, s), what);
      NC(g->nccl.Recv(recv, count, t, prev, k, s), what);
      NC(g->nccl.GroupEnd(), "ncclGroupEnd");
      break;
    }
    default: return mc_fail(MICRO_COLL_EINVAL, "unknown op %d", op);
  }
  return MICRO_COLL_OK;
}

static int gpu_abort(micro_coll_comm* c) {
  gpu_impl* g = c->impl;
  if (g && g->comm && !g->aborted) {
    g->aborted = 1;
    int e = g->nccl.CommAbort(g->comm);
    if (e != NCCL_SUCCESS) return mc_fail(MICRO_COLL_EBACKEND, "rank %d: ncclCommAbort failed: %s", c->rank, g->nccl.GetErrorString(e));
  }
  return MICRO_COLL_OK;
}

/* Waits for the stream, polling NCCL's async error, until the communicator's deadline. */
static int gpu_sync(micro_coll_comm* c) {
  gpu_impl* g = c->impl;
  if (g->aborted) return mc_fail(MICRO_COLL_EBACKEND, "rank %d: communicator was aborted", c->rank);
  double deadline = mc_now() + c->timeout_s;
  for (unsigned spins = 1;; spins++) {
    int e = g->rt.StreamQuery(g->stream);
    if (e == 0) return MICRO_COLL_OK;
    if (e != RT_ERROR_NOT_READY) return mc_fail(MICRO_COLL_EBACKEND, "rank %d: stream failed: %s", c->rank, g->rt.GetErrorString(e));
    if ((spins & 255) == 0) {
      int async = NCCL_SUCCESS;
      int q = g->nccl.CommGetAsyncError(g->comm, &async);
      if (q != NCCL_SUCCESS) async = q;
      if (async != NCCL_SUCCESS && async != NCCL_IN_PROGRESS) {
        int a = gpu_abort(c);
        return mc_fail(MICRO_COLL_EBACKEND, "rank %d: NCCL reported: %s (%s)", c->rank, g->nccl.GetErrorString(async),
                       a ? "ncclCommAbort failed too" : "communicator aborted");
      }
      if (mc_now() > deadline) {
        int a = gpu_abort(c);
        return mc_fail(MICRO_COLL_ETIMEDOUT, "rank %d: GPU work did not complete within %.1f s (%s)", c->rank, c->timeout_s,
                       a ? "ncclCommAbort failed too" : "ncclCommAbort called");
      }
      sched_yield();
    }
  }
}

static int gpu_run(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype, int redop, int root) {
  gpu_impl* g = c->impl;
  if (g->aborted) return mc_fail(MICRO_COLL_EBACKEND, "rank %d: communicator was aborted", c->rank);
  RT(g->rt.SetDevice(c->device), "SetDevice");
  return enqueue(c, op, send, recv, count, dtype, redop, root);
}

static int gpu_group_start(micro_coll_comm* c) { gpu_impl* g = c->impl; NC(g->nccl.GroupStart(), "ncclGroupStart"); return MICRO_COLL_OK; }
static int gpu_group_end(micro_coll_comm* c) { gpu_impl* g = c->impl; NC(g->nccl.GroupEnd(), "ncclGroupEnd"); return MICRO_COLL_OK; }

static void destroy_events(gpu_impl* g, gpu_event_t* ev, int n) {
  for (int i = 0; i < n; i++) if (ev[i]) g->rt.EventDestroy(ev[i]);
  free(ev);
}

static int gpu_time_graph(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype,
                          int redop, int root, int iters, int launches, double* per_iter, int* samples, double* batch_mean) {
  gpu_impl* g = c->impl;
  if (!g->rt.StreamBeginCapture || !g->rt.StreamEndCapture || !g->rt.GraphInstantiateWithFlags || !g->rt.GraphLaunch)
    return mc_fail(MICRO_COLL_EUNSUPPORTED, "graph capture: the runtime at %s lacks the graph API", g->rt.path);
  void* graph = NULL;
  void* exec = NULL;
  RT(g->rt.StreamBeginCapture(g->stream, RT_CAPTURE_THREAD_LOCAL), "StreamBeginCapture");
  int rc = MICRO_COLL_OK;
  for (int i = 0; i < iters && rc == MICRO_COLL_OK; i++) rc = enqueue(c, op, send, recv, count, dtype, redop, root);
  int e = g->rt.StreamEndCapture(g->stream, &graph);
  if (rc) { if (graph) g->rt.GraphDestroy(graph); return rc; }
  RT(e, "StreamEndCapture");
  e = g->rt.GraphInstantiateWithFlags(&exec, graph, 0);
  if (e) { g->rt.GraphDestroy(graph); RT(e, "GraphInstantiateWithFlags"); }
  /* As nccl-tests: host clock from before the first launch to after the stream has drained. */
  double t0 = mc_now();
  for (int l = 0; l < launches && e == 0; l++) e = g->rt.GraphLaunch(exec, g->stream);
  if (e == 0) rc = gpu_sync(c);
  double elapsed = mc_now() - t0;
  g->rt.GraphExecDestroy(exec);
  g->rt.GraphDestroy(graph);
  if (rc) return rc;
  RT(e, "GraphLaunch");
  *batch_mean = elapsed / ((double)iters * launches);
  per_iter[0] = *batch_mean;
  *samples = 1;
  return MICRO_COLL_OK;
}

static int gpu_time_batch(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype,
                          int redop, int root, int iters, int graph, double* per_iter, int* samples, double* batch_mean) {
  gpu_impl* g = c->impl;
  *samples = 0;
  if (g->aborted) return mc_fail(MICRO_COLL_EBACKEND, "rank %d: communicator was aborted", c->rank);
  RT(g->rt.SetDevice(c->device), "SetDevice");
  if (graph > 0) return gpu_time_graph(c, op, send, recv, count, dtype, redop, root, iters, graph, per_iter, samples, batch_mean);
  /* Pass 1, nccl-tests' figure: no events inside the loop (an event record per iteration costs
   * about a microsecond of launch throughput, which small messages would show). */
  int rc = MICRO_COLL_OK, e = 0;
  double t0 = mc_now();
  for (int i = 0; i < iters && rc == 0; i++) rc = enqueue(c, op, send, recv, count, dtype, redop, root);
  if (rc == 0) rc = gpu_sync(c);
  if (rc) return rc;
  *batch_mean = (mc_now() - t0) / iters;
  /* Pass 2: per-iteration spread. */
  gpu_event_t* ev = calloc((size_t)iters + 1, sizeof *ev);
  if (!ev) return mc_fail(MICRO_COLL_ENOMEM, "time_batch: out of host memory");
  for (int i = 0; i <= iters && e == 0; i++) e = g->rt.EventCreate(&ev[i]);
  if (e) { destroy_events(g, ev, iters + 1); RT(e, "EventCreate"); }
  /* Events between consecutive collectives: no host wait inside the loop, so launches pipeline. */
  e = g->rt.EventRecord(ev[0], g->stream);
  for (int i = 0; i < iters && e == 0 && rc == 0; i++) {
    rc = enqueue(c, op, send, recv, count, dtype, redop, root);
    if (rc == 0) e = g->rt.EventRecord(ev[i + 1], g->stream);
  }
  if (rc == 0 && e == 0) rc = gpu_sync(c);
  for (int i = 0; i < iters && rc == 0 && e == 0; i++) {
    float ms = 0;
    e = g->rt.EventElapsedTime(&ms, ev[i], ev[i + 1]);
    per_iter[i] = (double)ms * 1e-3;
  }
  destroy_events(g, ev, iters + 1);
  if (rc) return rc;
  RT(e, "EventRecord/EventElapsedTime");
  *samples = iters;
  return MICRO_COLL_OK;
}

/* Releases what init acquired, in reverse; the first failure is the status (and the last error). */
static int release(micro_coll_comm* c, gpu_impl* g) {
  int rc = MICRO_COLL_OK, e;
  if (g->comm && !g->aborted) {
    rc = gpu_sync(c);
    if (rc == MICRO_COLL_OK && (e = g->nccl.CommDestroy(g->comm)) != NCCL_SUCCESS)
      rc = mc_fail(MICRO_COLL_EBACKEND, "rank %d: ncclCommDestroy failed: %s", c->rank, g->nccl.GetErrorString(e));
  }
  if (g->stream && (e = g->rt.StreamDestroy(g->stream)) != 0 && rc == MICRO_COLL_OK)
    rc = mc_fail(MICRO_COLL_EBACKEND, "rank %d: StreamDestroy failed: %s", c->rank, g->rt.GetErrorString(e));
  /* The libraries stay loaded: NCCL keeps proxy threads that must not lose their code. */
  free(g);
  c->impl = NULL;
  return rc;
}

static int gpu_destroy(micro_coll_comm* c) {
  gpu_impl* g = c->impl;
  return g ? release(c, g) : MICRO_COLL_OK;
}

static const backend_ops gpu_ops = {
  gpu_alloc, gpu_free, gpu_write, gpu_read, gpu_run, gpu_group_start, gpu_group_end, gpu_sync, gpu_time_batch, gpu_abort, gpu_destroy, gpu_supports,
};

static void device_name(micro_coll_comm* c, int rccl, const char* driver) {
  snprintf(c->device_name, sizeof c->device_name, "%s device %d", rccl ? "HIP" : "CUDA", c->device);
  if (rccl) {
    gpu_impl* g = c->impl;
    int (*get)(char*, int, int) = (int (*)(char*, int, int))dlsym(g->rt.handle, "hipDeviceGetName");
    if (get) get(c->device_name, (int)sizeof c->device_name, c->device);
    return;
  }
  /* The CUDA runtime's device-properties struct changes between versions; the driver's name call does not. */
  if (!driver || !driver[0]) return;
  void* drv = dlopen(driver, RTLD_NOW | RTLD_LOCAL);
  if (!drv) return;
  int (*cuInit)(unsigned) = (int (*)(unsigned))dlsym(drv, "cuInit");
  int (*cuDeviceGet)(int*, int) = (int (*)(int*, int))dlsym(drv, "cuDeviceGet");
  int (*cuDeviceGetName)(char*, int, int) = (int (*)(char*, int, int))dlsym(drv, "cuDeviceGetName");
  int dev = 0;
  if (cuInit && cuDeviceGet && cuDeviceGetName && cuInit(0) == 0 && cuDeviceGet(&dev, c->device) == 0)
    cuDeviceGetName(c->device_name, (int)sizeof c->device_name, dev);
}

/* Every failure after the allocation goes through fail_init: the stream and communicator made so far are released
 * (the message is formatted before g is freed). */
#define INIT_FAIL(status, ...)                \
  do {                                        \
    int _s = mc_fail(status, __VA_ARGS__);    \
    saved_error(msg, sizeof msg);             \
    release(c, g);                            \
    return mc_fail(_s, "%s", msg);            \
  } while (0)

static const char* saved_error(char* buf, size_t len) {
  snprintf(buf, len, "%s", micro_coll_last_error());
  return buf;
}

int mc_gpu_backend_init(micro_coll_comm* c, int rccl, const char* library, const char* runtime, const char* driver) {
  gpu_impl* g = calloc(1, sizeof *g);
  if (!g) return mc_fail(MICRO_COLL_ENOMEM, "init: out of host memory");
  char msg[1024];
  g->rccl = rccl;
  c->impl = g;
  int rc = load_runtime(&g->rt, rccl, runtime);
  if (!rc) rc = load_nccl(&g->nccl, rccl, library);
  if (rc) INIT_FAIL(rc, "%s", saved_error(msg, sizeof msg));
  int ndev = 0, e = g->rt.GetDeviceCount(&ndev);
  if (e || ndev < 1)
    INIT_FAIL(MICRO_COLL_EBACKEND, "rank %d: no GPU visible to %s (%s)", c->rank, g->rt.path, e ? g->rt.GetErrorString(e) : "0 devices");
  if (c->device < 0) {
    int local = micro_coll_mpi_local_rank();
    if (local < 0) INIT_FAIL(MICRO_COLL_EBACKEND, "%s", saved_error(msg, sizeof msg));
    c->device = local % ndev;
  }
  if (c->device >= ndev) INIT_FAIL(MICRO_COLL_EINVAL, "rank %d: device %d but only %d visible", c->rank, c->device, ndev);
  if ((e = g->rt.SetDevice(c->device)) != 0) INIT_FAIL(MICRO_COLL_EBACKEND, "rank %d: SetDevice(%d): %s", c->rank, c->device, g->rt.GetErrorString(e));
  if ((e = g->rt.StreamCreateWithFlags(&g->stream, RT_STREAM_NON_BLOCKING)) != 0) {
    g->stream = NULL;
    INIT_FAIL(MICRO_COLL_EBACKEND, "rank %d: StreamCreate: %s", c->rank, g->rt.GetErrorString(e));
  }
  nccl_unique_id id;
  memset(&id, 0, sizeof id);
  if (c->rank == 0 && (e = g->nccl.GetUniqueId(&id)) != NCCL_SUCCESS) INIT_FAIL(MICRO_COLL_EBACKEND, "ncclGetUniqueId: %s", g->nccl.GetErrorString(e));
  if ((rc = micro_coll_mpi_bcast_bytes(&id, (int)sizeof id, c->timeout_s)) != 0) INIT_FAIL(rc, "%s", saved_error(msg, sizeof msg));
  if ((e = g->nccl.CommInitRank(&g->comm, c->nranks, id, c->rank)) != NCCL_SUCCESS) {
    g->comm = NULL;
    INIT_FAIL(MICRO_COLL_EBACKEND, "rank %d: ncclCommInitRank: %s", c->rank, g->nccl.GetErrorString(e));
  }
  c->ops = &gpu_ops;
  device_name(c, rccl, driver);
  int rtv = 0;
  if (g->rt.RuntimeGetVersion && (e = g->rt.RuntimeGetVersion(&rtv)) != 0) rtv = -1; /* shown as -1: the runtime did not say */
  snprintf(c->describe, sizeof c->describe, "backend=%s library=%s version=%d runtime=%s runtime_version=%d device=%d",
           rccl ? "rccl" : "nccl", g->nccl.path, g->nccl.version, g->rt.path, rtv, c->device);
  return MICRO_COLL_OK;
}

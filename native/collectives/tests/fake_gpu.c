/* A fake CUDA runtime + NCCL in one library, for the error paths of backend_gpu.c without a GPU (ctest, ASan).
 * fake_gpu_set_mode picks the failure; the counters let the test prove that what init created was released. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum { FAKE_OK = 0, FAKE_NO_DEVICE = 1, FAKE_INIT_RANK_FAILS = 2, FAKE_DESTROY_FAILS = 3 };
static int mode, live_streams, comm_destroyed, comm_aborted;

void fake_gpu_set_mode(int m) { mode = m; comm_destroyed = comm_aborted = 0; }
int fake_gpu_live_streams(void) { return live_streams; }
int fake_gpu_comm_destroyed(void) { return comm_destroyed; }

/* ---- runtime (cuda* names) */
int cudaGetDeviceCount(int* n) { *n = mode == FAKE_NO_DEVICE ? 0 : 1; return 0; }
int cudaSetDevice(int d) { (void)d; return 0; }
int cudaMalloc(void** p, size_t n) { *p = malloc(n ? n : 1); return *p ? 0 : 2; }
int cudaFree(void* p) { free(p); return 0; }
int cudaMemcpy(void* d, const void* s, size_t n, int kind) { (void)kind; memmove(d, s, n); return 0; }
int cudaStreamCreateWithFlags(void** s, unsigned f) { (void)f; *s = malloc(16); live_streams++; return 0; }
int cudaStreamDestroy(void* s) { free(s); live_streams--; return 0; }
int cudaStreamQuery(void* s) { (void)s; return 0; }
int cudaEventCreate(void** e) { *e = malloc(16); return 0; }
int cudaEventRecord(void* e, void* s) { (void)e; (void)s; return 0; }
int cudaEventElapsedTime(float* ms, void* a, void* b) { (void)a; (void)b; *ms = 0.001f; return 0; }
int cudaEventDestroy(void* e) { free(e); return 0; }
const char* cudaGetErrorString(int e) { return e ? "fake runtime error" : "no error"; }
int cudaRuntimeGetVersion(int* v) { *v = 13000; return 0; }

/* ---- NCCL */
typedef struct { char internal[128]; } fake_unique_id;
int ncclGetVersion(int* v) { *v = 22803; return 0; }
int ncclGetUniqueId(fake_unique_id* id) { memset(id, 7, sizeof *id); return 0; }
int ncclCommInitRank(void** comm, int n, fake_unique_id id, int r) {
  (void)n; (void)id; (void)r;
  if (mode == FAKE_INIT_RANK_FAILS) return 3;
  *comm = malloc(32);
  return 0;
}
int ncclCommAbort(void* c) { free(c); comm_aborted++; return 0; }
int ncclCommDestroy(void* c) { free(c); comm_destroyed++; return mode == FAKE_DESTROY_FAILS ? 3 : 0; }
int ncclCommGetAsyncError(void* c, int* e) { (void)c; *e = 0; return 0; }
const char* ncclGetErrorString(int e) { return e ? "fake nccl error" : "no error"; }
int ncclAllReduce(const void* s, void* r, size_t n, int t, int o, void* c, void* st) { (void)s; (void)r; (void)n; (void)t; (void)o; (void)c; (void)st; return 0; }
int ncclAllGather(const void* s, void* r, size_t n, int t, void* c, void* st) { (void)s; (void)r; (void)n; (void)t; (void)c; (void)st; return 0; }
int ncclReduceScatter(const void* s, void* r, size_t n, int t, int o, void* c, void* st) { (void)s; (void)r; (void)n; (void)t; (void)o; (void)c; (void)st; return 0; }
int ncclBroadcast(const void* s, void* r, size_t n, int t, int root, void* c, void* st) { (void)s; (void)r; (void)n; (void)t; (void)root; (void)c; (void)st; return 0; }
int ncclReduce(const void* s, void* r, size_t n, int t, int o, int root, void* c, void* st) { (void)s; (void)r; (void)n; (void)t; (void)o; (void)root; (void)c; (void)st; return 0; }
int ncclSend(const void* s, size_t n, int t, int p, void* c, void* st) { (void)s; (void)n; (void)t; (void)p; (void)c; (void)st; return 0; }
int ncclRecv(void* r, size_t n, int t, int p, void* c, void* st) { (void)r; (void)n; (void)t; (void)p; (void)c; (void)st; return 0; }
int ncclGroupStart(void) { return 0; }
int ncclGroupEnd(void) { return 0; }

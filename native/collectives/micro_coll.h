/*
 * libmicro_coll: one flat C ABI over three collective backends chosen at run time.
 *
 *   MICRO_COLL_MPI   host memory, the system MPI (OpenMPI/MPICH), non-blocking collectives polled
 *                    against a deadline. Runs anywhere (CI).
 *   MICRO_COLL_NCCL  dlopen("libnccl.so.2") + libcudart (.13/.12) at run time; device memory.
 *   MICRO_COLL_RCCL  dlopen("librccl.so.1") + libamdhip64 at run time; device memory.
 *
 * The shim searches no environment variables: the caller (Micro's one native-library resolver,
 * Micro.Devices.Native.NativeLibraries) chooses the files and passes their paths to micro_coll_init.
 *
 * Every process is one rank: rank and size come from MPI (mpirun, srun). For NCCL/RCCL, rank 0
 * creates the unique id and broadcasts it over MPI_COMM_WORLD, as nccl-tests does.
 *
 * Return codes: 0 = success, otherwise a MICRO_COLL_E* value; micro_coll_last_error() gives the
 * thread's last message in words (it names the backend call that failed).
 *
 * Pointers passed to the collectives are host pointers for MPI and device pointers for NCCL/RCCL;
 * get them from micro_coll_alloc. In-place follows NCCL's layout: all_reduce/broadcast/reduce
 * send == recv; all_gather send == recv + rank*count; reduce_scatter recv == send + rank*count.
 *
 * Watchdog: a communicator has a timeout (seconds). A collective (MPI) or a stream sync (GPU)
 * that does not finish by then returns MICRO_COLL_ETIMEDOUT (the GPU communicator is aborted with
 * ncclCommAbort first); the caller reports rank/op/size and calls micro_coll_abort_job.
 */
#ifndef MICRO_COLL_H
#define MICRO_COLL_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MICRO_COLL_ABI_VERSION 3

enum micro_coll_backend { MICRO_COLL_MPI = 0, MICRO_COLL_NCCL = 1, MICRO_COLL_RCCL = 2 };
enum micro_coll_dtype { MICRO_COLL_INT32 = 0, MICRO_COLL_FLOAT32 = 1, MICRO_COLL_FLOAT16 = 2, MICRO_COLL_BFLOAT16 = 3 };
/* MICRO_COLL_AVG is ncclAvg (NCCL 2.10+, RCCL); the MPI backend has no average and refuses it. */
enum micro_coll_redop { MICRO_COLL_SUM = 0, MICRO_COLL_PROD = 1, MICRO_COLL_MAX = 2, MICRO_COLL_MIN = 3, MICRO_COLL_AVG = 4 };
enum micro_coll_op {
  MICRO_COLL_ALL_REDUCE = 0, MICRO_COLL_ALL_GATHER = 1, MICRO_COLL_REDUCE_SCATTER = 2,
  MICRO_COLL_BROADCAST = 3, MICRO_COLL_REDUCE = 4, MICRO_COLL_ALLTOALL = 5, MICRO_COLL_SENDRECV = 6
};
enum micro_coll_status {
  MICRO_COLL_OK = 0, MICRO_COLL_EINVAL = 1, MICRO_COLL_ENOLIB = 2, MICRO_COLL_EBACKEND = 3,
  MICRO_COLL_ETIMEDOUT = 4, MICRO_COLL_EUNSUPPORTED = 5, MICRO_COLL_ENOMEM = 6
};

typedef struct micro_coll_comm micro_coll_comm;

int micro_coll_abi_version(void);
/* The calling thread's last error message ("" when none). */
const char* micro_coll_last_error(void);
/* A fixed text for a status code. */
const char* micro_coll_error_string(int status);

/* ---- MPI process helpers (also used by `micro --fleet`). MPI is initialised on first use
 * (MPI_Init_thread, MPI_THREAD_MULTIPLE requested) and finalised by micro_coll_mpi_finalize. */
int micro_coll_mpi_init(void);
int micro_coll_mpi_rank(void);                 /* -1 when MPI could not be initialised */
int micro_coll_mpi_size(void);
int micro_coll_mpi_local_rank(void);           /* rank among the processes of this host */
int micro_coll_hostname(char* buf, int len);   /* MPI_Get_processor_name, NUL-terminated */
/* Barrier polled against a deadline (MPI_Ibarrier); MICRO_COLL_ETIMEDOUT past timeout_s (<= 0: none). */
int micro_coll_mpi_barrier(double timeout_s);
/* Rank 0 receives nbytes from every rank into recv (size*nbytes, rank order); recv may be NULL elsewhere. */
int micro_coll_mpi_gather_bytes(const void* send, int nbytes, void* recv, double timeout_s);
/* Rank 0 broadcasts nbytes to every rank. */
int micro_coll_mpi_bcast_bytes(void* buf, int nbytes, double timeout_s);
/* Element-wise reduction of n doubles over all ranks, result on every rank. redop: micro_coll_redop. */
int micro_coll_mpi_allreduce_f64(double* inout, int n, int redop, double timeout_s);
int micro_coll_mpi_allreduce_i64(int64_t* inout, int n, int redop, double timeout_s);
/* Every rank calls it ("done measuring"). Rank 0 waits up to timeout_s for every other rank and, past it,
 * returns MICRO_COLL_ETIMEDOUT with the ranks that did not arrive in missing[0..min(*nmissing, capacity)).
 * The other ranks wait for rank 0's answer up to timeout_s + grace_s (rank 1) or + 2*grace_s (the rest), so that
 * rank 0 normally reports first; past that they return MICRO_COLL_ETIMEDOUT with missing = {0}. */
int micro_coll_mpi_arrive(double timeout_s, double grace_s, int* missing, int capacity, int* nmissing);
/* Prints message to stderr as given (the caller names the rank) and ends every rank: MPI_Abort(MPI_COMM_WORLD, code). */
void micro_coll_mpi_abort(int code, const char* message);
int micro_coll_mpi_finalize(void);

/* ---- Communicator. For NCCL/RCCL: library is the libnccl.so.2/librccl.so.1 file, runtime the libcudart/libamdhip64
 * file, driver the libcuda file used only for the device name (NULL: the name is "CUDA device N"). NULL library or
 * runtime: the loader's search by soname. The MPI backend ignores all three.
 * device < 0: the local rank modulo the device count. */
int micro_coll_init(int backend, const char* library, const char* runtime, const char* driver, int device, double timeout_s,
                    micro_coll_comm** out);
int micro_coll_rank(const micro_coll_comm* c);
int micro_coll_nranks(const micro_coll_comm* c);
int micro_coll_device(const micro_coll_comm* c);
/* Human-readable: backend, library path and version, device name. */
const char* micro_coll_describe(const micro_coll_comm* c);
const char* micro_coll_device_name(const micro_coll_comm* c);
int micro_coll_supports_dtype(const micro_coll_comm* c, int dtype);
int micro_coll_set_timeout(micro_coll_comm* c, double timeout_s);

/* Buffers: host memory (MPI) or device memory (NCCL/RCCL). */
int micro_coll_alloc(micro_coll_comm* c, size_t bytes, void** ptr);
int micro_coll_free(micro_coll_comm* c, void* ptr);
int micro_coll_write(micro_coll_comm* c, void* dst, const void* host_src, size_t bytes);
int micro_coll_read(micro_coll_comm* c, void* host_dst, const void* src, size_t bytes);

/* Collectives. count is NCCL's: all_gather = per-rank send count, reduce_scatter = per-rank recv
 * count, alltoall = elements per peer; sendrecv sends to rank+1 and receives from rank-1 (ring).
 * GPU backends enqueue on the communicator's stream; MPI completes (or times out) before returning. */
int micro_coll_all_reduce(micro_coll_comm* c, const void* send, void* recv, size_t count, int dtype, int redop);
int micro_coll_all_gather(micro_coll_comm* c, const void* send, void* recv, size_t count, int dtype);
int micro_coll_reduce_scatter(micro_coll_comm* c, const void* send, void* recv, size_t count, int dtype, int redop);
int micro_coll_broadcast(micro_coll_comm* c, const void* send, void* recv, size_t count, int dtype, int root);
int micro_coll_reduce(micro_coll_comm* c, const void* send, void* recv, size_t count, int dtype, int redop, int root);
int micro_coll_alltoall(micro_coll_comm* c, const void* send, void* recv, size_t count, int dtype);
int micro_coll_sendrecv(micro_coll_comm* c, const void* send, void* recv, size_t count, int dtype);
/* One entry point for all of the above (op: micro_coll_op; redop/root ignored where meaningless). */
int micro_coll_run(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype, int redop, int root);
int micro_coll_group_start(micro_coll_comm* c);
int micro_coll_group_end(micro_coll_comm* c);
/* Waits for everything enqueued (GPU) against the deadline; no-op for MPI. */
int micro_coll_sync(micro_coll_comm* c);

/* Times `iters` back-to-back collectives two ways and returns both:
 *  *batch_mean: nccl-tests' figure: a host clock read before the first collective is enqueued and
 *               after the stream (or the last MPI request) has completed, divided by iters.
 *  per_iter:    per-iteration seconds for the spread (median, p99, CV). GPU: a second pass with an
 *               event recorded between consecutive collectives (one host wait at the end, so the
 *               launches still pipeline); MPI: MPI_Wtime around each collective of the same pass.
 * graph = N > 0 (NCCL/RCCL, nccl-tests -G N): the iters collectives are captured into one graph that is
 * launched N times; *batch_mean is the host time over iters*N; per-iteration times do not exist then,
 * so *samples is 1 and per_iter[0] = *batch_mean. *samples receives how many per_iter values were written. */
int micro_coll_time_batch(micro_coll_comm* c, int op, const void* send, void* recv, size_t count, int dtype,
                          int redop, int root, int iters, int graph, double* per_iter, int* samples, double* batch_mean);

/* Aborts the communicator (ncclCommAbort; MPI: nothing to free) without waiting for peers. */
int micro_coll_abort(micro_coll_comm* c);
/* Destroys a communicator (waits for pending work within the timeout) and frees it. */
int micro_coll_destroy(micro_coll_comm* c);

#ifdef __cplusplus
}
#endif
#endif

/* Private to libmicro_coll: the communicator and the table each backend fills. */
#ifndef MICRO_COLL_INTERNAL_H
#define MICRO_COLL_INTERNAL_H
#include "micro_coll.h"
#include <mpi.h>

typedef struct backend_ops {
  int (*alloc)(micro_coll_comm*, size_t, void**);
  int (*free_)(micro_coll_comm*, void*);
  int (*write)(micro_coll_comm*, void*, const void*, size_t);
  int (*read)(micro_coll_comm*, void*, const void*, size_t);
  int (*run)(micro_coll_comm*, int op, const void*, void*, size_t, int dtype, int redop, int root);
  int (*group_start)(micro_coll_comm*);
  int (*group_end)(micro_coll_comm*);
  int (*sync)(micro_coll_comm*);
  int (*time_batch)(micro_coll_comm*, int op, const void*, void*, size_t, int, int, int, int iters, int graph, double*, int*, double*);
  int (*abort_)(micro_coll_comm*);
  int (*destroy)(micro_coll_comm*);
  int (*supports)(const micro_coll_comm*, int dtype);
} backend_ops;

struct micro_coll_comm {
  int backend, rank, nranks, device;
  double timeout_s;
  char describe[768];
  char device_name[256];
  const backend_ops* ops;
  void* impl;
};

/* Sets the thread's last error (printf-style) and returns status. */
int mc_fail(int status, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
size_t mc_dtype_size(int dtype);
const char* mc_op_name(int op);
double mc_now(void);

/* Waits for an MPI request, polling until the deadline; cancels nothing on timeout (the job is aborted). */
int mc_mpi_wait(MPI_Request* req, double timeout_s, const char* what);

int mc_mpi_backend_init(micro_coll_comm* c);
int mc_gpu_backend_init(micro_coll_comm* c, int rccl, const char* library, const char* runtime, const char* driver);
#endif

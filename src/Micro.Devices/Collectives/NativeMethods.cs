using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using Micro.Devices.Native;

namespace Micro.Devices.Collectives;

/// <summary>[LibraryImport] bindings of libmicro_coll (native/collectives/micro_coll.h).</summary>
internal static partial class NativeMethods
{
    public const string Library = NativeLibraries.Coll;

    static NativeMethods() => NativeLibraries.EnsureRegistered();

    [LibraryImport(Library, EntryPoint = "micro_coll_abi_version")] public static partial int AbiVersion();
    [LibraryImport(Library, EntryPoint = "micro_coll_last_error")] public static partial IntPtr LastError();
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_init")] public static partial int MpiInit();
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_rank")] public static partial int MpiRank();
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_size")] public static partial int MpiSize();
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_local_rank")] public static partial int MpiLocalRank();
    [LibraryImport(Library, EntryPoint = "micro_coll_hostname")] public static unsafe partial int Hostname(byte* buf, int len);
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_barrier")] public static partial int MpiBarrier(double timeoutS);
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_gather_bytes")] public static unsafe partial int MpiGatherBytes(void* send, int nbytes, void* recv, double timeoutS);
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_bcast_bytes")] public static unsafe partial int MpiBcastBytes(void* buf, int nbytes, double timeoutS);
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_allreduce_f64")] public static unsafe partial int MpiAllreduceF64(double* inout, int n, int redop, double timeoutS);
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_arrive")] public static unsafe partial int MpiArrive(double timeoutS, double graceS, int* missing, int capacity, out int nmissing);
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_allreduce_i64")] public static unsafe partial int MpiAllreduceI64(long* inout, int n, int redop, double timeoutS);
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_abort", StringMarshalling = StringMarshalling.Utf8)] public static partial void MpiAbort(int code, string message);
    [LibraryImport(Library, EntryPoint = "micro_coll_mpi_finalize")] public static partial int MpiFinalize();

    [LibraryImport(Library, EntryPoint = "micro_coll_init", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Init(int backend, string? library, string? runtime, string? driver, int device, double timeoutS, out IntPtr comm);
    [LibraryImport(Library, EntryPoint = "micro_coll_rank")] public static partial int Rank(CommunicatorHandle c);
    [LibraryImport(Library, EntryPoint = "micro_coll_nranks")] public static partial int NRanks(CommunicatorHandle c);
    [LibraryImport(Library, EntryPoint = "micro_coll_device")] public static partial int Device(CommunicatorHandle c);
    [LibraryImport(Library, EntryPoint = "micro_coll_describe")] public static partial IntPtr Describe(CommunicatorHandle c);
    [LibraryImport(Library, EntryPoint = "micro_coll_device_name")] public static partial IntPtr DeviceName(CommunicatorHandle c);
    [LibraryImport(Library, EntryPoint = "micro_coll_supports_dtype")] public static partial int SupportsDType(CommunicatorHandle c, int dtype);
    [LibraryImport(Library, EntryPoint = "micro_coll_set_timeout")] public static partial int SetTimeout(CommunicatorHandle c, double timeoutS);
    [LibraryImport(Library, EntryPoint = "micro_coll_alloc")] public static partial int Alloc(CommunicatorHandle c, nuint bytes, out IntPtr ptr);
    [LibraryImport(Library, EntryPoint = "micro_coll_free")] public static partial int Free(IntPtr c, IntPtr ptr);
    [LibraryImport(Library, EntryPoint = "micro_coll_write")] public static unsafe partial int Write(CommunicatorHandle c, IntPtr dst, void* src, nuint bytes);
    [LibraryImport(Library, EntryPoint = "micro_coll_read")] public static unsafe partial int Read(CommunicatorHandle c, void* dst, IntPtr src, nuint bytes);
    [LibraryImport(Library, EntryPoint = "micro_coll_run")]
    public static partial int Run(CommunicatorHandle c, int op, IntPtr send, IntPtr recv, nuint count, int dtype, int redop, int root);
    [LibraryImport(Library, EntryPoint = "micro_coll_group_start")] public static partial int GroupStart(CommunicatorHandle c);
    [LibraryImport(Library, EntryPoint = "micro_coll_group_end")] public static partial int GroupEnd(CommunicatorHandle c);
    [LibraryImport(Library, EntryPoint = "micro_coll_sync")] public static partial int Sync(CommunicatorHandle c);
    [LibraryImport(Library, EntryPoint = "micro_coll_time_batch")]
    public static unsafe partial int TimeBatch(CommunicatorHandle c, int op, IntPtr send, IntPtr recv, nuint count, int dtype, int redop, int root,
        int iters, int graph, double* perIter, out int samples, out double batchMean);
    // A raw pointer: abort must still reach a communicator abandoned to a live thread (its SafeHandle is then marked invalid).
    [LibraryImport(Library, EntryPoint = "micro_coll_abort")] public static partial int Abort(IntPtr c);
    [LibraryImport(Library, EntryPoint = "micro_coll_destroy")] public static partial int Destroy(IntPtr c);

    public static string LastErrorText() => Marshal.PtrToStringUTF8(LastError()) ?? "";
}

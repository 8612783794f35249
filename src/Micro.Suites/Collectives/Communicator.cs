using System.Runtime.InteropServices;
using System.Text;

namespace Micro.Suites.Collectives;

/// <summary>One rank's communicator over libmicro_coll (rank and size come from MPI: mpirun / srun).</summary>
public sealed class Communicator : IDisposable
{
    private readonly CommunicatorHandle _handle;
    public const int ExpectedAbi = 2;

    private Communicator(CommunicatorHandle handle, CollectiveBackend backend, double timeoutSeconds)
    {
        _handle = handle;
        Backend = backend;
        TimeoutSeconds = timeoutSeconds;
        Rank = NativeMethods.Rank(handle);
        NRanks = NativeMethods.NRanks(handle);
        Device = NativeMethods.Device(handle);
        Description = Marshal.PtrToStringUTF8(NativeMethods.Describe(handle)) ?? "";
        DeviceName = Marshal.PtrToStringUTF8(NativeMethods.DeviceName(handle)) ?? "";
    }

    public CollectiveBackend Backend { get; }
    public int Rank { get; }
    public int NRanks { get; }
    public int Device { get; }
    public string Description { get; }
    public string DeviceName { get; }
    public double TimeoutSeconds { get; }
    internal CommunicatorHandle Handle => _handle;

    /// <param name="library">Explicit libnccl.so.2 / librccl.so.1 path (null: MICRO_NCCL_PATH / MICRO_RCCL_PATH, then the loader).</param>
    /// <param name="device">GPU ordinal; negative: the local rank modulo the visible device count.</param>
    public static Communicator Create(CollectiveBackend backend, string? library, int device, double timeoutSeconds)
    {
        NativeMethods.EnsureResolver();
        // A shim from another build would misread arguments: refuse it with a clear line instead.
        if (NativeMethods.AbiVersion() != ExpectedAbi)
            throw new CollectiveException(CollectiveException.StatusNoLibrary, $"libmicro_coll ABI {NativeMethods.AbiVersion()}, this micro needs {ExpectedAbi}: rebuild native/ (scripts/build)");
        var rc = NativeMethods.Init((int)backend, library, device, timeoutSeconds, out var ptr);
        MpiProcess.FinalizeAtExit();
        if (rc != 0) throw new CollectiveException(rc, $"{CollectiveNames.Of(backend)} init: {NativeMethods.LastErrorText()}");
        return new Communicator(new CommunicatorHandle(ptr), backend, timeoutSeconds);
    }

    public bool Supports(CollectiveDType t) => NativeMethods.SupportsDType(_handle, (int)t) != 0;

    public CollectiveBuffer Allocate(long bytes)
    {
        Check(NativeMethods.Alloc(_handle, (nuint)Math.Max(bytes, 1), out var p), "alloc");
        return new CollectiveBuffer(_handle, p, bytes);
    }

    public unsafe void Write(CollectiveBuffer dst, long offsetBytes, ReadOnlySpan<byte> src)
    {
        if (offsetBytes < 0 || offsetBytes + src.Length > dst.Bytes) throw new ArgumentOutOfRangeException(nameof(offsetBytes));
        fixed (byte* p = src) Check(NativeMethods.Write(_handle, dst.Pointer + (nint)offsetBytes, p, (nuint)src.Length), "write");
    }

    public unsafe void Read(CollectiveBuffer src, long offsetBytes, Span<byte> dst)
    {
        if (offsetBytes < 0 || offsetBytes + dst.Length > src.Bytes) throw new ArgumentOutOfRangeException(nameof(offsetBytes));
        fixed (byte* p = dst) Check(NativeMethods.Read(_handle, p, src.Pointer + (nint)offsetBytes, (nuint)dst.Length), "read");
    }

    /// <summary>Enqueues (GPU) or completes (MPI) one collective. Pointers are buffer pointers plus byte offsets.</summary>
    public int Run(CollectiveOp op, IntPtr send, IntPtr recv, long count, CollectiveDType t, RedOp redop, int root) =>
        NativeMethods.Run(_handle, (int)op, send, recv, (nuint)count, (int)t, (int)redop, root);

    public int Sync() => NativeMethods.Sync(_handle);

    public unsafe int TimeBatch(CollectiveOp op, IntPtr send, IntPtr recv, long count, CollectiveDType t, RedOp redop, int root,
        int iterations, int graphLaunches, double[] perIteration, out int samples, out double batchMean)
    {
        fixed (double* p = perIteration)
            return NativeMethods.TimeBatch(_handle, (int)op, send, recv, (nuint)count, (int)t, (int)redop, root, iterations, graphLaunches, p, out samples, out batchMean);
    }

    public void GroupStart() => Check(NativeMethods.GroupStart(_handle), "group start");
    public void GroupEnd() => Check(NativeMethods.GroupEnd(_handle), "group end");
    public void Abort() => NativeMethods.Abort(_handle);

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw new CollectiveException(rc, $"{what}: {NativeMethods.LastErrorText()}");
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>The MPI process helpers of libmicro_coll (rank, size, host, barrier, gather to rank 0, reductions, abort).</summary>
public static class MpiProcess
{
    public static void Init()
    {
        NativeMethods.EnsureResolver();
        var rc = NativeMethods.MpiInit();
        if (rc != 0) throw new CollectiveException(rc, "MPI init: " + NativeMethods.LastErrorText());
    }

    public static int Rank => NativeMethods.MpiRank();
    public static int Size => NativeMethods.MpiSize();
    public static int LocalRank => NativeMethods.MpiLocalRank();

    public static unsafe string Hostname()
    {
        var buf = stackalloc byte[256];
        Check(NativeMethods.Hostname(buf, 256), "hostname");
        return Marshal.PtrToStringUTF8((IntPtr)buf) ?? "";
    }

    public static void Barrier(double timeoutSeconds) => Check(NativeMethods.MpiBarrier(timeoutSeconds), "barrier");

    /// <summary>Rank 0 gets every rank's bytes in rank order (each rank must send the same length); other ranks get null.</summary>
    public static unsafe byte[][]? GatherToRoot(ReadOnlySpan<byte> mine, double timeoutSeconds)
    {
        var root = Rank == 0;
        var all = root ? new byte[mine.Length * Size] : null;
        fixed (byte* s = mine)
        fixed (byte* r = all)
            Check(NativeMethods.MpiGatherBytes(s, mine.Length, r, timeoutSeconds), "gather");
        if (all is null) return null;
        var result = new byte[Size][];
        for (var i = 0; i < result.Length; i++) result[i] = all.AsSpan(i * mine.Length, mine.Length).ToArray();
        return result;
    }

    /// <summary>Gathers one UTF-8 string per rank to rank 0 (lengths exchanged first).</summary>
    public static string[]? GatherStrings(string mine, double timeoutSeconds)
    {
        var bytes = Encoding.UTF8.GetBytes(mine);
        var len = new double[] { bytes.Length };
        AllReduce(len, RedOp.Max, timeoutSeconds);
        var padded = new byte[(int)len[0] + 4];
        BitConverter.GetBytes(bytes.Length).CopyTo(padded, 0);
        bytes.CopyTo(padded, 4);
        return GatherToRoot(padded, timeoutSeconds)?.Select(b => Encoding.UTF8.GetString(b, 4, BitConverter.ToInt32(b, 0))).ToArray();
    }

    public static unsafe void AllReduce(double[] values, RedOp op, double timeoutSeconds)
    {
        fixed (double* p = values) Check(NativeMethods.MpiAllreduceF64(p, values.Length, (int)op, timeoutSeconds), "allreduce");
    }

    public static unsafe void AllReduce(long[] values, RedOp op, double timeoutSeconds)
    {
        fixed (long* p = values) Check(NativeMethods.MpiAllreduceI64(p, values.Length, (int)op, timeoutSeconds), "allreduce");
    }

    /// <summary>Prints the message on stderr and ends every rank of the job with the exit code (MPI_Abort).</summary>
    public static void AbortJob(int code, string message) => NativeMethods.MpiAbort(code, message);

    public static void FinalizeMpi() => NativeMethods.MpiFinalize();

    private static int _atExit;

    /// <summary>mpirun treats a rank that exits without MPI_Finalize as failed: finalize at process exit
    /// (a no-op when already finalized). Communicators must be disposed before then, as `using` does.</summary>
    public static void FinalizeAtExit()
    {
        if (Interlocked.Exchange(ref _atExit, 1) == 0) AppDomain.CurrentDomain.ProcessExit += (_, _) => NativeMethods.MpiFinalize();
    }

    private static void Check(int rc, string what)
    {
        if (rc == CollectiveException.StatusTimedOut) throw new CollectiveException(rc, $"rank {Rank}: MPI {what} timed out: {NativeMethods.LastErrorText()}");
        if (rc != 0) throw new CollectiveException(rc, $"MPI {what}: {NativeMethods.LastErrorText()}");
    }
}

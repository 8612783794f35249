using System.Runtime.InteropServices;
using System.Text;
using Micro.Devices.Native;

namespace Micro.Devices.Collectives;

/// <summary>One rank's communicator over libmicro_coll (rank and size come from MPI: mpirun / srun).</summary>
public sealed class Communicator : IDisposable
{
    private readonly CommunicatorHandle _handle;
    public const int ExpectedAbi = 3;

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

    /// <param name="library">Explicit libnccl.so.2 / librccl.so.1 file or folder (--nccl-path; null: the resolver's search,
    /// MICRO_NCCL_PATH / MICRO_RCCL_PATH first). The runtime (MICRO_CUDART_PATH / MICRO_HIP_PATH) and the CUDA driver are
    /// resolved by <see cref="NativeLibraries"/> too and their paths handed to the shim, so C# and C load the same files.</param>
    /// <param name="device">GPU ordinal; negative: the local rank modulo the visible device count.</param>
    /// <exception cref="CollectiveException">Status <see cref="CollectiveException.StatusNoLibrary"/> with one line when a library is missing.</exception>
    public static Communicator Create(CollectiveBackend backend, string? library, int device, double timeoutSeconds)
    {
        RequireShim();
        string? nccl = null, runtime = null, driver = null;
        if (backend != CollectiveBackend.Mpi)
        {
            var rccl = backend == CollectiveBackend.Rccl;
            nccl = Resolve(NativeLibraries.Load(rccl ? NativeLibraries.Rccl : NativeLibraries.Nccl, library, "--nccl-path"));
            runtime = Resolve(NativeLibraries.Load(rccl ? NativeLibraries.Hip : NativeLibraries.Cudart));
            driver = rccl ? null : NativeLibraries.PathOf(NativeLibraries.Cuda);
        }
        var rc = NativeMethods.Init((int)backend, nccl, runtime, driver, device, timeoutSeconds, out var ptr);
        MpiProcess.FinalizeAtExit();
        if (rc != 0) throw new CollectiveException(rc, $"{CollectiveNames.Of(backend)} init: {NativeMethods.LastErrorText()}");
        return new Communicator(new CommunicatorHandle(ptr), backend, timeoutSeconds);
    }

    private static string Resolve(NativeLibraries.Resolution r) =>
        r.Path ?? throw new CollectiveException(CollectiveException.StatusNoLibrary, r.Why ?? "library not found");

    /// <summary>libmicro_coll loads and is of this build's ABI, or one CollectiveException line says why not.</summary>
    internal static void RequireShim()
    {
        if (!NativeLibraries.TryLoad(NativeLibraries.Coll, out var why)) throw new CollectiveException(CollectiveException.StatusNoLibrary, why);
        // A shim from another build would misread arguments: refuse it with a clear line instead.
        var abi = NativeMethods.AbiVersion();
        if (abi != ExpectedAbi)
            throw new CollectiveException(CollectiveException.StatusNoLibrary, $"{NativeLibraries.PathOf(NativeLibraries.Coll)} has ABI {abi}, this micro needs {ExpectedAbi}: rebuild native/ (scripts/build)");
    }

    /// <summary>The calling thread's last shim error (names rank and the failed call).</summary>
    public static string LastError => NativeMethods.LastErrorText();

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
    /// <summary>ncclCommAbort (GPU) or nothing (MPI); false with the shim's reason when the abort itself failed.</summary>
    public bool TryAbort(out string why)
    {
        var rc = NativeMethods.Abort(_handle.DangerousGetHandle());
        why = rc == 0 ? "" : NativeMethods.LastErrorText();
        return rc == 0;
    }

    /// <summary>
    /// After a watchdog timeout the runner's worker thread may still be inside a call on this communicator: it is
    /// deliberately never destroyed (Dispose becomes a no-op) and leaks until the process, which is ending the job, exits.
    /// </summary>
    public void Abandon()
    {
        _handle.SetHandleAsInvalid();
        MpiProcess.MarkAbandoned();
    }

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
        Communicator.RequireShim();
        var rc = NativeMethods.MpiInit();
        if (rc != 0) throw new CollectiveException(rc, "MPI init: " + NativeMethods.LastErrorText());
    }

    /// <summary>World rank; -1 when MPI could not be initialised or MPI_Comm_rank failed (the shim's last error says why).</summary>
    public static int Rank => NativeMethods.MpiRank();
    /// <summary>World size; -1 when MPI could not be initialised or MPI_Comm_size failed.</summary>
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

    /// <summary>
    /// Waits until every rank has called this (the fleet's "done measuring"), up to the timeout. Rank 0 names the ranks
    /// that did not arrive; the others, which wait <paramref name="graceSeconds"/> longer (rank 1) or twice that, name
    /// rank 0 when it does not answer, so that in the usual case only rank 0 reports.
    /// </summary>
    /// <exception cref="RanksMissingException">The timeout passed; lists the ranks that did not arrive.</exception>
    public static unsafe void Arrive(double timeoutSeconds, double graceSeconds)
    {
        var missing = new int[Math.Max(1, Math.Min(Size, 4096))];
        int n, rc;
        fixed (int* m = missing) rc = NativeMethods.MpiArrive(timeoutSeconds, graceSeconds, m, missing.Length, out n);
        if (rc == CollectiveException.StatusTimedOut) throw new RanksMissingException(missing.Take(Math.Min(n, missing.Length)).ToArray(), n, NativeMethods.LastErrorText());
        Check(rc, "arrive");
    }

    /// <summary>MPI_Finalize (a no-op when MPI was never initialised or is already finalized); false with the reason when it failed.</summary>
    public static bool TryFinalize(out string why)
    {
        why = "";
        // No usable shim: MPI was never initialised through it, so there is nothing to finalize (the reason was told already).
        try { Communicator.RequireShim(); }
        catch (CollectiveException) { return true; }
        var rc = NativeMethods.MpiFinalize();
        why = rc == 0 ? "" : NativeMethods.LastErrorText();
        return rc == 0;
    }

    private static int _atExit;
    private static int _abandoned;

    /// <summary>A communicator was left to a live thread: MPI_Finalize at exit would wait on that thread, so it is skipped.</summary>
    internal static void MarkAbandoned() => Interlocked.Exchange(ref _abandoned, 1);

    /// <summary>mpirun treats a rank that exits without MPI_Finalize as failed: finalize at process exit
    /// (a no-op when already finalized). Communicators must be disposed before then, as `using` does.</summary>
    public static void FinalizeAtExit()
    {
        if (Interlocked.Exchange(ref _atExit, 1) == 0)
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                if (Volatile.Read(ref _abandoned) == 1) return;
                if (NativeMethods.MpiFinalize() != 0) Console.Error.WriteLine($"micro: MPI_Finalize at exit failed: {NativeMethods.LastErrorText()}");
            };
    }

    private static void Check(int rc, string what)
    {
        // The shim's message names the call and the budget; the rank is added once, by whoever reports it.
        if (rc != 0) throw new CollectiveException(rc, $"MPI {what}: {NativeMethods.LastErrorText()}");
    }
}

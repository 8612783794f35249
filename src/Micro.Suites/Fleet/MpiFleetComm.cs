using System.Runtime.InteropServices;
using System.Text;

namespace Micro.Suites.Fleet;

/// <summary>
/// IFleetComm over the MPI helpers of native/collectives (libmicro_coll.so): rank, size, host, and deadline-polled
/// allreduce/gather/barrier, so a rank that never arrives ends the run with a message instead of a hang.
/// The library is loaded explicitly (beside micro, then $MICRO_NATIVE_DIR) so a missing one is a clear error.
/// </summary>
public sealed unsafe class MpiFleetComm : IFleetComm
{
    public const string Shim = "micro_coll";
    private const int MaxOfRedop = 2; // MICRO_COLL_MAX

    private readonly delegate* unmanaged<int> _init;
    private readonly delegate* unmanaged<int> _rank;
    private readonly delegate* unmanaged<int> _size;
    private readonly delegate* unmanaged<int> _localRank;
    private readonly delegate* unmanaged<byte*, int, int> _hostname;
    private readonly delegate* unmanaged<double, int> _barrier;
    private readonly delegate* unmanaged<void*, int, void*, double, int> _gather;
    private readonly delegate* unmanaged<long*, int, int, double, int> _allreduceI64;
    private readonly delegate* unmanaged<byte*> _lastError;
    private readonly delegate* unmanaged<int> _finalize;

    private MpiFleetComm(IntPtr lib)
    {
        _init = (delegate* unmanaged<int>)Export(lib, "micro_coll_mpi_init");
        _rank = (delegate* unmanaged<int>)Export(lib, "micro_coll_mpi_rank");
        _size = (delegate* unmanaged<int>)Export(lib, "micro_coll_mpi_size");
        _localRank = (delegate* unmanaged<int>)Export(lib, "micro_coll_mpi_local_rank");
        _hostname = (delegate* unmanaged<byte*, int, int>)Export(lib, "micro_coll_hostname");
        _barrier = (delegate* unmanaged<double, int>)Export(lib, "micro_coll_mpi_barrier");
        _gather = (delegate* unmanaged<void*, int, void*, double, int>)Export(lib, "micro_coll_mpi_gather_bytes");
        _allreduceI64 = (delegate* unmanaged<long*, int, int, double, int>)Export(lib, "micro_coll_mpi_allreduce_i64");
        _lastError = (delegate* unmanaged<byte*>)Export(lib, "micro_coll_last_error");
        _finalize = (delegate* unmanaged<int>)Export(lib, "micro_coll_mpi_finalize");

        Check(_init(), "MPI init");
        Rank = _rank();
        Size = _size();
        LocalRank = _localRank();
        if (Rank < 0 || Size < 1) throw new FleetCommException($"MPI did not give a rank ({Rank}) and size ({Size})");
        var buf = stackalloc byte[256];
        Check(_hostname(buf, 256), "hostname");
        Host = Marshal.PtrToStringUTF8((IntPtr)buf) ?? Environment.MachineName;
    }

    public int Rank { get; }
    public int Size { get; }
    public int LocalRank { get; }
    public string Host { get; }

    /// <summary>Loads libmicro_coll and initialises MPI; throws FleetCommException with the reason when it cannot.</summary>
    public static MpiFleetComm Open()
    {
        var path = Locate() ?? throw new FleetCommException($"--fleet needs MPI through lib{Shim}.so, not found beside micro or in $MICRO_NATIVE_DIR; build it with ./scripts/build");
        IntPtr lib;
        try { lib = NativeLibrary.Load(path); }
        catch (DllNotFoundException e) { throw new FleetCommException($"cannot load {path}: {e.Message}"); }
        return new MpiFleetComm(lib);
    }

    public long AllReduceMax(long value, TimeSpan timeout)
    {
        var v = value;
        Check(_allreduceI64(&v, 1, MaxOfRedop, timeout.TotalSeconds), "allreduce (max)");
        return v;
    }

    public byte[]? GatherFixed(byte[] mine, TimeSpan timeout)
    {
        var recv = Rank == 0 ? new byte[checked(mine.Length * Size)] : null;
        fixed (byte* s = mine)
        fixed (byte* r = recv)
            Check(_gather(s, mine.Length, r, timeout.TotalSeconds), "gather");
        return recv;
    }

    public void Barrier(TimeSpan timeout) => Check(_barrier(timeout.TotalSeconds), "barrier");

    public void Dispose() => _finalize();

    private void Check(int rc, string what)
    {
        if (rc == 0) return;
        var msg = Marshal.PtrToStringUTF8((IntPtr)_lastError()) ?? "";
        throw new FleetCommException($"fleet {what} failed on rank {(Rank >= 0 ? Rank : -1)}: {(msg.Length > 0 ? msg : "status " + rc)}");
    }

    private static string? Locate()
    {
        var dirs = new[] { AppContext.BaseDirectory, Environment.GetEnvironmentVariable("MICRO_NATIVE_DIR") };
        return dirs.Where(d => !string.IsNullOrEmpty(d)).Select(d => Path.Combine(d!, $"lib{Shim}.so")).FirstOrDefault(File.Exists);
    }

    private static IntPtr Export(IntPtr lib, string name) =>
        NativeLibrary.TryGetExport(lib, name, out var p) ? p : throw new FleetCommException($"libmicro_coll.so lacks {name} (an older build? run ./scripts/build)");
}

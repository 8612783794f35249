namespace Micro.Devices.Collectives;

/// <summary>Values match enum micro_coll_backend.</summary>
public enum CollectiveBackend { Mpi = 0, Nccl = 1, Rccl = 2 }

/// <summary>Values match enum micro_coll_op.</summary>
public enum CollectiveOp { AllReduce = 0, AllGather = 1, ReduceScatter = 2, Broadcast = 3, Reduce = 4, AllToAll = 5, SendRecv = 6 }

/// <summary>Values match enum micro_coll_dtype.</summary>
public enum CollectiveDType { Int32 = 0, Float = 1, Half = 2, BFloat16 = 3 }

/// <summary>Values match enum micro_coll_redop (and ncclRedOp_t: Avg is ncclAvg, NCCL 2.10+ and RCCL; MPI has none).</summary>
public enum RedOp { Sum = 0, Prod = 1, Max = 2, Min = 3, Avg = 4 }

public static class CollectiveNames
{
    public static string Of(CollectiveOp op) => op switch
    {
        CollectiveOp.AllReduce => "all_reduce", CollectiveOp.AllGather => "all_gather", CollectiveOp.ReduceScatter => "reduce_scatter",
        CollectiveOp.Broadcast => "broadcast", CollectiveOp.Reduce => "reduce", CollectiveOp.AllToAll => "alltoall", _ => "sendrecv",
    };

    /// <summary>nccl-tests' type names in the table.</summary>
    public static string Of(CollectiveDType t) => t switch
    {
        CollectiveDType.Int32 => "int32", CollectiveDType.Float => "float", CollectiveDType.Half => "half", _ => "bfloat16",
    };

    public static string Of(RedOp r) => r.ToString().ToLowerInvariant();
    public static string Of(CollectiveBackend b) => b.ToString().ToLowerInvariant();

    public static int SizeOf(CollectiveDType t) => t is CollectiveDType.Half or CollectiveDType.BFloat16 ? 2 : 4;

    public static bool TryParseOp(string s, out CollectiveOp op)
    {
        foreach (var o in Enum.GetValues<CollectiveOp>())
            if (string.Equals(Of(o), s, StringComparison.OrdinalIgnoreCase) || string.Equals(Of(o).Replace("_", ""), s.Replace("_", ""), StringComparison.OrdinalIgnoreCase))
            { op = o; return true; }
        op = default;
        return false;
    }

    public static bool TryParseDType(string s, out CollectiveDType t)
    {
        switch (s.ToLowerInvariant())
        {
            case "float" or "float32" or "f32": t = CollectiveDType.Float; return true;
            case "half" or "float16" or "f16": t = CollectiveDType.Half; return true;
            case "bfloat16" or "bf16": t = CollectiveDType.BFloat16; return true;
            case "int32" or "int" or "i32": t = CollectiveDType.Int32; return true;
            default: t = default; return false;
        }
    }

    public static bool TryParseRedOp(string s, out RedOp r) => Enum.TryParse(s, ignoreCase: true, out r) && Enum.IsDefined(r);

    public static bool TryParseBackend(string s, out CollectiveBackend b) => Enum.TryParse(s, ignoreCase: true, out b) && Enum.IsDefined(b);
}

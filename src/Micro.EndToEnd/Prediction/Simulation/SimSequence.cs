namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>One request inside the simulation: its lengths, progress, KV held and the times the client sees.</summary>
internal sealed class SimSequence
{
    public int Id, Prompt, Output, Computed, Generated, AllocBlocks;
    public double Arrival, Send, First, Last, Alloc;
    /// <summary>When the front-end handed the request to the engine, and when the engine first scheduled it (-1: not yet): TTFT's parts.</summary>
    public double Ready = -1, Scheduled = -1;
    /// <summary>When the client gives up (Send + timeout); infinity without a timeout.</summary>
    public double Deadline = double.PositiveInfinity;
    public long LastStep = -2;
    /// <summary>The trace's prefix hashes, one per HashBlockTokens tokens of the prompt; null when it has none.</summary>
    public int[]? HashIds;
    public int HashBlockTokens;
    /// <summary>Prefix-cache keys of the prompt's full KV blocks (computed on first use, dropped when the request leaves).</summary>
    public ulong[]? BlockKeys;
    /// <summary>Leading KV blocks held in the prefix cache (shared, counted there, not in Alloc).</summary>
    public int SharedBlocks;
    /// <summary>Whether SharedBlocks are referenced in the cache (false while an admission is only being tried).</summary>
    public bool SharedHeld;
    /// <summary>Of the SharedBlocks an admission is trying, how many are unreferenced (evictable until it commits).</summary>
    public int PendingIdle;
    /// <summary>Whether the prompt's full blocks have been offered to the prefix cache.</summary>
    public bool Registered;
    /// <summary>Tokens whose KV must exist before the next sample: the prompt plus every generated token.</summary>
    public int Tokens => Prompt + Generated;
}

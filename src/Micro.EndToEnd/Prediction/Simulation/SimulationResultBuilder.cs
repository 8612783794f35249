namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>Collects what the client sees of each finished request, the dropped and rejected ones, and the engine's totals, into a SimulationResult.</summary>
internal sealed class SimulationResultBuilder(int n, bool keepItlSamples = true)
{
    private readonly List<double> _ttft = new(n), _tpot = new(n), _tpotAll = new(n), _e2el = new(n), _send = new(n), _dropSend = [], _rejectSend = [];
    private readonly List<int> _outputs = new(n);
    private long _in, _out;
    public int Completed, Dropped, Rejected, FrontendSaturated;
    private double _frontend, _queue, _prefill;
    public double Duration, InFlightSeconds;
    public readonly WeightedSamples Itl = new() { KeepsPairs = keepItlSamples };

    /// <summary>Requests that have left the system: served, dropped or rejected.</summary>
    public int Finished => Completed + Dropped + Rejected;

    public void Record(SimSequence s)
    {
        Completed++;
        _in += s.Prompt;
        _out += s.Output;
        var ttft = s.First - s.Send;
        var e2el = s.Last - s.Send;
        _ttft.Add(ttft * 1e3);
        _e2el.Add(e2el * 1e3);
        var tpot = s.Output > 1 ? (e2el - ttft) / (s.Output - 1) * 1e3 : 0;
        if (s.Output > 1) _tpot.Add(tpot);
        _tpotAll.Add(tpot);
        _send.Add(s.Send);
        _outputs.Add(s.Output);
        var ready = s.Ready >= 0 ? s.Ready : s.Send;
        var scheduled = s.Scheduled >= 0 ? Math.Max(s.Scheduled, ready) : ready;
        _frontend += ready - s.Send;
        _queue += scheduled - ready;
        _prefill += s.First - scheduled;
        s.BlockKeys = null;
    }

    /// <summary>The client gave up (timeout): never served, whatever the engine did for it.</summary>
    public void Drop(SimSequence s)
    {
        Dropped++;
        _dropSend.Add(s.Send);
        s.BlockKeys = null;
    }

    /// <summary>Refused at admission (queue limit, or too long for the KV cache).</summary>
    public void Reject(SimSequence s)
    {
        Rejected++;
        _rejectSend.Add(s.Send);
    }

    public SimulationResult Build(IReadOnlyList<EngineReplica> decode, IReadOnlyList<EngineReplica> prefill)
    {
        var steps = decode.Sum(r => r.Steps);
        var cost = decode.Aggregate(default(StepCost), (a, r) => a + r.CostSum);
        var caches = decode.Select(r => r.Kv.Cache).OfType<PrefixCache>().ToList();
        var queried = caches.Sum(c => c.QueriedTokens);
        return new SimulationResult
        {
            Completed = Completed, Duration = Duration, TotalInputTokens = _in, TotalOutputTokens = _out,
            TtftMs = [.. _ttft], TpotMs = [.. _tpot], TpotPerRequestMs = [.. _tpotAll], E2elMs = [.. _e2el], Itl = Itl,
            DecodeSteps = steps, MeanStep = steps > 0 ? cost.Scale(1.0 / steps) : default,
            MeanDecodeBatch = steps > 0 ? (double)decode.Sum(r => r.DecodeTokens) / steps : 0,
            Preemptions = decode.Sum(r => r.Scheduler.Preemptions) + prefill.Sum(r => r.Scheduler.Preemptions),
            FrontendSaturated = FrontendSaturated,
            MaxRunning = decode.Max(r => r.Scheduler.MaxRunning),
            MeanInFlight = Duration > 0 ? InFlightSeconds / Duration : 0,
            PeakKvFraction = decode.Max(r => r.Kv.Peak / Math.Max(1, r.Spec.KvCapacityBytesPerGpu)),
            SendSeconds = [.. _send], OutputTokens = [.. _outputs], Dropped = Dropped, Rejected = Rejected,
            DroppedSendSeconds = [.. _dropSend], RejectedSendSeconds = [.. _rejectSend],
            BusySeconds = cost.Total + prefill.Sum(r => r.CostSum.Total), Replicas = decode.Count + prefill.Count,
            PrefixCacheHitRate = queried > 0 ? (double)caches.Sum(c => c.HitTokens) / queried : null,
            PrefixCacheHitTokens = caches.Sum(c => c.HitTokens),
            MeanTtftParts = Completed > 0 ? new TtftParts(_frontend / Completed * 1e3, _queue / Completed * 1e3, _prefill / Completed * 1e3) : null,
        };
    }
}

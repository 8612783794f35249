using Micro.Core.Results;
using Micro.EndToEnd.Prediction.Simulation;

namespace Micro.EndToEnd.Prediction;

/// <summary>One pool of identical engine replicas: the step model, how many replicas, KV capacity per GPU, scheduler limits.</summary>
public sealed record PoolSpec(StepTimeModel Model, int Replicas, double KvCapacityBytesPerGpu, SchedulerConfig Scheduler);

/// <summary>
/// The event loop of a discrete-event simulation of vLLM v1-like serving (Vidur's shape): the client sends requests,
/// the front-end delays them, a least-loaded balancer hands them to replicas (Simulation/EngineReplica), each of which
/// runs steps back to back while it has work, its batch picked by the scheduling policy (Simulation/VllmScheduler)
/// within the KV blocks its block manager holds (Simulation/KvBlockManager), each step priced by the step-time model.
/// Disaggregated: prefill replicas compute the prompt; the decode replica's next step schedules the KV load, the KV
/// crosses the link the pools share (KvTransferLink), and the first step after it has arrived emits the first token
/// the client sees (vLLM v1's WAITING_FOR_REMOTE_KVS). Before its prefill, every request spends the front-end work prefill_overhead_ms,
/// stretched by the front-end's share of time spent streaming tokens.
/// The client is `vllm bench serve`: arrivals (all at 0 for rate inf) capped by max-concurrency.
/// </summary>
public sealed class ServingSimulator
{
    private readonly PoolSpec _decode;
    private readonly PoolSpec? _prefill;
    private readonly double _kvTransferGBps;

    /// <param name="kvTransfer">Disaggregated only, and then required: the link the KV crosses between the pools.</param>
    public ServingSimulator(PoolSpec decodeOrAggregated, PoolSpec? prefill = null, KvTransferLink? kvTransfer = null)
    {
        if (prefill is not null && kvTransfer is null) throw new ArgumentNullException(nameof(kvTransfer), "a prefill pool needs the link its KV crosses");
        _decode = decodeOrAggregated;
        _prefill = prefill;
        _kvTransferGBps = kvTransfer?.GBps ?? 0;
    }

    /// <summary>
    /// Run stretches of pure decode steps (nothing can join, leave or be preempted before the next event elsewhere)
    /// without per-sequence work per step. Exact: the same steps, costs and samples as stepping one by one (tests
    /// compare the two); off only to check that.
    /// </summary>
    public bool FastForward { get; init; } = true;

    /// <summary>Whether the inter-token gaps are kept for percentiles (else only their mean and spread).</summary>
    public bool KeepItlSamples { get; init; } = true;

    public SimulationResult Run(LoadShape load, LengthSampler lengths)
    {
        var seqs = Requests(load, lengths);
        var n = seqs.Length;
        var tooLong = new HashSet<int>();
        foreach (var s in seqs)
            if (!Fits(s))
            {
                // A synthetic load that cannot fit is a wrong flag; a trace's request is refused as vLLM would.
                if (load.Trace is null) ThrowTooLong(s);
                tooLong.Add(s.Id);
            }
        var decode = Enumerable.Range(0, _decode.Replicas).Select(_ => new EngineReplica(_decode, load.PrefixCaching)).ToArray();
        var prefill = _prefill is null ? [] : Enumerable.Range(0, _prefill.Replicas).Select(_ => new EngineReplica(_prefill, load.PrefixCaching) { IsPrefillOnly = true }).ToArray();
        var all = decode.Concat(prefill).ToArray();
        var pending = new PriorityQueue<(SimSequence Seq, EngineReplica? To), (double, int)>();
        var cap = load.Concurrency ?? int.MaxValue;
        var timeout = load.TimeoutSeconds ?? double.PositiveInfinity;
        var prefillOverhead = _decode.Model.Parameters.PrefillOverheadSeconds;
        var frontendPerToken = _decode.Model.Parameters.FrontendSecondsPerToken;
        var stream = new TokenStream();
        var result = new SimulationResultBuilder(n, KeepItlSamples);
        var aborted = new List<SimSequence>();
        int next = 0, inFlight = 0, order = 0;
        var now = 0.0;
        while (result.Finished < n)
        {
            while (next < n && inFlight < cap && seqs[next].Arrival <= now)
            {
                var s = seqs[next++];
                s.Send = now;
                s.Deadline = now + timeout;
                inFlight++;
                if (tooLong.Count > 0 && tooLong.Contains(s.Id))
                {
                    inFlight--;
                    result.Reject(s);
                    continue;
                }
                var (delay, saturated) = FrontendDelay(prefillOverhead, frontendPerToken, stream, now);
                if (saturated) result.FrontendSaturated++;
                pending.Enqueue((s, null), (now + delay, order++));
            }
            while (pending.TryPeek(out var e, out var due) && due.Item1 <= now)
            {
                pending.Dequeue();
                if (e.To is { } target) target.EnqueueDecodeLeg(e.Seq);
                else if (e.Seq.Deadline <= now) { inFlight--; result.Drop(e.Seq); }
                else
                {
                    e.Seq.Ready = now;
                    if (!Dispatch(_prefill is null ? decode : prefill, e.Seq, load.MaxQueue)) { inFlight--; result.Reject(e.Seq); }
                }
            }
            if (load.TimeoutSeconds is not null)
                foreach (var r in all)
                {
                    if (r.Busy) continue;
                    aborted.Clear();
                    r.Scheduler.Abort(now, aborted);
                    foreach (var s in aborted) { inFlight--; result.Drop(s); }
                }
            foreach (var r in all) if (!r.Busy && r.HasWork) r.Start(now);
            if (FastForward)
            {
                // Nothing reaches a replica before the next arrival, hand-off, or another replica's step end (or a client gives up).
                var events = next < n && inFlight < cap ? Math.Max(seqs[next].Arrival, now) : double.PositiveInfinity;
                if (pending.TryPeek(out _, out var due0)) events = Math.Min(events, due0.Item1);
                // The two earliest step ends, taken before any replica moves on (a step end only grows, so an earlier
                // horizon is still safe, and fast-forwarding is exact for any horizon): O(replicas), not O(replicas^2).
                EngineReplica? first = null;
                double end1 = double.PositiveInfinity, end2 = double.PositiveInfinity;
                foreach (var o in all)
                {
                    if (!o.Busy) continue;
                    if (o.StepEnd < end1) { end2 = end1; end1 = o.StepEnd; first = o; }
                    else if (o.StepEnd < end2) end2 = o.StepEnd;
                }
                foreach (var r in all)
                {
                    if (!r.Busy || r.IsPrefillOnly) continue;
                    var horizon = Math.Min(events, r == first ? end2 : end1);
                    if (load.TimeoutSeconds is not null) horizon = Math.Min(horizon, r.Scheduler.EarliestDeadline());
                    r.FastForward(horizon, stream, prefillOverhead, result);
                }
            }
            var tNext = double.PositiveInfinity;
            if (next < n && inFlight < cap) tNext = Math.Max(seqs[next].Arrival, now);
            if (pending.TryPeek(out _, out var d)) tNext = Math.Min(tNext, d.Item1);
            foreach (var r in all) if (r.Busy) tNext = Math.Min(tNext, r.StepEnd);
            if (double.IsPositiveInfinity(tNext) && result.Finished == n) break;
            if (double.IsPositiveInfinity(tNext)) throw new InvalidOperationException($"simulation stalled with requests outstanding (served {result.Completed}, dropped {result.Dropped}, rejected {result.Rejected}, sent {next} of {n}, in flight {inFlight}, pending {pending.Count}, queued {all.Sum(r => r.Load)})");
            result.InFlightSeconds += inFlight * (tNext - now);
            now = tNext;
            foreach (var r in all)
            {
                if (!r.Busy || r.StepEnd > now) continue;
                if (r.Spec != _prefill) stream.Emit(now, r.Emitted, r.StepSeconds, prefillOverhead);
                foreach (var done in r.Finish(result))
                {
                    if (r.Spec == _prefill)
                    {
                        // vLLM v1 remote prefill: the decode replica's next step schedules the KV load (blocks
                        // allocated, WAITING_FOR_REMOTE_KVS), the per-GPU bytes then cross the pools' link, and the
                        // request is scheduled at the first step boundary after they have arrived.
                        var transfer = _kvTransferGBps > 0 ? _prefill.Model.Kv.Bytes(done.Prompt) / (_kvTransferGBps * 1e9) : 0;
                        var target = LeastLoaded(decode);
                        var loadStart = target.Busy ? target.StepEnd : now;
                        target.Incoming++;
                        pending.Enqueue((done, target), (loadStart + transfer, order++));
                    }
                    else
                    {
                        inFlight--;
                        // The client gone before the last token: the work was done, but nobody was served.
                        if (done.Last > done.Deadline) result.Drop(done);
                        else result.Record(done);
                    }
                }
            }
        }
        result.Duration = now;
        return result.Build(decode, prefill);
    }

    /// <summary>The requests in arrival order: a trace's, or `vllm bench serve`'s (lengths drawn, then gamma gaps at the rate; all at 0 for rate inf).</summary>
    private static SimSequence[] Requests(LoadShape load, LengthSampler lengths)
    {
        if (load.Trace is { } trace)
        {
            if (trace.Requests.Count == 0) throw new InputException(trace.Source, null, "holds no request");
            return trace.Requests.Select((q, i) => new SimSequence
            {
                Id = i, Prompt = Math.Max(1, q.InputTokens), Output = Math.Max(1, q.OutputTokens), Arrival = q.ArrivalSeconds,
                HashIds = q.HashIds is { Length: > 0 } ? q.HashIds : null, HashBlockTokens = trace.HashBlockTokens,
            }).ToArray();
        }
        if (load.NumPrompts < 1) throw new InputException("--num-prompts", load.NumPrompts.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1");
        var rng = new Random(load.Seed);
        var seqs = new SimSequence[load.NumPrompts];
        double t = 0;
        for (var i = 0; i < seqs.Length; i++)
        {
            var (isl, osl) = lengths.Draw(rng);
            seqs[i] = new SimSequence { Id = i, Prompt = isl, Output = osl };
            if (load.RequestRate is { } rate)
            {
                if (i > 0) t += Gamma(rng, load.Burstiness) / (rate * load.Burstiness);
                seqs[i].Arrival = t;
            }
        }
        return seqs;
    }

    private bool Fits(SimSequence s) =>
        (_prefill is null ? [_decode] : new[] { _decode, _prefill }).All(pool => pool.Model.Kv.Bytes(s.Prompt + s.Output) <= pool.KvCapacityBytesPerGpu);

    private void ThrowTooLong(SimSequence s)
    {
        var pool = _decode.Model.Kv.Bytes(s.Prompt + s.Output) > _decode.KvCapacityBytesPerGpu ? _decode : _prefill!;
        var need = pool.Model.Kv.Bytes(s.Prompt + s.Output);
        throw new InputException("--isl/--osl", $"{s.Prompt}+{s.Output}",
            $"one sequence needs {need / 1e9:0.###} GB of KV per GPU but the KV cache holds {pool.KvCapacityBytesPerGpu / 1e9:0.###} GB at this TP and --gpu-memory-utilization");
    }

    /// <summary>Front-end utilization above which it is treated as saturated (its backlog then grows without bound).</summary>
    public const double MaxFrontendUtilization = 0.95;

    /// <summary>
    /// A request's front-end work under processor sharing with the token stream: the front-end is busy X*t of the
    /// time (X the output tokens/s streamed over the last stretch as long as the work itself, t its time per token),
    /// so the work takes 1/(1-X*t) longer.
    /// </summary>
    private static (double Seconds, bool Saturated) FrontendDelay(double work, double perToken, TokenStream stream, double now)
    {
        if (work <= 0 || perToken <= 0) return (work, false);
        var load = stream.Rate(now, work) * perToken;
        var rho = Math.Min(MaxFrontendUtilization, load);
        return (work / (1 - rho), load >= MaxFrontendUtilization);
    }

    private static EngineReplica LeastLoaded(EngineReplica[] pool)
    {
        var best = pool[0];
        foreach (var r in pool) if (r.Load < best.Load) best = r;
        return best;
    }

    /// <summary>The balancer hands the request to the least-loaded replica; false when that one's queue is at the admission limit.</summary>
    private static bool Dispatch(EngineReplica[] pool, SimSequence s, int? maxQueue)
    {
        var target = LeastLoaded(pool);
        if (maxQueue is { } q && target.Scheduler.WaitingCount >= q) return false;
        target.Enqueue(s);
        return true;
    }

    /// <summary>Marsaglia-Tsang gamma(shape, 1) sample (shape &lt; 1 boosted), as numpy's gamma draws for vLLM's arrivals.</summary>
    private static double Gamma(Random rng, double shape)
    {
        if (shape < 1) return Gamma(rng, shape + 1) * Math.Pow(rng.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                var u1 = 1 - rng.NextDouble();
                var u2 = rng.NextDouble();
                x = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            var u = rng.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }
}

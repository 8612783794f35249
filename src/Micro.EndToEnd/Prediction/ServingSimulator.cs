using Micro.Core.Results;

namespace Micro.EndToEnd.Prediction;

/// <summary>One pool of identical engine replicas: the step model, how many replicas, KV capacity per GPU, scheduler limits.</summary>
public sealed record PoolSpec(StepTimeModel Model, int Replicas, double KvCapacityBytesPerGpu, SchedulerConfig Scheduler);

/// <summary>
/// A discrete-event simulation of vLLM v1-like continuous batching driven by the step-time model. Each replica runs
/// steps back to back while it has work; a step first serves the running requests in order (a decode takes one token,
/// an unfinished prefill a chunk of the remaining token budget), then admits waiting requests FCFS while
/// max_num_seqs, the max_num_batched_tokens budget and the KV blocks allow (chunked prefill mixes with decodes). When
/// a running request needs a block and none is free, the most recently admitted one is preempted (vLLM v1: recompute)
/// and goes back to the front of the queue. Disaggregated: prefill replicas compute the prompt; the decode replica's
/// next step schedules the KV load, the KV crosses the interconnect, and the first step after it has arrived emits
/// the first token the client sees (vLLM v1's WAITING_FOR_REMOTE_KVS). Before its prefill, every request spends the
/// front-end work prefill_overhead_ms, stretched by the front-end's share of time spent streaming tokens.
/// The client is `vllm bench serve`: arrivals (all at 0 for rate inf) capped by max-concurrency.
/// </summary>
public sealed class ServingSimulator
{
    private readonly PoolSpec _decode;
    private readonly PoolSpec? _prefill;

    public ServingSimulator(PoolSpec decodeOrAggregated, PoolSpec? prefill = null)
    {
        _decode = decodeOrAggregated;
        _prefill = prefill;
    }

    /// <summary>
    /// Run stretches of pure decode steps (nothing can join, leave or be preempted before the next event elsewhere)
    /// without per-sequence work per step. Exact: the same steps, costs and samples as stepping one by one (tests
    /// compare the two); off only to check that.
    /// </summary>
    public bool FastForward { get; init; } = true;

    public SimulationResult Run(LoadShape load, LengthSampler lengths)
    {
        if (load.NumPrompts < 1) throw new InputException("--num-prompts", load.NumPrompts.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1");
        var rng = new Random(load.Seed);
        var n = load.NumPrompts;
        var seqs = new Seq[n];
        var arrivals = new double[n];
        double t = 0;
        for (var i = 0; i < n; i++)
        {
            var (isl, osl) = lengths.Draw(rng);
            seqs[i] = new Seq { Id = i, Prompt = isl, Output = osl };
            if (load.RequestRate is { } rate)
            {
                if (i > 0) t += Gamma(rng, load.Burstiness) / (rate * load.Burstiness);
                arrivals[i] = t;
            }
        }
        foreach (var s in seqs) CheckFits(s);
        var decode = Enumerable.Range(0, _decode.Replicas).Select(_ => new Replica(_decode)).ToArray();
        var prefill = _prefill is null ? [] : Enumerable.Range(0, _prefill.Replicas).Select(_ => new Replica(_prefill) { IsPrefillOnly = true }).ToArray();
        var all = decode.Concat(prefill).ToArray();
        var pending = new PriorityQueue<(Seq Seq, Replica? To), (double, int)>();
        var cap = load.Concurrency ?? int.MaxValue;
        var prefillOverhead = _decode.Model.Parameters.PrefillOverheadSeconds;
        var frontendPerToken = _decode.Model.Parameters.FrontendSecondsPerToken;
        var stream = new TokenStream();
        var result = new ResultBuilder(n);
        int next = 0, inFlight = 0, order = 0;
        var now = 0.0;
        while (result.Completed < n)
        {
            while (next < n && inFlight < cap && arrivals[next] <= now)
            {
                var s = seqs[next++];
                s.Send = now;
                inFlight++;
                var (delay, saturated) = FrontendDelay(prefillOverhead, frontendPerToken, stream, now);
                if (saturated) result.FrontendSaturated++;
                pending.Enqueue((s, null), (now + delay, order++));
            }
            while (pending.TryPeek(out var e, out var due) && due.Item1 <= now)
            {
                pending.Dequeue();
                if (e.To is { } target) target.EnqueueDecodeLeg(e.Seq);
                else Dispatch(_prefill is null ? decode : prefill, e.Seq);
            }
            foreach (var r in all) if (!r.Busy && r.HasWork) r.Start(now);
            if (FastForward)
            {
                // Nothing reaches a replica before the next arrival, hand-off, or another replica's step end.
                var events = next < n && inFlight < cap ? Math.Max(arrivals[next], now) : double.PositiveInfinity;
                if (pending.TryPeek(out _, out var due0)) events = Math.Min(events, due0.Item1);
                foreach (var r in all)
                {
                    if (!r.Busy || r.IsPrefillOnly) continue;
                    var horizon = events;
                    foreach (var o in all) if (o != r && o.Busy) horizon = Math.Min(horizon, o.StepEnd);
                    r.FastForward(horizon, stream, prefillOverhead, result);
                }
            }
            var tNext = double.PositiveInfinity;
            if (next < n && inFlight < cap) tNext = Math.Max(arrivals[next], now);
            if (pending.TryPeek(out _, out var d)) tNext = Math.Min(tNext, d.Item1);
            foreach (var r in all) if (r.Busy) tNext = Math.Min(tNext, r.StepEnd);
            if (double.IsPositiveInfinity(tNext)) throw new InvalidOperationException("simulation stalled with requests outstanding");
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
                        // allocated, WAITING_FOR_REMOTE_KVS), the per-GPU bytes then cross the interconnect, and the
                        // request is scheduled at the first step boundary after they have arrived.
                        var bw = _prefill.Model.Device.InterconnectGBps.Value;
                        var transfer = bw > 0 ? _prefill.Model.Kv.Bytes(done.Prompt) / (bw * 1e9) : 0;
                        var target = LeastLoaded(decode);
                        var loadStart = target.Busy ? target.StepEnd : now;
                        target.Incoming++;
                        pending.Enqueue((done, target), (loadStart + transfer, order++));
                    }
                    else
                    {
                        inFlight--;
                        result.Record(done);
                    }
                }
            }
        }
        result.Duration = now;
        return result.Build(decode, prefill);
    }

    private void CheckFits(Seq s)
    {
        foreach (var pool in _prefill is null ? [_decode] : new[] { _decode, _prefill })
        {
            var need = pool.Model.Kv.Bytes(s.Prompt + s.Output);
            if (need > pool.KvCapacityBytesPerGpu)
                throw new InputException("--isl/--osl", $"{s.Prompt}+{s.Output}",
                    $"one sequence needs {need / 1e9:0.###} GB of KV per GPU but the KV cache holds {pool.KvCapacityBytesPerGpu / 1e9:0.###} GB at this TP and --gpu-memory-utilization");
        }
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

    /// <summary>Output tokens/s the clients receive, smoothed exponentially over a window (the front-end's backlog integrates it).</summary>
    internal sealed class TokenStream
    {
        private double _weighted, _at;

        /// <summary>A step of `seconds` ending now emitted `tokens`: its rate over the step joins the average.</summary>
        public void Emit(double now, int tokens, double seconds, double window)
        {
            if (tokens == 0 || window <= 0 || seconds <= 0) return;
            _weighted = _weighted * Math.Exp(-(now - _at) / window) + tokens / seconds * (1 - Math.Exp(-seconds / window));
            _at = now;
        }

        public double Rate(double now, double window) => _weighted * Math.Exp(-(now - _at) / window);
    }

    private static Replica LeastLoaded(Replica[] pool)
    {
        var best = pool[0];
        foreach (var r in pool) if (r.Load < best.Load) best = r;
        return best;
    }

    private static void Dispatch(Replica[] pool, Seq s) => LeastLoaded(pool).Enqueue(s);

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

    internal sealed class Seq
    {
        public int Id, Prompt, Output, Computed, Generated, AllocBlocks;
        public double Send, First, Last, Alloc;
        public long LastStep = -2;
        /// <summary>Tokens whose KV must exist before the next sample: the prompt plus every generated token.</summary>
        public int Tokens => Prompt + Generated;
    }

    internal sealed class Replica(PoolSpec spec)
    {
        private readonly List<Seq> _running = [];
        private readonly LinkedList<Seq> _waiting = new();
        private readonly List<(Seq Seq, int Tokens)> _scheduled = [];
        private double _used;
        private long _step;
        private double _stepStart;

        public PoolSpec Spec { get; } = spec;
        public bool Busy { get; private set; }
        public double StepEnd { get; private set; }
        public bool HasWork => _running.Count > 0 || _waiting.Count > 0;
        public double StepSeconds => StepEnd - _stepStart;
        /// <summary>Tokens the step now running emits to clients when it ends.</summary>
        public int Emitted { get; private set; }
        public int Load => _running.Count + _waiting.Count + Incoming;
        /// <summary>Requests whose KV is on its way from the prefill pool to this replica.</summary>
        public int Incoming;
        public long Steps => _step;
        public long Preemptions { get; private set; }
        public StepCost CostSum { get; private set; }
        public long DecodeTokens { get; private set; }
        public int MaxRunning { get; private set; }
        public double PeakKvBytes { get; private set; }

        public void Enqueue(Seq s) => _waiting.AddLast(s);

        /// <summary>A request whose prompt KV has arrived: it recomputes its last position to sample the first token.</summary>
        public void EnqueueDecodeLeg(Seq s)
        {
            Incoming--;
            s.Generated = 0;
            s.Computed = s.Prompt - 1;
            _waiting.AddLast(s);
        }

        /// <summary>KV bytes of whole blocks holding `tokens`; recomputed only when the block count changes.</summary>
        private double Need(Seq s, int tokens)
        {
            var bs = Spec.Scheduler.BlockSize;
            var blocks = (tokens + bs - 1) / bs;
            if (blocks == s.AllocBlocks && s.Alloc > 0) return s.Alloc;
            s.AllocBlocks = blocks;
            return Spec.Model.Kv.Bytes(blocks * (double)bs);
        }

        public void Start(double now)
        {
            var cfg = Spec.Scheduler;
            var budget = cfg.MaxNumBatchedTokens;
            var capacity = Spec.KvCapacityBytesPerGpu;
            _scheduled.Clear();
            var preempted = false;
            for (var i = 0; i < _running.Count && budget > 0; i++)
            {
                var s = _running[i];
                var n = Math.Min(s.Tokens - s.Computed, budget);
                var need = Need(s, s.Computed + n);
                while (_used - s.Alloc + need > capacity)
                {
                    var victim = _running[^1];
                    _running.RemoveAt(_running.Count - 1);
                    _used -= victim.Alloc;
                    victim.Alloc = 0;
                    victim.Computed = 0;
                    _waiting.AddFirst(victim);
                    Preemptions++;
                    preempted = true;
                    if (victim == s) break;
                }
                if (i >= _running.Count || _running[i] != s) break;
                _used += need - s.Alloc;
                s.Alloc = need;
                _scheduled.Add((s, n));
                budget -= n;
            }
            while (!preempted && budget > 0 && _waiting.Count > 0 && _running.Count < cfg.MaxNumSeqs)
            {
                var s = _waiting.First!.Value;
                var n = Math.Min(s.Tokens - s.Computed, budget);
                var need = Need(s, s.Computed + n);
                if (_used + need > capacity) break;
                _waiting.RemoveFirst();
                _running.Add(s);
                _used += need;
                s.Alloc = need;
                _scheduled.Add((s, n));
                budget -= n;
            }
            PeakKvBytes = Math.Max(PeakKvBytes, _used);
            MaxRunning = Math.Max(MaxRunning, _running.Count);
            int decodeSeqs = 0, prefillTokens = 0, prefillSeqs = 0, sampled = 0, longest = 0;
            double kv = 0, ctx = 0, pairs = 0;
            var layout = Spec.Model.Kv;
            foreach (var (s, n) in _scheduled)
            {
                if (n == 1 && s.Computed > 0)
                {
                    decodeSeqs++;
                    if (!layout.Linear) kv += layout.Bytes(s.Computed);
                    ctx += s.Computed;
                }
                else
                {
                    prefillTokens += n;
                    prefillSeqs++;
                    if (s.Computed > 0) kv += layout.Bytes(s.Computed);
                    pairs += layout.ChunkPairs(s.Computed, n);
                    longest = Math.Max(longest, s.Computed + n);
                }
                if (s.Computed + n == s.Tokens) sampled++;
            }
            if (layout.Linear) kv += layout.Bytes(ctx);
            var cost = Spec.Model.Cost(new StepLoad(decodeSeqs, prefillTokens, prefillSeqs, sampled, kv, ctx, pairs, longest));
            CostSum += cost;
            DecodeTokens += decodeSeqs;
            Busy = true;
            _stepStart = now;
            StepEnd = now + cost.Total;
            Emitted = sampled;
        }

        private readonly List<Seq> _done = [];

        /// <summary>
        /// The step now running and the ones after it, while they end before `horizon`, are pure decode steps of the
        /// same sequences (none finishes, nothing waits, the KV fits): finish them here, pricing each step from the
        /// context sums alone, and leave the last one running. Same steps and samples as Finish/Start one by one.
        /// </summary>
        public void FastForward(double horizon, TokenStream stream, double window, ResultBuilder result)
        {
            var b = _scheduled.Count;
            if (!Busy || IsPrefillOnly || StepEnd >= horizon || b == 0 || _waiting.Count > 0 || b != _running.Count) return;
            var minLeft = int.MaxValue;
            double ctx0 = 0;
            foreach (var (s, n) in _scheduled)
            {
                if (n != 1 || s.Computed <= 0 || s.Generated < 1 || s.LastStep != _step - 1) return;
                minLeft = Math.Min(minLeft, s.Output - s.Generated);
                ctx0 += s.Computed;
            }
            // Step j (0 = the running one) emits token Generated + j + 1: steps 0..minLeft-2 complete no request.
            var steps = FitSteps(minLeft - 1);
            if (steps < 1) return;
            var layout = Spec.Model.Kv;
            var done = 0;
            while (done < steps && StepEnd < horizon)
            {
                var seconds = StepEnd - _stepStart;
                stream.Emit(StepEnd, b, seconds, window);
                result.Itl.Add(seconds, b);
                done++;
                _step++;
                double kv = 0;
                if (layout.Linear) kv = layout.Bytes(ctx0 + (double)done * b);
                else foreach (var (s, _) in _scheduled) kv += layout.Bytes(s.Computed + done);
                var cost = Spec.Model.Cost(new StepLoad(b, 0, 0, b, kv, ctx0 + (double)done * b, 0, 0));
                CostSum += cost;
                DecodeTokens += b;
                _stepStart = StepEnd;
                StepEnd = _stepStart + cost.Total;
            }
            if (done == 0) return;
            foreach (var (s, _) in _scheduled)
            {
                s.Computed += done;
                s.Generated += done;
                s.Last = _stepStart;
                s.LastStep = _step - 1;
                var need = Need(s, s.Computed + 1);
                _used += need - s.Alloc;
                s.Alloc = need;
            }
            PeakKvBytes = Math.Max(PeakKvBytes, _used);
        }

        /// <summary>How many of the next `max` steps the KV cache holds without preempting (allocations only grow).</summary>
        private int FitSteps(int max)
        {
            if (max < 1) return 0;
            var bs = Spec.Scheduler.BlockSize;
            var layout = Spec.Model.Kv;
            bool Fits(int j)
            {
                // Starting step j, each sequence holds blocks for Computed + j + 1 tokens.
                double total = 0;
                foreach (var (s, _) in _scheduled)
                {
                    var tokens = s.Computed + j + 1;
                    total += layout.Bytes((tokens + bs - 1) / bs * (double)bs);
                }
                return total <= Spec.KvCapacityBytesPerGpu;
            }
            if (Fits(max)) return max;
            int lo = 0, hi = max;
            while (hi - lo > 1)
            {
                var mid = (lo + hi) / 2;
                if (Fits(mid)) lo = mid; else hi = mid;
            }
            return lo;
        }

        public List<Seq> Finish(ResultBuilder result)
        {
            Busy = false;
            _done.Clear();
            var now = StepEnd;
            long steady = 0;
            var prefillPool = IsPrefillOnly;
            foreach (var (s, n) in _scheduled)
            {
                s.Computed += n;
                if (s.Computed < s.Tokens) continue;
                s.Generated++;
                if (prefillPool)
                {
                    _done.Add(s);
                    continue;
                }
                if (s.Generated == 1) s.First = now;
                else if (s.LastStep == _step - 1) steady++;
                else result.Itl.Add(now - s.Last);
                s.Last = now;
                s.LastStep = _step;
                if (s.Generated >= s.Output) _done.Add(s);
            }
            if (steady > 0) result.Itl.Add(now - _stepStart, steady);
            foreach (var s in _done)
            {
                _running.Remove(s);
                _used -= s.Alloc;
                s.Alloc = 0;
            }
            _step++;
            return _done;
        }

        /// <summary>Set on the replicas of a disaggregated prefill pool: a request leaves after its prompt is computed.</summary>
        public bool IsPrefillOnly { get; init; }
    }

    internal sealed class ResultBuilder(int n)
    {
        private readonly List<double> _ttft = new(n), _tpot = new(n), _tpotAll = new(n), _e2el = new(n);
        private long _in, _out;
        public int Completed, FrontendSaturated;
        public double Duration, InFlightSeconds;
        public readonly WeightedSamples Itl = new();

        public void Record(Seq s)
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
        }

        public SimulationResult Build(IReadOnlyList<Replica> decode, IReadOnlyList<Replica> prefill)
        {
            var steps = decode.Sum(r => r.Steps);
            var cost = decode.Aggregate(default(StepCost), (a, r) => a + r.CostSum);
            return new SimulationResult
            {
                Completed = Completed, Duration = Duration, TotalInputTokens = _in, TotalOutputTokens = _out,
                TtftMs = [.. _ttft], TpotMs = [.. _tpot], TpotPerRequestMs = [.. _tpotAll], E2elMs = [.. _e2el], Itl = Itl,
                DecodeSteps = steps, MeanStep = steps > 0 ? cost.Scale(1.0 / steps) : default,
                MeanDecodeBatch = steps > 0 ? (double)decode.Sum(r => r.DecodeTokens) / steps : 0,
                Preemptions = decode.Sum(r => r.Preemptions) + prefill.Sum(r => r.Preemptions),
                FrontendSaturated = FrontendSaturated,
                MaxRunning = decode.Max(r => r.MaxRunning),
                MeanInFlight = Duration > 0 ? InFlightSeconds / Duration : 0,
                PeakKvFraction = decode.Max(r => r.PeakKvBytes / Math.Max(1, r.Spec.KvCapacityBytesPerGpu)),
            };
        }
    }
}

namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>
/// One engine replica: runs the batch its scheduler picks as one step priced by the step-time model, and applies the
/// step's outcome (tokens computed, tokens sampled, requests finished) when it ends.
/// </summary>
internal sealed class EngineReplica
{
    private readonly List<SimSequence> _done = [];
    private long _step;
    private double _stepStart;

    public EngineReplica(PoolSpec spec, bool prefixCaching)
    {
        Spec = spec;
        Kv = new KvBlockManager(spec.Model.Kv, spec.Scheduler.BlockSize, spec.KvCapacityBytesPerGpu, prefixCaching);
        Scheduler = new VllmScheduler(spec.Scheduler, Kv);
    }

    public PoolSpec Spec { get; }
    public KvBlockManager Kv { get; }
    public VllmScheduler Scheduler { get; }
    /// <summary>Set on the replicas of a disaggregated prefill pool: a request leaves after its prompt is computed.</summary>
    public bool IsPrefillOnly { get; init; }
    public bool Busy { get; private set; }
    public double StepEnd { get; private set; }
    public bool HasWork => Scheduler.Running.Count > 0 || Scheduler.WaitingCount > 0;
    public double StepSeconds => StepEnd - _stepStart;
    /// <summary>Tokens the step now running emits to clients when it ends.</summary>
    public int Emitted { get; private set; }
    public int Load => Scheduler.Running.Count + Scheduler.WaitingCount + Incoming;
    /// <summary>Requests whose KV is on its way from the prefill pool to this replica.</summary>
    public int Incoming;
    public long Steps => _step;
    public StepCost CostSum { get; private set; }
    public long DecodeTokens { get; private set; }

    public void Enqueue(SimSequence s) => Scheduler.Enqueue(s);

    /// <summary>A request whose prompt KV has arrived: it recomputes its last position to sample the first token.</summary>
    public void EnqueueDecodeLeg(SimSequence s)
    {
        Incoming--;
        s.Generated = 0;
        s.Computed = s.Prompt - 1;
        Scheduler.Enqueue(s);
    }

    public void Start(double now)
    {
        Scheduler.Schedule();
        foreach (var (s, _) in Scheduler.Scheduled) if (s.Scheduled < 0) s.Scheduled = now;
        int decodeSeqs = 0, prefillTokens = 0, prefillSeqs = 0, sampled = 0, longest = 0;
        double kv = 0, ctx = 0, pairs = 0;
        var layout = Spec.Model.Kv;
        foreach (var (s, n) in Scheduler.Scheduled)
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

    /// <summary>
    /// The step now running and the ones after it, while they end before `horizon`, are pure decode steps of the
    /// same sequences (none finishes, nothing waits, the KV fits): finish them here, pricing each step from the
    /// context sums alone, and leave the last one running. Same steps and samples as Finish/Start one by one.
    /// </summary>
    public void FastForward(double horizon, TokenStream stream, double window, SimulationResultBuilder result)
    {
        var scheduled = Scheduler.Scheduled;
        var b = scheduled.Length;
        if (!Busy || IsPrefillOnly || StepEnd >= horizon || b == 0 || Scheduler.WaitingCount > 0 || b != Scheduler.Running.Count) return;
        var minLeft = int.MaxValue;
        double ctx0 = 0;
        foreach (var (s, n) in scheduled)
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
            else foreach (var (s, _) in scheduled) kv += layout.Bytes(s.Computed + done);
            var cost = Spec.Model.Cost(new StepLoad(b, 0, 0, b, kv, ctx0 + (double)done * b, 0, 0));
            CostSum += cost;
            DecodeTokens += b;
            _stepStart = StepEnd;
            StepEnd = _stepStart + cost.Total;
        }
        if (done == 0) return;
        foreach (var (s, _) in scheduled)
        {
            s.Computed += done;
            s.Generated += done;
            s.Last = _stepStart;
            s.LastStep = _step - 1;
            Kv.Hold(s, Kv.Need(s, s.Computed + 1));
        }
        Kv.NotePeak();
    }

    /// <summary>How many of the next `max` steps the KV cache holds without preempting (allocations only grow).</summary>
    private int FitSteps(int max)
    {
        if (max < 1) return 0;
        // Starting step j, each sequence holds blocks for Computed + j + 1 tokens.
        bool Fits(int j) => Kv.FitsAhead(Scheduler.Scheduled, j + 1);
        if (Fits(max)) return max;
        int lo = 0, hi = max;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (Fits(mid)) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>Ends the running step: the tokens it computed and sampled, and the requests it finished (returned).</summary>
    public List<SimSequence> Finish(SimulationResultBuilder result)
    {
        Busy = false;
        _done.Clear();
        var now = StepEnd;
        long steady = 0;
        foreach (var (s, n) in Scheduler.Scheduled)
        {
            s.Computed += n;
            if (!s.Registered && s.Computed >= s.Prompt && s.HashIds is not null) Kv.Register(s);
            if (s.Computed < s.Tokens) continue;
            s.Generated++;
            if (IsPrefillOnly)
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
        foreach (var s in _done) Scheduler.Remove(s);
        _step++;
        return _done;
    }
}

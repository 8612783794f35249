using System.Runtime.InteropServices;

namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>
/// vLLM v1's scheduling policy for one replica: each step first serves the running requests in order (a decode takes
/// one token, an unfinished prefill a chunk of the remaining token budget), then admits waiting requests FCFS while
/// max_num_seqs, the max_num_batched_tokens budget and the KV blocks allow (chunked prefill mixes with decodes). When
/// a running request needs a block and none is free, the most recently admitted one is preempted (recompute) and goes
/// back to the front of the queue; nothing is admitted in a step that preempted.
/// </summary>
internal sealed class VllmScheduler(SchedulerConfig config, KvBlockManager kv)
{
    private readonly List<SimSequence> _running = [];
    private readonly LinkedList<SimSequence> _waiting = new();
    private readonly List<(SimSequence Seq, int Tokens)> _scheduled = [];

    public IReadOnlyList<SimSequence> Running => _running;
    public int WaitingCount => _waiting.Count;
    /// <summary>The batch of the last Schedule: each sequence with the tokens it computes in the step. A span, not a
    /// list interface: it is walked several times in every simulated step, and an interface's enumerator is an allocation.
    /// Valid until the next Schedule.</summary>
    public ReadOnlySpan<(SimSequence Seq, int Tokens)> Scheduled => CollectionsMarshal.AsSpan(_scheduled);
    public long Preemptions { get; private set; }
    public int MaxRunning { get; private set; }

    public void Enqueue(SimSequence s) => _waiting.AddLast(s);

    /// <summary>Picks the next step's batch into Scheduled.</summary>
    public void Schedule()
    {
        var budget = config.MaxNumBatchedTokens;
        _scheduled.Clear();
        var preempted = false;
        for (var i = 0; i < _running.Count && budget > 0; i++)
        {
            var s = _running[i];
            var n = Math.Min(s.Tokens - s.Computed, budget);
            var need = kv.Need(s, s.Computed + n);
            while (!kv.Fits(s, need))
            {
                var victim = _running[^1];
                _running.RemoveAt(_running.Count - 1);
                kv.Free(victim);
                victim.Computed = 0;
                _waiting.AddFirst(victim);
                Preemptions++;
                preempted = true;
                if (victim == s) break;
            }
            if (i >= _running.Count || _running[i] != s) break;
            kv.Hold(s, need);
            _scheduled.Add((s, n));
            budget -= n;
        }
        while (!preempted && budget > 0 && _waiting.Count > 0 && _running.Count < config.MaxNumSeqs)
        {
            var s = _waiting.First!.Value;
            var fresh = s.Computed == 0;
            var hit = kv.Attach(s);
            s.Computed += hit;
            var n = Math.Min(s.Tokens - s.Computed, budget);
            var need = kv.Need(s, s.Computed + n);
            if (!kv.Fits(s, need))
            {
                kv.Detach(s);
                s.Computed -= hit;
                break;
            }
            if (fresh && kv.Cache is { } cache && s.HashIds is not null) cache.CountLookup(s.Prompt, hit);
            _waiting.RemoveFirst();
            _running.Add(s);
            kv.Hold(s, need);
            _scheduled.Add((s, n));
            budget -= n;
        }
        kv.NotePeak();
        MaxRunning = Math.Max(MaxRunning, _running.Count);
    }

    /// <summary>Requests whose client has given up by `now` leave the queue and the batch (vLLM aborts them at the next step); added to `into`.</summary>
    public void Abort(double now, List<SimSequence> into)
    {
        for (var node = _waiting.First; node is not null;)
        {
            var following = node.Next;
            if (node.Value.Deadline <= now)
            {
                into.Add(node.Value);
                _waiting.Remove(node);
            }
            node = following;
        }
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            var s = _running[i];
            if (s.Deadline > now) continue;
            into.Add(s);
            _running.RemoveAt(i);
            kv.Free(s);
        }
    }

    /// <summary>The earliest client deadline among the running requests.</summary>
    public double EarliestDeadline()
    {
        var t = double.PositiveInfinity;
        foreach (var s in _running) t = Math.Min(t, s.Deadline);
        return t;
    }

    /// <summary>A finished request leaves the batch and frees its blocks.</summary>
    public void Remove(SimSequence s)
    {
        _running.Remove(s);
        kv.Free(s);
    }
}

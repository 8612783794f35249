using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Core.Statistics;

namespace Micro.Suites.Running;

/// <summary>The one place that owns warm-up, timing, statistics, verification and output for every suite.</summary>
public sealed class BenchmarkRunner(RunnerOptions options, IResultSink sink)
{
    public RunnerOptions Options { get; } = options;

    public MeasurementRecord Measure(CaseDescriptor c, IMeasuredOperation op)
    {
        if (Options.Iterations < 1) throw new ArgumentOutOfRangeException(nameof(options), "at least one timed iteration");
        RunInterrupt.ThrowIfRequested();
        var work = Task.Factory.StartNew(() => MeasureUnguarded(c, op), TaskCreationOptions.LongRunning);
        // WaitAny, not Wait: a faulted case must surface its own exception (via GetResult), not an AggregateException.
        int done;
        try { done = Task.WaitAny([work], (int)Math.Min(Options.Timeout.TotalMilliseconds, int.MaxValue), RunInterrupt.Token); }
        catch (OperationCanceledException) { done = -1; }
        if (RunInterrupt.Token.IsCancellationRequested)
        {
            // Abandon the point (it is not written), but let the worker leave its current iteration first:
            // the caller disposes the buffers it is using.
            try { work.Wait(TimeSpan.FromSeconds(10)); }
            catch (AggregateException) { }
            RunInterrupt.ThrowIfRequested();
        }
        if (done < 0)
            throw new CaseTimeoutException(c.Suite, c.Case, c.Backend, Options.Timeout);
        var record = work.GetAwaiter().GetResult();
        sink.Add(record);
        return record;
    }

    private MeasurementRecord MeasureUnguarded(CaseDescriptor c, IMeasuredOperation op)
    {
        op.Prepare();
        var stop = RunInterrupt.Token;
        for (var i = 0; i < Options.Warmup && !stop.IsCancellationRequested; i++) op.RunTimed();
        var probe = HostPoint.Start(c, Options.LoadSource);
        var source = PowerSources.Find(c.Device, c.DeviceId);
        using var sampler = source is null ? null : PowerSampler.Start(source);
        var samples = op is IBatchTimedOperation batch ? batch.RunBatch(Options.Iterations).ToArray() : new double[Options.Iterations];
        if (samples.Length == 0) throw new InvalidOperationException($"{c.Suite}/{c.Case} on {c.Backend}: no timed samples");
        for (var i = 0; i < samples.Length; i++)
        {
            if (stop.IsCancellationRequested) throw new OperationCanceledException(stop);
            var t = op is IBatchTimedOperation ? samples[i] : op.RunTimed();
            if (!double.IsFinite(t) || t <= 0) throw new InvalidOperationException($"{c.Suite}/{c.Case} on {c.Backend}: timer returned {t} s");
            samples[i] = t;
        }
        var contention = probe?.Stop();
        if (sampler is not null && ExtendsForPower(c, op))
        {
            // A ceiling candidate runs on, untimed, until the energy counter can give its average watts.
            for (var extra = 0; sampler.Elapsed < PowerWindow.MinimumSeconds && extra < MaxPowerExtension; extra++) op.RunTimed();
        }
        var power = sampler?.Stop();
        var verification = op.Verify();
        var time = Stats.Summarize(samples);
        return new MeasurementRecord
        {
            Suite = c.Suite, Case = c.Case, Backend = c.Backend, Device = c.Device, DType = c.DType,
            Parameters = WithResolved(c.Parameters, op.ResolvedParameters), Bytes = c.Bytes, BytesCounted = c.BytesCounted, Flops = c.Flops,
            Timer = op.Timer, Warmup = Options.Warmup, Time = time,
            Bandwidth = MeasurementFactory.BandwidthOf(c.Bytes, time),
            Compute = MeasurementFactory.ComputeOf(c.Flops, time),
            Verification = verification, Ceiling = c.Ceiling, Label = c.Label, DeviceId = c.DeviceId, Power = power,
            Contention = contention,
        }.WithPoint(c.Point);
    }

    private const int MaxPowerExtension = 100_000;

    /// <summary>
    /// Only ceiling candidates are extended (the rest say n/a when short), and never batch-timed operations: a
    /// collective's ranks must run the same number of iterations.
    /// </summary>
    private static bool ExtendsForPower(CaseDescriptor c, IMeasuredOperation op) =>
        c.Ceiling is not null && op is not IBatchTimedOperation && c.Label?.Contains("not a ceiling", StringComparison.Ordinal) != true;

    private static IReadOnlyDictionary<string, string> WithResolved(IReadOnlyDictionary<string, string> declared, IReadOnlyDictionary<string, string>? resolved)
    {
        if (resolved is null || resolved.Count == 0) return declared;
        var merged = new Dictionary<string, string>(declared, StringComparer.Ordinal);
        foreach (var (k, v) in resolved) merged[k] = v;
        return merged;
    }
}

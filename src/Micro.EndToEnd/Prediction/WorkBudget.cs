using System.Globalization;
using Micro.Core.Results;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// The work a prediction will do, estimated from its arguments before anything is simulated, and the limits it must
/// stay under (README "Input limits"): simulated engine steps (time) and simulated requests held at once (memory).
/// Past a limit predict refuses in one line naming the argument that drives it, unless --force; long work is announced
/// on stderr with its estimate, so no run is silent for a minute.
/// </summary>
public sealed record WorkBudget(double Steps, double Requests, int Simulations, string Driver)
{
    /// <summary>Engine steps simulated in all (decode steps + prefill chunks, every load, candidate and calibration run).
    /// Measured on a 2-core machine at 100k-300k steps/s: the limit is a few minutes of work.</summary>
    public const double MaxSteps = 5e7;
    /// <summary>Simulated requests held at once (about 1 KiB each while simulated): the limit keeps predict under 1 GiB.</summary>
    public const double MaxRequests = 1e6;
    /// <summary>Simulations (loads x search candidates x calibration runs): each holds its own engine state (about 1 MiB).</summary>
    public const int MaxSimulations = 4096;
    /// <summary>Work past this many steps is announced on stderr before it starts.</summary>
    public const double AnnounceSteps = 5e6;
    /// <summary>Times a calibration run is simulated while its parameters are fitted (an upper estimate of the fit's evaluations).</summary>
    public const int CalibrationEvaluations = 40;
    /// <summary>Work estimated to take longer than this (seconds) is announced too.</summary>
    public const double AnnounceSeconds = 10;
    /// <summary>Set-up of one simulation (model, memory plan, scheduler), measured on --search over 1,024 GPUs.</summary>
    private const double SecondsPerSimulation = 0.1;
    /// <summary>Steps one core simulates per second (measured, rounded down): the time the announcement states.</summary>
    private const double SteadyStepsPerSecond = 1e5;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Prompt or output tokens of one request above this (16M) are longer than any model's context: refused outright.</summary>
    public const int MaxSequenceTokens = 1 << 24;

    public static WorkBudget Estimate(PredictionRequest request)
    {
        if (request.Lengths is { } given && (given.Isl > MaxSequenceTokens || given.Osl > MaxSequenceTokens
            || given.InputLens?.Any(x => x > MaxSequenceTokens) == true || given.OutputLens?.Any(x => x > MaxSequenceTokens) == true))
            throw new InputException(given.Source, null, $"a request of more than {MaxSequenceTokens:N0} prompt or output tokens is longer than any model's context");
        var sched = request.Setup.Scheduler;
        var lengths = request.Lengths ?? new LengthSampler(Mean(request.Calibrate.Select(p => p.MeanInputTokens)) ?? 1024, Mean(request.Calibrate.Select(p => p.MeanOutputTokens)) ?? 1024);
        var (isl, osl) = MeanLengths(lengths);
        double steps = 0, held = 0;
        var sims = 0;
        string driver = "--num-prompts";
        var candidates = request.Search.Count == 0 ? 1 : request.Search.Count * Divisors(Math.Max(1, request.SearchGpus)) * (1 + Math.Log2(Math.Max(1, sched.MaxNumSeqs)));
        foreach (var load in request.Loads)
        {
            var batch = Math.Max(1, Math.Min(Math.Min(load.Concurrency ?? sched.MaxNumSeqs, sched.MaxNumSeqs), load.NumPrompts));
            steps += candidates * load.NumPrompts * (osl / batch + isl / Math.Max(1.0, sched.MaxNumBatchedTokens) + 1);
            held = Math.Max(held, load.NumPrompts);
            sims += (int)Math.Min(int.MaxValue / 2, candidates);
        }
        double calibrationSteps = 0;
        foreach (var p in request.Calibrate.Concat(request.Check))
        {
            var batch = Math.Max(1, Math.Min(p.MaxConcurrency ?? sched.MaxNumSeqs, Math.Max(1, sched.MaxNumSeqs)));
            calibrationSteps += CalibrationEvaluations * (p.Completed + (p.Failed ?? 0)) * (p.MeanOutputTokens / batch + p.MeanInputTokens / Math.Max(1.0, sched.MaxNumBatchedTokens) + 1);
            held = Math.Max(held, p.Completed + (p.Failed ?? 0));
            sims = (int)Math.Min(int.MaxValue / 2, sims + (double)CalibrationEvaluations);
        }
        if (calibrationSteps > steps) driver = "--calibrate/--check (their runs' request counts and lengths)";
        else if (request.Search.Count > 0) driver = "--search (TP candidates x concurrencies x GPU types)";
        else if (osl * 4 > isl && osl > 4096) driver = "--osl (or the --workload output lengths)";
        else if (isl > 65536) driver = "--isl (or the --workload input lengths)";
        return new WorkBudget(steps + calibrationSteps, held * Math.Min(Environment.ProcessorCount, Math.Max(1, request.Loads.Count)), sims, driver);
    }

    /// <summary>Refuses (InputException naming the driving argument, exit 2) past a limit unless forced; announces long work on <paramref name="log"/>.</summary>
    public void Enforce(bool force, TextWriter log)
    {
        string? over = null;
        if (Steps > MaxSteps) over = $"about {N(Steps)} simulated engine steps, more than the {N(MaxSteps)} limit";
        else if (Requests > MaxRequests) over = $"about {N(Requests)} simulated requests held at once, more than the {N(MaxRequests)} limit (memory)";
        else if (Simulations > MaxSimulations) over = $"{Simulations:N0} simulations (loads x candidates x calibration fits), more than the {MaxSimulations:N0} limit (memory)";
        if (over is not null && !force)
            throw new InputException(Driver, null, $"{over}; use fewer or smaller values (or --force to run it anyway)");
        var seconds = (Steps / SteadyStepsPerSecond + Simulations * SecondsPerSimulation) / Math.Max(1, Environment.ProcessorCount);
        if (Steps > AnnounceSteps || seconds > AnnounceSeconds || over is not null)
            log.WriteLine($"micro: predict: about {N(Steps)} simulated engine steps in {Simulations:N0} simulation(s), roughly {N(Math.Max(1, seconds))} s here; working");
    }

    private static (double Isl, double Osl) MeanLengths(LengthSampler l) =>
        l.InputLens is { Length: > 0 } i && l.OutputLens is { Length: > 0 } o ? (i.Average(x => (double)x), o.Average(x => (double)x)) : (l.Isl, l.Osl);

    private static int? Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : (int)Math.Clamp(list.Average(), 1, int.MaxValue);
    }

    private static int Divisors(int n)
    {
        var count = 0;
        for (var d = 1; d <= Math.Min(n, 1 << 16); d++) if (n % d == 0) count++;
        return count;
    }

    private static string N(double v) => v >= 1e6 ? v.ToString("0.#e0", C) : v.ToString("N0", C);
}

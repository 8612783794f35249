using System.Globalization;
using Micro.Core.Results;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// The work a prediction will do, estimated from its arguments before anything is simulated, and the limits it must
/// stay under (README "Input limits"): simulated engine steps (time) and simulated requests held at once (memory).
/// Past a limit predict refuses in one line naming the argument that drives it, unless --force; long work is announced
/// on stderr with its estimate, so no run is silent for a minute.
/// </summary>
/// <param name="Evaluations">Times the calibration simulates each of its runs (0 without --calibrate).</param>
public sealed record WorkBudget(double Steps, double Requests, int Simulations, string Driver, int Evaluations = 0)
{
    /// <summary>Engine steps simulated in all (decode steps + prefill chunks, every load, candidate and calibration run).
    /// About 50 minutes at <see cref="SteadyStepsPerSecond"/> on 2 cores; a calibration on the 45 llama-3.1-70b H100
    /// runs of one model (3 TPs x 3 length pairs x 5 concurrencies, num_prompts 40-640) is estimated at 2.1 x 10^9 (both
    /// ways of each polish counted; 1.3 x 10^9 with one, when the limit was 2 x 10^9).</summary>
    public const double MaxSteps = 3e9;
    /// <summary>Simulated requests held at once (about 1 KiB each while simulated): the limit keeps predict under 1 GiB.</summary>
    public const double MaxRequests = 1e6;
    /// <summary>Simulations held at once (loads x search candidates, plus the calibration and check runs, which one
    /// evaluation simulates together): each holds its own engine state (about 1 MiB).</summary>
    public const int MaxSimulations = 4096;
    /// <summary>Work past this many steps is announced on stderr before it starts (about 30 s here at
    /// <see cref="SteadyStepsPerSecond"/> on 2 cores): no run goes a minute without a word, while a short one, or a
    /// small calibration that a later check refuses, stays one line.</summary>
    public const double AnnounceSteps = 3e7;

    /// <summary>
    /// Residual evaluations of one calibration, each simulating every calibration run once, counted from the calibrator's
    /// schedule (<see cref="Calibrator.MaxStarts"/> and the rest):
    /// a fit from a start of i iterations evaluates its start (1), a Jacobian of k columns there and after every
    /// iteration ((i + 1) k) and one step per iteration (i); a polished start runs up to two ways (afresh and continued
    /// from its scout), and checks its bounds with one more Jacobian (k). For the 10 parameters this is 1384; measured on
    /// 15 runs of 3 deployments, with one way per polished start: 585 (the fit converged before its budget). Rejected
    /// steps (a few per fit), re-fits that admit more parameters, and the other starts a fit
    /// polishes when neither of the best two ends inside physics, are not counted.
    /// </summary>
    public static int CalibrationEvaluations(int parameters)
    {
        static int FitFrom(int iterations, int k) => 1 + iterations + (iterations + 1) * k;
        return Calibrator.MaxStarts * FitFrom(Calibrator.ScoutIterations, parameters) + Calibrator.PolishedStarts * (Calibrator.PolishesPerStart * FitFrom(Calibrator.PolishIterations, parameters) + parameters);
    }
    /// <summary>Work estimated to take longer than this (seconds) is announced too.</summary>
    public const double AnnounceSeconds = 30;
    /// <summary>Set-up of one simulation (model, memory plan, scheduler), measured on --search over 1,024 GPUs.</summary>
    private const double SecondsPerSimulation = 0.1;
    /// <summary>Steps one core simulates per second: the time the announcement states. Measured on the 2-core development
    /// machine (2026-12-07): 5.1 x 10^6 steps of one load in 5.6 s of CPU (9 x 10^5 per CPU second); the 15-run H100
    /// calibration of llama-3.1-70b (estimated 1.3 x 10^8 steps, 129 s) in 107 s. Rounded down.</summary>
    public const double SteadyStepsPerSecond = 5e5;

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
        // A calibration simulates its runs once per evaluation (--runs-ttft-stat auto fits twice); with a few runs each is
        // also in every fit that leaves another out (LeaveOneRunOut; counted where it may run, though it runs only where
        // the fitted parameters are many); a --check run once.
        var evaluations = request.Calibrate.Count == 0 ? 0
            : CalibrationEvaluations(PhysicalParameters.Specs.Count) * ((request.RunsTtftStatistic == RunsTtftStatistic.Auto ? 2 : 1) + LeaveOneRunOut.MayLeaveOut(request.Calibrate.Count));
        foreach (var (p, times) in request.Calibrate.Select(p => (p, evaluations)).Concat(request.Check.Select(p => (p, 1))))
        {
            var batch = Math.Max(1, Math.Min(p.MaxConcurrency ?? sched.MaxNumSeqs, Math.Max(1, sched.MaxNumSeqs)));
            calibrationSteps += (double)times * (p.Completed + (p.Failed ?? 0)) * (p.MeanOutputTokens / batch + p.MeanInputTokens / Math.Max(1.0, sched.MaxNumBatchedTokens) + 1);
            held = Math.Max(held, p.Completed + (p.Failed ?? 0));
            sims = (int)Math.Min(int.MaxValue / 2, sims + 1.0);
        }
        if (calibrationSteps > steps) driver = "--calibrate/--check (their runs' request counts and lengths)";
        else if (request.Search.Count > 0) driver = "--search (TP candidates x concurrencies x GPU types)";
        else if (osl * 4 > isl && osl > 4096) driver = "--osl (or the --workload output lengths)";
        else if (isl > 65536) driver = "--isl (or the --workload input lengths)";
        return new WorkBudget(steps + calibrationSteps, held * Math.Min(Environment.ProcessorCount, Math.Max(1, request.Loads.Count)), sims, driver, evaluations);
    }

    /// <summary>Refuses (InputException naming the driving argument, exit 2) past a limit unless forced; announces long work on <paramref name="log"/>.</summary>
    public void Enforce(bool force, TextWriter log)
    {
        string? over = null;
        if (Steps > MaxSteps) over = $"about {N(Steps)} simulated engine steps, more than the {N(MaxSteps)} limit";
        else if (Requests > MaxRequests) over = $"about {N(Requests)} simulated requests held at once, more than the {N(MaxRequests)} limit (memory)";
        else if (Simulations > MaxSimulations) over = $"{Simulations:N0} simulations (loads x candidates, calibration and check runs), more than the {MaxSimulations:N0} limit (memory)";
        // Too many simulations with no search and no calibration in the lead: the loads' count is what drives it.
        var who = Steps <= MaxSteps && Requests <= MaxRequests && Driver == "--num-prompts" ? "--concurrency/--request-rate (one simulation per load)" : Driver;
        if (over is not null && !force)
            throw new InputException(who, null, $"{over}; use fewer or smaller values (or --force to run it anyway)");
        var seconds = (Steps / SteadyStepsPerSecond + Simulations * SecondsPerSimulation) / Math.Max(1, Environment.ProcessorCount);
        if (Steps > AnnounceSteps || seconds > AnnounceSeconds || over is not null)
            log.WriteLine($"micro: predict: about {N(Steps)} simulated engine steps in {Simulations:N0} simulation(s)" +
                          (Evaluations > 0
                              ? $", each calibration run simulated up to {Evaluations:N0} times by the fit, at most about {N(Math.Max(1, seconds))} s here (most fits converge sooner); working"
                              : $", roughly {N(Math.Max(1, seconds))} s here; working"));
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

using System.Globalization;
using Micro.Core.Results;
using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Prediction;

/// <summary>One fitted (or held) parameter with its physical range and why it was or was not fitted.</summary>
public sealed record FittedParameter(string Name, string Unit, double Prior, double Value, double Min, double Max, bool Fitted, string Note, string Meaning);

/// <summary>One (run, metric) pair: measured, predicted with the fitted parameters, error in %.</summary>
public sealed record MetricComparison(string Source, int? Concurrency, double? RequestRate, string Metric, double Measured, double Predicted)
{
    /// <summary>The run's deployment label (RunDeployment.Label), where known.</summary>
    public string? Deployment { get; init; }
    /// <summary>The prediction's interval for this metric (low, high), where one was stated.</summary>
    public (double Low, double High)? Interval { get; init; }
    public bool? Inside => Interval is { } iv ? Measured >= iv.Low && Measured <= iv.High : null;

    public double ErrorPercent => (Predicted - Measured) / Measured * 100;
}

/// <param name="Parameters">The fitted parameters in canonical form (fractions of a datasheet profile; ParameterCarry converts them).</param>
/// <param name="Deployments">Each calibration run's deployment (the same order as the runs).</param>
public sealed record CalibrationResult(PhysicalParameters Parameters, IReadOnlyList<FittedParameter> Table, IReadOnlyList<MetricComparison> Residuals, int Iterations,
    IReadOnlyList<RunDeployment> Deployments)
{
    /// <summary>The calibration runs whose simulation at the fitted parameters filled its KV cache (SimulationResult.RanOutOfKv).</summary>
    public IReadOnlyList<string> RanOutOfKv { get; init; } = [];

    /// <summary>Parameters kept pinned at a physical bound by --keep-pinned-fit (the runs are not explained inside physics).</summary>
    public IReadOnlyList<string> Pinned => Table.Where(p => Calibrator.IsPinned(p.Note)).Select(p => p.Name).ToList();

    public double RmsPercent => Residuals.Count == 0 ? 0 : Math.Sqrt(Residuals.Average(r => r.ErrorPercent * r.ErrorPercent));
}

/// <summary>
/// Least squares over (run, metric) pairs of real vLLM runs: relative residuals of median TPOT, median TTFT and output
/// throughput, each run replayed by the simulator (its concurrency, rate, prompt count, lengths), Levenberg-Marquardt
/// inside each parameter's physical range. A parameter whose effect on these metrics is nil, or the same as that of a
/// parameter already fitted, is held at its prior and reported "not fitted". A solution pinned at a range bound by
/// the data fails with one line. Predictions then come from the model with these parameters, never from the runs.
/// </summary>
public static class Calibrator
{
    private const double MinColumnNorm = 1e-3, MinIndependence = 0.05;
    /// <summary>How a parameter kept pinned at a bound by --keep-pinned-fit is noted (its status in the table and calibration.json).</summary>
    public const string PinnedNote = "PINNED";

    /// <summary>Whether a parameter's status (a fit's note, or calibration.json's `status`) says it was kept pinned.</summary>
    public static bool IsPinned(string status) => status.StartsWith(PinnedNote, StringComparison.Ordinal);
    /// <summary>Share of the squared residual a parameter pinned at a bound may still explain before the fit fails.</summary>
    private const double MaxBoundPull = 0.10;
    /// <summary>The starts tried (the prior and three read off the runs), the iterations each is scouted with, how many of
    /// the best are run to convergence, how many ways each (see Fit) and their iteration budget (WorkBudget counts a fit's
    /// evaluations from these).</summary>
    public const int MaxStarts = 4, ScoutIterations = 4, PolishedStarts = 2, PolishesPerStart = 2, PolishIterations = 25;

    /// <summary>Fits one set of canonical parameters to runs on their own deployments (GPU, TP/EP/DP, weights), each simulated on its own profile.</summary>
    /// <param name="progress">Told a line after each scouted and each polished start (a long fit shows it is moving).</param>
    /// <param name="keepPinned">--keep-pinned-fit: where no start ends inside physics, keep the closest fit pinned at a bound
    /// (its parameters say so) instead of refusing.</param>
    public static CalibrationResult Fit(RunDeployments deployments, IReadOnlyList<BenchmarkPoint> runs, PhysicalParameters prior, int seed = 0, int maxIterations = PolishIterations,
        Action<string>? progress = null, bool keepPinned = false)
    {
        if (runs.Count == 0) throw new InputException("--calibrate", null, "no calibration runs");
        var cases = runs.Select(p => (Point: p, Dep: deployments.Resolve(p), W: RunMetrics.Workload(p, seed, deployments.RangeRatio),
            Targets: RunMetrics.Fitted.Select(m => (Metric: m, Value: RunMetrics.Measured(p, m))).Where(t => t.Value is > 0).Select(t => (t.Metric, t.Value!.Value)).ToArray())).ToArray();
        var nRes = cases.Sum(c => c.Targets.Length);
        if (nRes == 0) throw new InputException("--calibrate", null, "degenerate fit: the calibration runs state none of " + string.Join(", ", RunMetrics.Fitted));
        var specs = PhysicalParameters.Specs;
        var k = specs.Count;

        double[] Residuals(double[] theta)
        {
            var p = new PhysicalParameters { Values = theta };
            var sims = new SimulationResult[cases.Length];
            Parallel.For(0, cases.Length, i => sims[i] = deployments.Model(cases[i].Dep, p).Simulate(cases[i].W.Load, cases[i].W.Lengths, itlPercentiles: false));
            var r = new double[nRes];
            var j = 0;
            for (var i = 0; i < cases.Length; i++)
                foreach (var (metric, value) in cases[i].Targets)
                    r[j++] = (deployments.Predicted(sims[i], metric) - value) / value;
            return r;
        }

        string Rms(List<(double[] Theta, double[] R, List<int> Fit, Dictionary<int, string> Notes)> done) =>
            done.Count == 0 ? "no fit yet" : $"best RMS residual so far {100 * Math.Sqrt(done.Min(a => Dot(a.R, a.R)) / nRes):0.0}%";

        var solver = new BoundedLeastSquares(Residuals, specs.Select(x => x.Min).ToArray(), specs.Select(x => x.Max).ToArray());
        double[][] Jacobian(double[] theta, double[] r0, IReadOnlyList<int> cols) => solver.Jacobian(theta, r0, cols);

        var all = Enumerable.Range(0, k).ToList();
        var starts = Starts(prior, cases.Select(c => (RunMetrics.Concurrency(c.Point), c.Targets)).ToList());
        (double[] Theta, double[] R, List<int> Fit, Dictionary<int, string> Notes, Dictionary<int, string> AtBound)? best = null;
        InputException? unphysical = null;
        (double[] Theta, double[] R, List<int> Fit, Dictionary<int, string> Notes, Dictionary<int, string> AtBound)? pinned = null;
        var iterations = 0;
        // Every start is scouted with a few iterations; only the most promising are run to convergence (a full fit from
        // each start cost 4x the time: 45 runs of 9 deployments took minutes).
        var scouted = new List<(double[] Theta, double[] R, List<int> Fit, Dictionary<int, string> Notes)>();
        for (var s = 0; s < starts.Count; s++)
        {
            if (FitFrom(starts[s], ScoutIterations) is { } a) scouted.Add(a);
            progress?.Invoke($"calibration: start {s + 1} of {starts.Count} scouted ({Rms(scouted)})");
        }
        scouted = [.. scouted.OrderBy(a => Dot(a.R, a.R))];
        // The best PolishedStarts are run to convergence; the others only while none of those has ended inside physics
        // (a start that ends pinned at a bound can be a basin of this objective, not a wrong deployment).
        for (var s = 0; s < scouted.Count && (s < PolishedStarts || best is null); s++)
        {
            var attempt0 = Polish(scouted[s]);
            var polish = s < PolishedStarts ? Math.Min(PolishedStarts, scouted.Count) : scouted.Count;
            progress?.Invoke($"calibration: {(s < PolishedStarts ? "best" : "next")} start {s + 1} of {polish} run to convergence" + (attempt0 is { } done ? $" (RMS residual {100 * Math.Sqrt(Dot(done.R, done.R) / nRes):0.0}%)" : ""));
            if (attempt0 is not { } attempt) continue;
            var (atBound, error) = Bounds(attempt.Theta, attempt.R, attempt.Fit);
            if (error is not null)
            {
                // Kept only if no start finds a physical solution.
                unphysical ??= error;
                if (keepPinned && (pinned is null || Dot(attempt.R, attempt.R) < Dot(pinned.Value.R, pinned.Value.R)))
                    pinned = (attempt.Theta, attempt.R, attempt.Fit, attempt.Notes, atBound);
                continue;
            }
            if (best is null || Dot(attempt.R, attempt.R) < Dot(best.Value.R, best.Value.R)) best = (attempt.Theta, attempt.R, attempt.Fit, attempt.Notes, atBound);
        }
        // Which runs the model cannot hold in its KV cache: a likely reason for a fit that fails or fits badly.
        string[] OutOfKv(double[] th)
        {
            var p = new PhysicalParameters { Values = th };
            var full = new bool[cases.Length];
            Parallel.For(0, cases.Length, i => full[i] = deployments.Model(cases[i].Dep, p).Simulate(cases[i].W.Load, cases[i].W.Lengths, itlPercentiles: false).RanOutOfKv);
            return [.. cases.Where((_, i) => full[i]).Select(c => c.Point.Source)];
        }
        best ??= pinned;
        if (best is null && unphysical is not null && OutOfKv(starts[0]) is { Length: > 0 } kvFull)
            throw new InputException(unphysical.File, unphysical.Field, unphysical.Reason + "; " + KvNote(kvFull));
        if (best is null)
            throw unphysical ?? new InputException("--calibrate", null, "degenerate fit: no parameter moves the runs' metrics (" + string.Join("; ", Identifiable(Jacobian(starts[0], Residuals(starts[0]), all), nRes).Notes.Values) + ")");
        var (theta, r, fit, notes, boundNotes) = best.Value;

        // Pinned at a bound while the data still pull outward: when freeing it would explain much more (a material
        // share of the squared residual), the model cannot explain the runs inside physics; a weak pull is reported.
        (Dictionary<int, string> AtBound, InputException? Error) Bounds(double[] th, double[] res, List<int> cols)
        {
            var jf = Jacobian(th, res, cols);
            var held = new Dictionary<int, string>();
            InputException? error = null;
            var cost = Dot(res, res);
            for (var p = 0; p < cols.Count; p++)
            {
                var i = cols[p];
                var grad = Dot(jf[p], res);
                var atMin = th[i] <= specs[i].Min + 1e-12 && grad > 0;
                var atMax = th[i] >= specs[i].Max - 1e-12 && grad < 0;
                if (!atMin && !atMax) continue;
                var gain = grad * grad / Math.Max(Dot(jf[p], jf[p]), 1e-300) / Math.Max(cost, 1e-300);
                var bound = $"its physical {(atMin ? "minimum" : "maximum")} {Fmt(atMin ? specs[i].Min : specs[i].Max)}{(specs[i].Unit.Length > 0 ? " " + specs[i].Unit : "")}";
                if (gain > MaxBoundPull)
                {
                    error ??= new InputException("--calibrate", specs[i].Name,
                        $"the fit drives it to {bound} (range {Fmt(specs[i].Min)}..{Fmt(specs[i].Max)}) and wants to go further: these runs are not explained by this model, profile or deployment (check --gpu/--ceilings, --tp, the pools, --weight-dtype; --keep-pinned-fit keeps the fit anyway)");
                    held[i] = $"{PinnedNote} at {bound} and kept by --keep-pinned-fit: the runs pull further (freeing it would remove {gain * 100:0.#}% of the squared residual); the model does not explain them inside physics";
                    continue;
                }
                held[i] = $"fitted, held at {bound}: the runs pull further only weakly (freeing it would remove {gain * 100:0.#}% of the squared residual)";
            }
            return (held, error);
        }

        // A scout run to convergence. The parameters the runs identify are judged afresh where the scout ended, and the
        // others reset to their priors. That can throw the scout's progress away: where the polish ends above the scout
        // it started from and the set differs from the one the scout fitted, the fit is also continued with the scout's
        // set and values, and the lower residual kept. Neither way finds the lower minimum every time (on fixed-length
        // runs, gpt-oss-120b's 1P1D sweep at c4/c32/c256 fitted to 7.0% afresh from a 4.0% scout, and 3.9% continued;
        // MiniMax-M2.5's at c4..c16 to 2.7% afresh and 3.3% continued), and which one does flipped with a 0.1 ms change
        // of the model.
        (double[] Theta, double[] R, List<int> Fit, Dictionary<int, string> Notes)? Polish((double[] Theta, double[] R, List<int> Fit, Dictionary<int, string> Notes) scout)
        {
            var j = Jacobian(scout.Theta, scout.R, all);
            var fresh = FitFrom(scout.Theta, maxIterations, (scout.R, j));
            if (fresh is { } f && Dot(f.R, f.R) <= Dot(scout.R, scout.R) || Identifiable(j, nRes).Fit.SequenceEqual(scout.Fit)) return fresh;
            var continued = FitFrom(scout.Theta, maxIterations, (scout.R, j), (scout.Fit, scout.Notes));
            return fresh is null ? continued : continued is null ? fresh : Dot(continued.Value.R, continued.Value.R) < Dot(fresh.Value.R, fresh.Value.R) ? continued : fresh;
        }

        // at: the residuals and Jacobian at theta0 when already known; keep: the parameters to fit (and the notes of
        // those held) instead of judging them afresh and resetting the others to their priors.
        (double[] Theta, double[] R, List<int> Fit, Dictionary<int, string> Notes)? FitFrom(double[] theta0, int budget,
            (double[] R, double[][] J)? at = null, (List<int> Fit, Dictionary<int, string> Notes)? keep = null)
        {
            var r0 = at?.R ?? Residuals(theta0);
            var j0 = at?.J ?? Jacobian(theta0, r0, all);
            var (cols, why) = keep ?? Identifiable(j0, nRes);
            if (cols.Count == 0) return null;
            // What the runs cannot fit stays at its prior, whatever this start set it to.
            var th = (double[])theta0.Clone();
            var moved = false;
            for (var i = 0; i < k; i++)
                if (!cols.Contains(i) && th[i] != prior.Values[i]) { th[i] = prior.Values[i]; moved = true; }
            if (moved) r0 = Residuals(th);
            // A parameter can act only once another has moved (the front-end stretch of a zero overhead is zero), so
            // identifiability is judged again at the solution, and the fit repeated when it admits more parameters.
            for (var pass = 0; pass < 3; pass++)
            {
                (th, r0, var used) = solver.Minimize(th, r0, cols, budget, pass == 0 && !moved ? cols.Select(i => j0[i]).ToArray() : null);
                iterations += used;
                var (again, againNotes) = Identifiable(Jacobian(th, r0, all), nRes);
                if (again.All(cols.Contains)) break;
                (cols, why) = (again.Union(cols).Order().ToList(), againNotes);
            }
            return (th, r0, cols, why);
        }

        var final = new PhysicalParameters { Values = theta };
        // r holds the relative residuals at theta, in the same (run, metric) order: the prediction is measured x (1 + r).
        var residuals = new List<MetricComparison>();
        var j = 0;
        for (var i = 0; i < cases.Length; i++)
            foreach (var (metric, value) in cases[i].Targets)
                residuals.Add(new MetricComparison(cases[i].Point.Source, RunMetrics.Concurrency(cases[i].Point), cases[i].Point.RequestRate, metric, value, value * (1 + r[j++])) { Deployment = cases[i].Dep.Label });
        var table = specs.Select((s, i) => new FittedParameter(s.Name, s.Unit, prior.Values[i], theta[i], s.Min, s.Max, fit.Contains(i),
            fit.Contains(i) ? boundNotes.GetValueOrDefault(i, "fitted") : "not fitted: " + notes[i], s.Meaning)).ToList();
        return new CalibrationResult(final, table, residuals, iterations, cases.Select(c => c.Dep).ToList()) { RanOutOfKv = OutOfKv(theta) };
    }

    /// <summary>One clause naming the runs the model ran out of KV cache on, and what to state if they had more.</summary>
    public static string KvNote(IReadOnlyList<string> runs) =>
        $"the model runs out of KV cache on {runs.Count} run(s) ({string.Join(", ", runs.Take(2).Select(Path.GetFileName))}{(runs.Count > 2 ? ", ..." : "")}): " +
        "a run that had more (an fp8 cache, a higher share of memory) should state kv_cache_dtype or gpu_memory_utilization";

    /// <summary>
    /// Where the fit starts: the prior, and three starts read off the runs (the simulated metrics are not smooth
    /// and have several local minima, e.g. TTFT growth explained by a slow prefill instead of a busy front-end):
    /// half the fastest median TPOT as step overhead, half the TPOT growth per added sequence as per-sequence
    /// overhead and half the fastest median TTFT as front-end work, with a front-end time per token of 10 us or
    /// none, and without the step overhead. The best fit inside physics is kept.
    /// </summary>
    private static List<double[]> Starts(PhysicalParameters prior, IReadOnlyList<(int? Concurrency, (string Metric, double Value)[] Targets)> runs)
    {
        var starts = new List<double[]> { (double[])prior.Values.Clone() };
        double? Min(string metric) => runs.SelectMany(r => r.Targets).Where(t => t.Metric == metric).Select(t => (double?)t.Value).Min();
        var tpot = runs.Where(r => r.Concurrency is > 0).SelectMany(r => r.Targets.Where(t => t.Metric == "median_tpot_ms").Select(t => (C: r.Concurrency!.Value, t.Value)))
            .OrderBy(x => x.C).ToList();
        var slopeUs = tpot.Count >= 2 && tpot[^1].C > tpot[0].C ? Math.Max(0, (tpot[^1].Value - tpot[0].Value) / (tpot[^1].C - tpot[0].C) * 1e3) : 0;
        if (Min("median_tpot_ms") is not { } minTpot || Min("median_ttft_ms") is not { } minTtft) return starts;
        double[] From(double stepMs, double frontendUs)
        {
            var v = (double[])prior.Values.Clone();
            v[PhysicalParameters.StepOverhead] = Math.Max(v[PhysicalParameters.StepOverhead], stepMs);
            v[PhysicalParameters.PerSequenceOverhead] = 0.5 * slopeUs;
            v[PhysicalParameters.PrefillOverhead] = 0.5 * minTtft;
            v[PhysicalParameters.FrontendPerToken] = frontendUs;
            for (var i = 0; i < v.Length; i++) v[i] = Math.Clamp(v[i], PhysicalParameters.Specs[i].Min, PhysicalParameters.Specs[i].Max);
            return v;
        }
        starts.Add(From(0.5 * minTpot, 10));
        starts.Add(From(0.5 * minTpot, 0));
        starts.Add(From(0, 0));
        return starts;
    }

    /// <summary>Greedy by effect size: keep a column when it is not nil and not (nearly) a combination of those kept.</summary>
    private static (List<int> Fit, Dictionary<int, string> Notes) Identifiable(double[][] jac, int nRes)
    {
        var specs = PhysicalParameters.Specs;
        var order = Enumerable.Range(0, jac.Length).OrderByDescending(i => Norm(jac[i])).ToList();
        var kept = new List<int>();
        var basis = new List<double[]>();
        var notes = new Dictionary<int, string>();
        foreach (var i in order)
        {
            var norm = Norm(jac[i]);
            if (norm < MinColumnNorm) { notes[i] = "held at its prior: no run's metrics move with it"; continue; }
            if (kept.Count >= nRes) { notes[i] = $"held at its prior: {nRes} (run, metric) pair(s) cannot fit more parameters"; continue; }
            var v = (double[])jac[i].Clone();
            foreach (var b in basis)
            {
                var d = Dot(v, b);
                for (var j = 0; j < v.Length; j++) v[j] -= d * b[j];
            }
            var rest = Norm(v);
            if (rest / norm < MinIndependence)
            {
                // Name the kept parameter it is most confounded with.
                var with = kept.OrderByDescending(c => Math.Abs(Dot(jac[c], jac[i])) / (Norm(jac[c]) * norm)).First();
                notes[i] = $"held at its prior: on these runs it acts like {specs[with].Name} (only {rest / norm * 100:0.#}% of its effect is its own)";
                continue;
            }
            for (var j = 0; j < v.Length; j++) v[j] /= rest;
            basis.Add(v);
            kept.Add(i);
        }
        kept.Sort();
        return (kept, notes);
    }

    private static double Dot(double[] a, double[] b) => BoundedLeastSquares.Dot(a, b);

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static string Fmt(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>prediction.json's `calibration` (after --calibrate): the priors, the fit, each parameter with its range, the
/// residual of every (run, metric) pair and each run's deployment.</summary>
public sealed record CalibrationSectionJson(string Priors, int Iterations, double? RmsErrorPercent, IReadOnlyList<FittedParameterJson> Parameters,
    IReadOnlyList<ComparisonJson> Residuals, IReadOnlyList<DeploymentJson> Deployments)
{
    public static CalibrationSectionJson From(CalibrationResult c, string priorNote) => new(priorNote, c.Iterations, c.RmsPercent,
        c.Table.Select(FittedParameterJson.From).ToList(), c.Residuals.Select(ComparisonJson.From).ToList(), c.Deployments.Select(DeploymentJson.From).ToList());
}

/// <summary>One parameter of the fit: prior, value, physical range, whether it was fitted and why (note), and what it means.</summary>
public sealed record FittedParameterJson(string Name, string Unit, double? Prior, double? Value, double? Min, double? Max, bool Fitted, string Note, string Meaning)
{
    public static FittedParameterJson From(FittedParameter p) => new(p.Name, p.Unit, p.Prior, p.Value,
        p.Min, p.Max, p.Fitted, p.Note, p.Meaning);
}

/// <summary>prediction.json's `check` (after --check): every (run, metric) pair, the error summary of each metric, and each run's deployment.</summary>
public sealed record CheckSectionJson(IReadOnlyList<ComparisonJson> Rows, IReadOnlyList<CheckSummaryJson> Summary, IReadOnlyList<DeploymentJson> Deployments)
{
    public static CheckSectionJson From(CheckResult c) => new(c.Rows.Select(ComparisonJson.From).ToList(), c.Summary.Select(CheckSummaryJson.From).ToList(),
        c.Deployments.Select(DeploymentJson.From).ToList());
}

/// <summary>One metric's error over the checked points, and how many measured values fell inside their intervals.</summary>
public sealed record CheckSummaryJson(string Metric, int Points, double? MedianAbsErrorPercent, double? MaxAbsErrorPercent, int WithInterval, int InsideInterval)
{
    public static CheckSummaryJson From(CheckSummary s) => new(s.Metric, s.Points, s.MedianAbsErrorPercent, s.MaxAbsErrorPercent,
        s.WithInterval, s.Inside);
}

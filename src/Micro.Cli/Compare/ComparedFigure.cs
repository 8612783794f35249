namespace Micro.Cli.Compare;

/// <summary>
/// One figure `micro compare` set side by side: where it is (a device pair, an operating point, a load), its metric
/// name (a ceiling name or the file's own key), A's and B's value, and the change from A to B in percent.
/// </summary>
public sealed record ComparedFigure(string Scope, string Metric, double? A, double? B, string? Unit = null)
{
    /// <summary>(B - A) / |A| x 100; null when either side is missing or A is 0.</summary>
    public double? ChangePercent => A is { } a && a != 0 && double.IsFinite(a) && B is { } b && double.IsFinite(b) ? (b - a) / Math.Abs(a) * 100 : null;
}

/// <summary>What one `micro compare` found: the kind of files, every figure paired, and what only one side had.</summary>
public sealed record Comparison(string Kind, string A, string B, IReadOnlyList<ComparedFigure> Figures, IReadOnlyList<string> Unpaired);

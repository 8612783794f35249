namespace Micro.Suites.Running;

/// <summary>
/// A suite is a table of cases plus backends; `micro run` runs every registered suite this machine can run.
/// Run must not throw for a missing backend: it reports what it skipped and why.
/// </summary>
public interface ISuite
{
    string Name { get; }
    string Description { get; }
    SuiteOutcome Run(SuiteRequest request, IResultSink sink, ISuiteProgress progress);
}

/// <summary>Options every suite understands; suite-specific ones go in Extra.</summary>
public sealed record SuiteRequest
{
    public bool Quick { get; init; }
    /// <summary>Override of the working-set size in bytes (null: the suite's default sweep).</summary>
    public long? SizeBytes { get; init; }
    /// <summary>Override of the working-set size as a fraction of device memory (0..1).</summary>
    public double? SizeFraction { get; init; }
    public int? Iterations { get; init; }
    public int? Warmup { get; init; }
    /// <summary>Backends to run (null: all available).</summary>
    public IReadOnlySet<string>? Backends { get; init; }
    public TimeSpan? CaseTimeout { get; init; }
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}

/// <param name="Skipped">One line per backend or case not run here, with the reason.</param>
/// <param name="Failures">One line per point that failed verification.</param>
public sealed record SuiteOutcome(IReadOnlyList<string> Skipped, IReadOnlyList<string> Failures)
{
    public static SuiteOutcome Empty { get; } = new([], []);
}

/// <summary>Progress reporting (Spectre progress bars in the CLI, nothing in tests).</summary>
public interface ISuiteProgress
{
    void Start(string task, int total);
    void Advance(string task, string detail);
    void Note(string line);
}

public sealed class NullProgress : ISuiteProgress
{
    public static readonly NullProgress Instance = new();
    public void Start(string task, int total) { }
    public void Advance(string task, string detail) { }
    public void Note(string line) { }
}

namespace Micro.Suites.Running;

/// <summary>
/// A suite is a table of cases plus backends; `micro run` runs every registered suite this machine can run.
/// Run must not throw for a missing backend: it reports what it skipped and why.
/// </summary>
public interface ISuite
{
    string Name { get; }
    string Description { get; }
    /// <summary>The backends this suite can run (what `--backend` selects among); `micro run --backend` uses it.</summary>
    IReadOnlyList<SuiteBackend> Backends { get; }
    /// <summary>Runs with the suite's default options for <paramref name="request"/> (what `micro run` does).</summary>
    SuiteOutcome Run(SuiteRequest request, IResultSink sink, ISuiteProgress progress);
}

/// <summary>A suite with its own typed options record: its verb binds the record, `micro run` takes the defaults.</summary>
public interface ISuite<TOptions> : ISuite where TOptions : class
{
    /// <summary>The options `micro run` uses (they may depend on --quick and on what this machine has).</summary>
    TOptions DefaultOptions(SuiteRequest request);
    SuiteOutcome Run(SuiteRequest request, TOptions options, IResultSink sink, ISuiteProgress progress);
    SuiteOutcome ISuite.Run(SuiteRequest request, IResultSink sink, ISuiteProgress progress) => Run(request, DefaultOptions(request), sink, progress);
}

/// <summary>A typed suite bound to its options, usable wherever an <see cref="ISuite"/> is (micro run, fleet mode).</summary>
public sealed class ConfiguredSuite<TOptions>(ISuite<TOptions> suite, TOptions options) : ISuite where TOptions : class
{
    public string Name => suite.Name;
    public string Description => suite.Description;
    public IReadOnlyList<SuiteBackend> Backends => suite.Backends;
    public TOptions Options => options;
    public SuiteOutcome Run(SuiteRequest request, IResultSink sink, ISuiteProgress progress) => suite.Run(request, options, sink, progress);
}

public static class SuiteExtensions
{
    /// <summary>This suite with these options, as a plain <see cref="ISuite"/>.</summary>
    public static ISuite With<TOptions>(this ISuite<TOptions> suite, TOptions options) where TOptions : class => new ConfiguredSuite<TOptions>(suite, options);
}

/// <param name="Name">The name `--backend` takes (host, ilgpu, native, cuda, cublas, nccl, mpi).</param>
/// <param name="OnHost">Runs in host memory and loads no GPU library: what `micro run --backend host` selects.</param>
public sealed record SuiteBackend(string Name, bool OnHost = false)
{
    /// <summary>`--backend host` selects every backend that runs on the host, whatever its own name.</summary>
    public const string Host = "host";

    public bool Matches(string selected) =>
        string.Equals(selected, Name, StringComparison.OrdinalIgnoreCase) || (OnHost && string.Equals(selected, Host, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Options every suite understands; each suite's own options are its typed record (ISuite&lt;TOptions&gt;).</summary>
public sealed record SuiteRequest
{
    public bool Quick { get; init; }
    public int? Iterations { get; init; }
    public int? Warmup { get; init; }
    /// <summary>Backend names of this suite to run (null: all available); see <see cref="SuiteBackend"/>.</summary>
    public IReadOnlySet<string>? Backends { get; init; }
    public TimeSpan? CaseTimeout { get; init; }

    /// <summary>True when <paramref name="backend"/> is selected (no selection: every backend).</summary>
    public bool Wants(string backend) => Backends is null || Backends.Contains(backend);
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

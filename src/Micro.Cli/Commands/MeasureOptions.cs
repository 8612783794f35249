using System.CommandLine;
using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>The options every measuring verb shares (--out, --quick, -n, -w), bound into a SuiteRequest after the range checks.</summary>
public sealed class MeasureOptions
{
    public Option<DirectoryInfo?> Out { get; }
    public Option<bool> Quick { get; } = CommonOptions.Quick();
    public Option<int?> Iterations { get; } = CommonOptions.Iterations();
    public Option<int?> Warmup { get; } = CommonOptions.Warmup();
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Tables at their full width (nothing cut to fit 100 columns) and every skip line as its suite said it" };

    public MeasureOptions(bool outLetter = true) => Out = CommonOptions.Out(outLetter);

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Out, Quick, Iterations, Warmup, Verbose }) cmd.Options.Add(o);
    }

    public SuiteRequest Request(ParseResult parse, IReadOnlySet<string>? backends = null) => new()
    {
        Quick = parse.GetValue(Quick),
        Iterations = CommonOptions.Range(parse.GetValue(Iterations), 1, CommonOptions.MaxIterations, "--iterations"),
        Warmup = CommonOptions.Range(parse.GetValue(Warmup), 0, CommonOptions.MaxWarmup, "--warmup"),
        Backends = backends,
    };

    /// <summary>The checked --out directory (not created yet), or null when none was given.</summary>
    public string? OutDir(ParseResult parse) => CheckedOut(parse, Out, appendsResults: true);

    public static string? CheckedOut(ParseResult parse, Option<DirectoryInfo?> option, bool appendsResults = false) =>
        parse.GetValue(option) is { } d ? OutputDirectory.Check(d.ToString(), option.Name, appendsResults) : null;
}

using System.CommandLine;
using System.Globalization;

namespace Micro.Cli;

/// <summary>
/// The option vocabulary: every option that more than one verb takes is built here, so it has one spelling, one
/// letter and one meaning everywhere (`micro collectives` alone keeps nccl-tests' own letters). Each numeric option
/// states its range, and <see cref="Range"/> checks it before anything runs.
/// </summary>
public static class CommonOptions
{
    public const int MaxIterations = 10_000_000, MaxWarmup = 1_000_000;
    public const double MaxTimeoutSeconds = 1e6;
    /// <summary>The largest price or monthly count an option takes: past it no cost is meaningful and the products of
    /// prices, rates and hours leave the range of a double (a 1e308 $/h price made every cost Infinity).</summary>
    public const double MaxMoneyFigure = 1e12;
    /// <summary>The largest --peak-factor: a peak a thousand times the average load is not one service's day.</summary>
    public const double MaxPeakFactor = 1e3;

    /// <summary>A price or count option's value: positive, finite and at most <see cref="MaxMoneyFigure"/>, or one UsageException.</summary>
    public static double Positive(double v, string name) =>
        v > 0 && v <= MaxMoneyFigure ? v : throw new UsageException($"{name} must be a positive number of at most {MaxMoneyFigure:G0} (given {v.ToString(CultureInfo.InvariantCulture)})");

    /// <summary>Where the verb writes; without it nothing is written. Checked (OutputDirectory) before anything runs, created at the first file.</summary>
    public const string OutDescription = "Directory for the files this verb writes (checked before anything runs, created when the first file is written; an existing results.jsonl is appended to)";

    public static Option<DirectoryInfo?> Out(bool letter = true, string withoutIt = "without --out nothing is written") =>
        new("--out", letter ? ["-o"] : []) { Description = $"{OutDescription}; {withoutIt}" };

    /// <summary>--quality FILE (analyze, predict and its plan): scores beside cost, one table format (Traffic.QualityTable).</summary>
    public static Option<string?> Quality() => new("--quality")
    {
        Description = "CSV config,score[,share_below_floor]: quality beside cost; config = a deployment label such as 'NVIDIA H100 SXM5 80GB TP4 fp8', model/weight dtype, or (analyze) a result file's name",
    };

    public static Option<bool> Quick() => new("--quick") { Description = "Small sizes and few iterations: a smoke run, not a ceiling" };
    public static Option<int?> Iterations() => new("--iterations", "-n") { Description = $"Timed iterations per point (1..{MaxIterations:N0})" };
    public static Option<int?> Warmup() => new("--warmup", "-w") { Description = $"Untimed warm-up iterations per point (0..{MaxWarmup:N0})" };
    /// <param name="withoutOut">What --csv does without --out (run: it is refused).</param>
    public static Option<bool> Csv(string withoutOut = "refused") => new("--csv") { Description = $"Also write results.csv into --out; without --out: {withoutOut}" };

    public static Option<string[]> Backend(string known) =>
        new("--backend", "-b") { Description = $"Only these backends ({known}); default: every one available here", AllowMultipleArgumentsPerToken = true };

    /// <summary>The data types a suite measures (memory: float/double; gemm: bf16/fp16/tf32/fp32).</summary>
    public static Option<string[]> DType(string known) =>
        new("--dtype") { Description = $"Data types to measure ({known}); default: all", AllowMultipleArgumentsPerToken = true };

    public static Option<string?> Size(string description) => new("--size", "-s") { Description = description };

    public static Option<int> Device() =>
        new("--device") { Description = $"CUDA device ordinal (0..{Suites.Link.GpuSuiteOptions.MaxDevice})", DefaultValueFactory = _ => 0 };

    /// <summary>True when the user gave <paramref name="option"/> (not its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary><paramref name="value"/> in [min, max], or a one-line usage error naming the option and its range.</summary>
    public static T Range<T>(T value, T min, T max, string option) where T : IComparable<T>, IFormattable
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0 || value is double d && !double.IsFinite(d))
            throw new UsageException($"{option} {Show(value)}: out of range {Show(min)}..{Show(max)}");
        return value;
    }

    public static T? Range<T>(T? value, T min, T max, string option) where T : struct, IComparable<T>, IFormattable =>
        value is { } v ? Range(v, min, max, option) : null;

    /// <summary>A positive number of seconds up to <see cref="MaxTimeoutSeconds"/> (so a TimeSpan never overflows).</summary>
    public static double Seconds(double value, string option)
    {
        if (!(value > 0) || !(value <= MaxTimeoutSeconds))
            throw new UsageException($"{option} {Show(value)}: out of range (0, {Show(MaxTimeoutSeconds)}] seconds");
        return value;
    }

    private static string Show<T>(T v) where T : IFormattable => v.ToString(null, CultureInfo.InvariantCulture);
}

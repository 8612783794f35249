using System.Globalization;

namespace Micro.Core.Results;

/// <summary>
/// Bounds on untrusted input so a huge or hostile file fails with one line instead of exhausting memory. The figures
/// keep every verb under 1.5 GB peak RSS whatever the input (README "Input limits"). MICRO_INPUT_LIMIT_BYTES lowers
/// every byte limit at once (tests use it so no test writes more than a few MB); it never raises one.
/// </summary>
public static class InputLimits
{
    public const string LimitVariable = "MICRO_INPUT_LIMIT_BYTES";
    /// <summary>Lowers every count limit (points, per-request values, log rows) the way LimitVariable lowers bytes.</summary>
    public const string CountVariable = "MICRO_INPUT_LIMIT_ITEMS";

    /// <summary>results.jsonl, vLLM result files, analysis.json.</summary>
    public const long MaxFileBytes = 256L << 20;
    public const long MaxCeilingsBytes = 64L << 20;
    public const long MaxModelConfigBytes = 16L << 20;
    public const long MaxLogBytes = 64L << 20;
    public const long MaxBabelStreamBytes = 16L << 20;
    public const int MaxLineBytes = 64 << 20;
    /// <summary>One JSON string or property name (vLLM error texts and generated texts are far below it).</summary>
    public const int MaxStringBytes = 16 << 20;
    public const int MaxJsonDepth = 64;
    /// <summary>Benchmark points one analysis reads (all files together); a sweep has tens.</summary>
    public const int MaxPoints = 50_000;
    /// <summary>Numbers in one file's per-request arrays (16M doubles = 128 MB parsed).</summary>
    public const long MaxRequestValues = 16L << 20;
    /// <summary>Result rows of one nccl-tests/rccl-tests log (a full -b 8 -e 8G -f 2 sweep has 31).</summary>
    public const int MaxLogRows = 10_000;

    /// <summary>A byte limit lowered to MICRO_INPUT_LIMIT_BYTES when that is set and smaller.</summary>
    public static long Effective(long limit) => Lowered(limit, LimitVariable, "byte count");

    public static int Effective(int limit) => (int)Effective((long)limit);

    /// <summary>A count limit lowered to MICRO_INPUT_LIMIT_ITEMS when that is set and smaller.</summary>
    public static long EffectiveCount(long limit) => Lowered(limit, CountVariable, "count");

    private static long Lowered(long limit, string variable, string what)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text)) return limit;
        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var env) || env <= 0)
            throw new InputException(variable, null, $"expected a positive {what}, found '{Clip(text)}'");
        return Math.Min(limit, env);
    }

    /// <summary>"268,435,456 bytes (256 MiB)": the limit as a person reads it.</summary>
    public static string Describe(long bytes)
    {
        var exact = bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
        if (bytes >= 1 << 20) return $"{exact} ({(bytes / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture)} MiB)";
        if (bytes >= 1 << 10) return $"{exact} ({(bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture)} KiB)";
        return exact;
    }

    /// <summary>Refuses a missing file, a directory, or a regular file larger than the limit (before anything is read).</summary>
    public static void CheckFileSize(string path, long max = MaxFileBytes)
    {
        max = Effective(max);
        if (Directory.Exists(path)) throw new InputException(path, null, "is a directory, not a file");
        var info = new FileInfo(path);
        if (!info.Exists) throw new InputException(path, null, "file not found");
        if (info.Length > max) throw new InputException(path, null, $"file is {Describe(info.Length)}, more than the {Describe(max)} input limit");
    }

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "..." : s;
}

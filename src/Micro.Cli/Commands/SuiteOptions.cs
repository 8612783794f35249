using System.Globalization;
using Micro.Core;

namespace Micro.Cli.Commands;

/// <summary>Parsing of option values shared by the suite verbs; bad values become one-line UsageExceptions.</summary>
public static class SuiteOptions
{
    /// <summary>"512M", "1.5GB", "1073741824" -> bytes; "25%" -> fraction 0.25 of device memory.</summary>
    public static (long? Bytes, double? Fraction) ParseSize(string? text)
    {
        if (text is null) return (null, null);
        var t = text.Trim();
        if (t.EndsWith('%'))
        {
            if (double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) && pct > 0 && pct <= 95)
                return (null, pct / 100);
            throw new UsageException($"bad --size '{text}': a percentage of device memory must be in (0, 95]%");
        }
        if (Units.TryParseBytes(t, out var bytes) && bytes > 0) return (bytes, null);
        throw new UsageException($"bad --size '{text}': expected bytes (e.g. 512M, 1.5GB, 1073741824) or a percentage of device memory (e.g. 25%)");
    }

    /// <summary>Repeated and comma-separated values: --kernel copy,triad --kernel dot.</summary>
    public static string[] Split(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}

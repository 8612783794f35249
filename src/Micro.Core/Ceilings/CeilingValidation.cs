using Micro.Core.Input;

namespace Micro.Core.Ceilings;

/// <summary>
/// What a ceiling read from an untrusted ceilings.json must hold beyond its JSON shape (JsonShape refuses null and
/// non-finite figures): a value above 0 and, by its unit, below what any one device or link reaches (the bounds of
/// <see cref="PrintedFigure"/>: 1 PB/s, a year; 1 EFLOP/s), so that no prediction or comparison builds on 1e308 GB/s.
/// </summary>
public static class CeilingValidation
{
    /// <summary>1 EFLOP/s: a thousand times any one GPU's dense rate.</summary>
    public const double MaxTflops = 1e6;

    /// <summary>(field, reason) of the first problem in the profile, or null when every ceiling is usable.</summary>
    public static (string Field, string Reason)? Problem(CeilingsProfile p)
    {
        for (var d = 0; d < p.Devices.Count; d++)
            for (var c = 0; c < p.Devices[d].Ceilings.Count; c++)
                if (Problem(p.Devices[d].Ceilings[c]) is { } why) return ($"devices[{d}].ceilings[{c}].{why.Field}", why.Reason);
        return null;
    }

    private static (string Field, string Reason)? Problem(Ceiling c)
    {
        if (!(c.Value > 0)) return ("value", $"{c.Value} {c.Unit}: a ceiling is a measured rate or time above 0");
        var (bound, what) = c.Unit switch
        {
            "GB/s" => (PrintedFigure.MaxBytesPerSecond / 1e9, "1 PB/s: faster than any device or link"),
            "TFLOP/s" => (MaxTflops, "1 EFLOP/s: faster than any one device"),
            "us" => (PrintedFigure.MaxSeconds * 1e6, "a year: not one timed operation"),
            "ms" => (PrintedFigure.MaxSeconds * 1e3, "a year: not one timed operation"),
            "s" => (PrintedFigure.MaxSeconds, "a year: not one timed operation"),
            _ => (double.MaxValue, ""),
        };
        if (c.Value > bound) return ("value", $"{c.Value:G6} {c.Unit} is more than {what}");
        if (c.Datasheet is { } ds && !(ds > 0)) return ("datasheet", $"{ds} {c.Unit}: a datasheet figure is above 0");
        if (c.Candidates < 0) return ("candidates", $"{c.Candidates} is negative");
        return null;
    }
}

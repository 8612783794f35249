namespace Micro.Cli.Output;

/// <summary>
/// The suites' "what: reason" skip lines, each reason said once with everything it skipped
/// ("skipped link, launch, gemm: no CUDA driver: ..."), in the order the reasons first came.
/// </summary>
public static class SkipSummary
{
    public static IReadOnlyList<string> Lines(IEnumerable<string> skipped)
    {
        var byReason = new List<(string Reason, List<string> What)>();
        foreach (var line in skipped)
        {
            var cut = line.IndexOf(": ", StringComparison.Ordinal);
            var (what, reason) = cut > 0 ? (line[..cut], line[(cut + 2)..]) : ("", line);
            var entry = byReason.FirstOrDefault(e => e.Reason == reason);
            if (entry.What is null) byReason.Add((reason, [what]));
            else if (!entry.What.Contains(what)) entry.What.Add(what);
        }
        return byReason.Select(e => e.What.All(w => w.Length == 0) ? $"skipped: {e.Reason}" : $"skipped {string.Join(", ", e.What.Where(w => w.Length > 0))}: {e.Reason}").ToList();
    }
}

using System.Globalization;

namespace Micro.Suites.Gemm;

/// <summary>
/// Picks the fastest of cuBLASLt's heuristic candidates: each is timed <see cref="Trials"/> times (after one untimed
/// run), judged by its median, and a candidate whose run fails (NOT_SUPPORTED at run time, say) is skipped with the
/// reason. The chosen one and every candidate's median are recorded, so the figure says what won and by how much.
/// </summary>
public sealed class LtCandidateTiming<T>(IReadOnlyList<T> candidates, Func<T, string> describe)
{
    public const int Trials = 3;

    public sealed record Timed(int Index, T Candidate, double? MedianSeconds, string? Failure);

    public IReadOnlyList<Timed> Results { get; private set; } = [];

    /// <summary>Times every candidate with <paramref name="timeOnce"/> (seconds per GEMM); returns the fastest.</summary>
    public Timed Choose(Action<T> warm, Func<T, double> timeOnce, Func<Exception, bool> isRunFailure)
    {
        var results = new List<Timed>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var cand = candidates[i];
            try
            {
                warm(cand);
                var t = new double[Trials];
                for (var r = 0; r < Trials; r++) t[r] = timeOnce(cand);
                Array.Sort(t);
                results.Add(new Timed(i, cand, t[Trials / 2], null));
            }
            catch (Exception e) when (isRunFailure(e))
            {
                results.Add(new Timed(i, cand, null, e.Message.Split('\n')[0]));
            }
        }
        Results = results;
        return results.Where(r => r.MedianSeconds is { } s && double.IsFinite(s) && s > 0).MinBy(r => r.MedianSeconds!.Value)
               ?? throw new InvalidOperationException("no cuBLASLt candidate ran: " + string.Join("; ", results.Select(r => $"{describe(r.Candidate)}: {r.Failure}")));
    }

    /// <summary>"12.3,12.9,fail,14.1": each candidate's median in microseconds, in the heuristic's order.</summary>
    public string Summary() => string.Join(",", Results.Select(r =>
        r.MedianSeconds is { } s ? (s * 1e6).ToString("0.###", CultureInfo.InvariantCulture) : "fail"));
}

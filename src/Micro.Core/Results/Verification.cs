namespace Micro.Core.Results;

/// <summary>Outcome of checking a kernel's or collective's output against a reference.</summary>
public sealed record Verification(bool Passed, long Checked, long Wrong, double MaxError, string Method)
{
    public static Verification Ok(long checkedCount, double maxError, string method) => new(true, checkedCount, 0, maxError, method);
    public static Verification Failed(long checkedCount, long wrong, double maxError, string method) => new(false, checkedCount, wrong, maxError, method);
    /// <summary>For points that have nothing to verify (an import of someone else's log, a latency probe).</summary>
    public static Verification NotApplicable(string why) => new(true, 0, 0, 0, "n/a: " + why);
}

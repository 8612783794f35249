using Micro.Core.Results;

namespace Micro.Suites.Running;

/// <summary>
/// The backend side of one case: set up seeded non-zero inputs, run one timed iteration, verify the output.
/// The runner owns warm-up, repetition, statistics, the watchdog and writing results.
/// </summary>
public interface IMeasuredOperation : IDisposable
{
    /// <summary>"device-events" when RunTimed reads device events, "host-clock" when it synchronizes and reads a host clock.</summary>
    string Timer { get; }

    /// <summary>Allocates and fills inputs (seeded, non-zero). Not timed.</summary>
    void Prepare();

    /// <summary>Runs one iteration and returns its duration in seconds.</summary>
    double RunTimed();

    /// <summary>Checks the output of the iterations run so far against a reference.</summary>
    Verification Verify();

    /// <summary>Parameters only known once prepared (e.g. the algorithm a tuner chose), merged into the record's parameters.</summary>
    IReadOnlyDictionary<string, string>? ResolvedParameters => null;
}

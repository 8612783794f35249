using Micro.Core.Context;

namespace Micro.Suites.Running;

/// <param name="Warmup">Untimed iterations before timing.</param>
/// <param name="Iterations">Timed iterations (samples).</param>
/// <param name="CaseTimeout">A case (prepare + warm-up + timing + verify) past this is stopped with a clear message.</param>
public sealed record RunnerOptions(int Warmup = 2, int Iterations = 20, TimeSpan? CaseTimeout = null)
{
    public TimeSpan Timeout => CaseTimeout ?? TimeSpan.FromMinutes(2);

    /// <summary>CPU time and load of host points (contention); tests inject their own.</summary>
    public IHostLoadSource LoadSource { get; init; } = SystemHostLoad.Instance;
}

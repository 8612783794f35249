namespace Micro.Suites.Running;

/// <summary>
/// An operation whose timed iterations must run back to back without a host wait between them
/// (collectives: nccl-tests enqueues all iterations, then synchronizes once; a per-iteration sync
/// would add launch latency to every sample). The runner calls RunBatch once instead of RunTimed
/// per iteration; warm-up still uses RunTimed.
/// </summary>
public interface IBatchTimedOperation : IMeasuredOperation
{
    /// <summary>
    /// Runs <paramref name="iterations"/> iterations and returns per-iteration seconds: normally one
    /// per iteration; fewer (at least one, each a mean) when per-iteration times do not exist (graph replay).
    /// </summary>
    IReadOnlyList<double> RunBatch(int iterations);
}

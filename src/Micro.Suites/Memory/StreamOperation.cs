using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Memory;

/// <summary>One kernel on one set of arrays, as the runner sees it: re-initialise, run, verify what ran.</summary>
public sealed class StreamOperation(IStreamArrays arrays, StreamKernel kernel, StreamValues values, string timer) : IMeasuredOperation
{
    private int _runs;

    public string Timer { get; } = timer;

    public void Prepare()
    {
        arrays.Initialize(values);
        _runs = 0;
    }

    public double RunTimed()
    {
        var t = arrays.Run(kernel, values.Scalar);
        _runs++;
        return t;
    }

    public Verification Verify() => StreamVerifier.Verify(arrays, kernel, _runs, values);

    /// <summary>The arrays belong to the suite, which reuses them across kernels.</summary>
    public void Dispose() { }
}

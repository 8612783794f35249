namespace Micro.Suites.Running;

public sealed class CaseTimeoutException(string suite, string @case, string backend, TimeSpan budget)
    : Exception($"timed out: {suite}/{@case} on {backend} did not finish within {budget.TotalSeconds:0.#} s (hung kernel or device?)");

namespace Micro.Core.Results;

/// <summary>A rate derived from counted bytes or flops: from the median time, and the best (min-time) figure BabelStream prints.</summary>
public sealed record Throughput(string Unit, double Median, double Best, double Worst);

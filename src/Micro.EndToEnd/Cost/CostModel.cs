namespace Micro.EndToEnd.Cost;

/// <summary>The cost formulas of docs/formulas.md: instance time is billed whole, whatever the requests did with it.</summary>
public static class CostModel
{
    public const double HoursPerMonth = 730;

    /// <summary>$ per completed request = $/h / 3600 / completed requests per second.</summary>
    public static double PerRequest(double dollarsPerHour, double requestsPerSecond) =>
        requestsPerSecond > 0 ? dollarsPerHour / 3600 / requestsPerSecond : double.PositiveInfinity;

    /// <summary>$ per 1M tokens = $/h / (tokens/s * 3600 / 1e6).</summary>
    public static double Per1MTokens(double dollarsPerHour, double tokensPerSecond) =>
        tokensPerSecond > 0 ? dollarsPerHour / (tokensPerSecond * 3600 / 1e6) : double.PositiveInfinity;

    /// <summary>
    /// Unit view (requests/month x $/request at full use) and provisioned view (replicas = ceil(peak / capacity),
    /// each billed 730 h a month, idle included).
    /// </summary>
    public static MonthlyCost Monthly(double requestsPerMonth, double peakFactor, double capacityRps, double dollarsPerHour, double? revenuePerRequest)
    {
        var perRequest = PerRequest(dollarsPerHour, capacityRps);
        var unit = requestsPerMonth * perRequest;
        var averageRps = requestsPerMonth / (HoursPerMonth * 3600);
        var peakRps = averageRps * peakFactor;
        var replicas = capacityRps > 0 ? Math.Max(1, (int)Math.Ceiling(peakRps / capacityRps - 1e-12)) : int.MaxValue;
        var provisioned = replicas * dollarsPerHour * HoursPerMonth;
        double? revenue = revenuePerRequest is { } r ? r * requestsPerMonth : null;
        return new MonthlyCost
        {
            RequestsPerMonth = requestsPerMonth, PeakFactor = peakFactor, AverageLoadRps = averageRps, PeakLoadRps = peakRps,
            CapacityRps = capacityRps, Replicas = replicas, UnitMonthlyCost = unit, ProvisionedMonthlyCost = provisioned,
            MonthlyCostDelta = provisioned - unit, MonthlyRevenue = revenue,
            Margin = revenue is > 0 ? (revenue.Value - provisioned) / revenue.Value : null,
        };
    }
}

/// <summary>Monthly cost of serving a traffic level at one operating point.</summary>
public sealed record MonthlyCost
{
    public required double RequestsPerMonth { get; init; }
    public required double PeakFactor { get; init; }
    public required double AverageLoadRps { get; init; }
    public required double PeakLoadRps { get; init; }
    public required double CapacityRps { get; init; }
    public required int Replicas { get; init; }
    public required double UnitMonthlyCost { get; init; }
    public required double ProvisionedMonthlyCost { get; init; }
    /// <summary>Provisioned minus unit: what idle capacity costs.</summary>
    public required double MonthlyCostDelta { get; init; }
    public double? MonthlyRevenue { get; init; }
    /// <summary>Gross margin of the provisioned view: (revenue - cost) / revenue.</summary>
    public double? Margin { get; init; }
}

namespace Micro.EndToEnd.Cost;

/// <summary>A typical on-demand $/GPU-hour, with where it came from. Override with --gpu-hour-price for real contracts.</summary>
public sealed record GpuPrice(string Key, double DollarsPerGpuHour, string Source);

/// <summary>
/// Typical public on-demand list prices per GPU-hour (8-GPU instances divided by 8), as published by the named
/// providers in 2025. They are not re-checked at run time and vary by region, term and provider: the report says so.
/// </summary>
public static class GpuPrices
{
    public static readonly IReadOnlyList<GpuPrice> All =
    [
        new("h100-sxm", 2.99, "Lambda on-demand 8x H100 SXM, $2.99/GPU-h (lambda.ai/pricing, 2025)"),
        new("h100-pcie", 2.49, "Lambda on-demand 1x H100 PCIe, $2.49/GPU-h (lambda.ai/pricing, 2025)"),
        new("h100-nvl", 2.99, "assumed equal to H100 SXM (no common on-demand list price)"),
        new("h200", 3.79, "typical 2025 neocloud on-demand H200 SXM list price, ~$3.50-4.00/GPU-h (e.g. Lambda, Nebius)"),
        new("b200", 4.99, "Lambda on-demand 8x B200, $4.99/GPU-h (lambda.ai/pricing, 2025)"),
        new("a100-sxm-80", 1.79, "Lambda on-demand 8x A100 SXM 80GB, $1.79/GPU-h (lambda.ai/pricing, 2025)"),
        new("a100-sxm-40", 1.29, "Lambda on-demand 8x A100 SXM 40GB, $1.29/GPU-h (lambda.ai/pricing, 2025)"),
        new("l40s", 1.00, "typical 2025 on-demand L40S list price, ~$0.9-1.2/GPU-h (e.g. RunPod)"),
        new("mi300x", 2.00, "typical 2025 on-demand MI300X list price, ~$2/GPU-h (e.g. TensorWave, Vultr)"),
        new("mi325x", 2.50, "typical 2025 on-demand MI325X list price, ~$2-3/GPU-h (e.g. TensorWave, Vultr)"),
        new("mi355x", 3.00, "assumed ~$3/GPU-h: few public MI355X on-demand prices in 2025"),
    ];

    public static GpuPrice? Find(string? datasheetKeyOrName)
    {
        if (datasheetKeyOrName is null) return null;
        var key = Micro.Core.Hardware.Datasheet.Match(datasheetKeyOrName)?.Key ?? datasheetKeyOrName;
        return All.FirstOrDefault(p => p.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
    }
}

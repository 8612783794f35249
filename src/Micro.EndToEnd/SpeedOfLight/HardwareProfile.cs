using Micro.Core.Ceilings;
using Micro.Core.Hardware;
using Micro.Core.Results;

namespace Micro.EndToEnd.SpeedOfLight;

/// <summary>Per-GPU memory bandwidth and dense GEMM rate the speed of light is computed from, and where they came from.</summary>
public sealed record HardwareProfile(string Name, double BandwidthGBps, double GemmTflops, bool Measured, string Source)
{
    public string Label => Measured ? "measured" : "datasheet, not measured";

    public static HardwareProfile FromDatasheet(string gpu)
    {
        var spec = Datasheet.Match(gpu) ?? throw new InputException("--gpu", gpu,
            "no datasheet entry for this GPU (known: " + string.Join(", ", Datasheet.All.Select(s => s.Key)) + ")");
        var gemm = spec.Bf16Tflops ?? throw new InputException("--gpu", gpu, "the datasheet entry has no bf16 GEMM rate");
        return new HardwareProfile(spec.DisplayName, spec.MemoryBandwidthGBps, gemm, false, spec.Source);
    }

    /// <summary>A ceilings.json from `micro run`: the first device with a memory_bandwidth ceiling (or the named device).</summary>
    public static HardwareProfile FromCeilings(string path, string? device = null)
    {
        var profile = CeilingsFile.Read(path);
        var dev = profile.Devices.FirstOrDefault(d => (device is null || d.Device.Contains(device, StringComparison.OrdinalIgnoreCase)) && d.Find(CeilingNames.MemoryBandwidth) is not null)
                  ?? throw new InputException(path, CeilingNames.MemoryBandwidth, device is null ? "no device has a memory_bandwidth ceiling" : $"no device matching '{device}' has a memory_bandwidth ceiling");
        var bw = dev.Find(CeilingNames.MemoryBandwidth)!;
        if (!bw.Unit.Equals("GB/s", StringComparison.OrdinalIgnoreCase) || !(bw.Value > 0) || !double.IsFinite(bw.Value))
            throw new InputException(path, CeilingNames.MemoryBandwidth, $"expected a positive value in GB/s, found {bw.Value} {bw.Unit}");
        var gemm = dev.Find(CeilingNames.GemmBf16);
        var source = $"ceilings {path}, device {dev.Device}: memory_bandwidth from {bw.Suite}/{bw.Case} ({bw.Backend})";
        if (gemm is not null)
        {
            if (!gemm.Unit.Equals("TFLOP/s", StringComparison.OrdinalIgnoreCase) || !(gemm.Value > 0) || !double.IsFinite(gemm.Value))
                throw new InputException(path, CeilingNames.GemmBf16, $"expected a positive value in TFLOP/s, found {gemm.Value} {gemm.Unit}");
            return new HardwareProfile(dev.Device, bw.Value, gemm.Value, true, source + $"; gemm_bf16 from {gemm.Suite}/{gemm.Case} ({gemm.Backend})");
        }
        var spec = Datasheet.Match(dev.Device)
                   ?? throw new InputException(path, CeilingNames.GemmBf16, "no gemm_bf16 ceiling and no datasheet entry for " + dev.Device);
        return new HardwareProfile(dev.Device, bw.Value, spec.Bf16Tflops ?? 0, true,
            source + $"; gemm_bf16 {spec.Bf16Tflops} TFLOP/s from the datasheet, not measured ({spec.Source})");
    }
}

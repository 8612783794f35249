using Micro.Core.Ceilings;
using Micro.Core.Hardware;
using Micro.Core.Results;

namespace Micro.EndToEnd.SpeedOfLight;

/// <summary>Per-GPU memory bandwidth and dense GEMM rate the speed of light is computed from, and where they came from.</summary>
public sealed record HardwareProfile(string Name, double BandwidthGBps, double GemmTflops, bool Measured, string Source)
{
    public string Label => Measured ? "measured" : "datasheet, not measured";

    /// <summary>Dense fp8 (e4m3) GEMM rate: the measured gemm_fp8 ceiling where the profile has one, else the datasheet's; null when neither.</summary>
    public double? Fp8GemmTflops { get; init; }

    /// <summary>Where <see cref="Fp8GemmTflops"/> came from ("measured gemm_fp8 from ..." or "datasheet, not measured").</summary>
    public string? Fp8Source { get; init; }

    /// <summary>
    /// The dense GEMM rate for weights stored as <paramref name="weightDtype"/> (WeightFormat.Quantized): fp8 models
    /// (fp8, fp8_e4m3, w8a8) run their linear layers on the fp8 tensor cores, so they use <see cref="Fp8GemmTflops"/>
    /// where known; everything else (and fp8 without a known rate) uses the bf16 rate. SolModel's FLOP bound should
    /// call this instead of reading <see cref="GemmTflops"/> directly.
    /// </summary>
    public double GemmTflopsFor(string weightDtype) =>
        IsFp4(weightDtype) && Fp4GemmTflops is > 0 and var fp4 ? fp4
        : (IsFp8(weightDtype) || IsFp4(weightDtype) || (IsMxfp4Mxfp8(weightDtype) && Fp4GemmTflops is > 0)) && Fp8GemmTflops is > 0 and var fp8 ? fp8
        : GemmTflops;

    /// <summary>
    /// MXFP4 weights with MXFP8 activations: vLLM's FlashInfer TRT-LLM MoE on Blackwell (VLLM_USE_FLASHINFER_MOE_MXFP4_MXFP8=1,
    /// which vLLM's gpt-oss recipe and InferenceX's B200 launch script set) runs block-scaled MMA at the fp8 rate. It needs
    /// the block-scaled (fp4) tensor cores; on other GPUs vLLM runs mxfp4 as W4A16, at the bf16 rate.
    /// </summary>
    public static bool IsMxfp4Mxfp8(string weightDtype) => weightDtype.ToLowerInvariant() is "mxfp4_mxfp8";

    /// <summary>Dense fp4 GEMM rate (datasheet) where the GPU has fp4 tensor cores (Blackwell); null elsewhere.</summary>
    public double? Fp4GemmTflops { get; init; }

    /// <summary>NVFP4 (W4A4) runs on fp4 tensor cores where the GPU has them; mxfp4 in vLLM runs as W4A16 on most GPUs, so it is not counted here.</summary>
    public static bool IsFp4(string weightDtype) => weightDtype.ToLowerInvariant() is "nvfp4";

    /// <summary>Average board power (W per GPU) measured at the memory-bandwidth bound (the memory_bandwidth ceiling's point); null unless measured.</summary>
    public double? MemoryBoundWatts { get; init; }

    /// <summary>Average board power (W per GPU) measured at the compute bound (the gemm_bf16 ceiling's point); null unless measured.</summary>
    public double? ComputeBoundWatts { get; init; }

    /// <summary>The measured board power at a speed-of-light bound ("memory" or "compute"), or null.</summary>
    public double? BoardWattsAt(string bound) => bound == "compute" ? ComputeBoundWatts : MemoryBoundWatts;

    public static bool IsFp8(string weightDtype) => weightDtype.ToLowerInvariant() is "fp8" or "fp8_e4m3" or "w8a8" or "fbgemm_fp8";

    public static HardwareProfile FromDatasheet(string gpu)
    {
        var spec = Datasheet.Match(gpu) ?? throw new InputException("--gpu", gpu, Datasheet.NoMatchReason(gpu));
        var gemm = spec.Bf16Tflops ?? throw new InputException("--gpu", gpu, "the datasheet entry has no bf16 GEMM rate");
        return new HardwareProfile(spec.DisplayName, spec.MemoryBandwidthGBps, gemm, false, spec.Source)
        {
            Fp8GemmTflops = spec.Fp8Tflops, Fp8Source = spec.Fp8Tflops is null ? null : "datasheet, not measured", Fp4GemmTflops = spec.Fp4Tflops,
        };
    }

    /// <summary>A ceilings.json from `micro run`: the first device with a memory_bandwidth ceiling (or the named device).</summary>
    /// <summary>A noisy, busy or quick ceiling says so wherever its figure is quoted.</summary>
    private static string Caveat(Ceiling c)
    {
        var parts = new List<string>();
        if (c.Quick) parts.Add("quick run: a smoke figure, not a ceiling to quote");
        if (c.Busy) parts.Add("noisy: measured on a busy machine");
        else if (c.Noisy) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"noisy: CV {100 * (c.Cv ?? 0):0.#}%"));
        return parts.Count == 0 ? "" : $" [{string.Join("; ", parts)}]";
    }

    public static HardwareProfile FromCeilings(string path, string? device = null)
    {
        var profile = CeilingsFile.Read(path);
        var dev = profile.Devices.FirstOrDefault(d => (device is null || d.Device.Contains(device, StringComparison.OrdinalIgnoreCase)) && d.Find(CeilingNames.MemoryBandwidth) is not null)
                  ?? throw new InputException(path, CeilingNames.MemoryBandwidth, device is null ? "no device has a memory_bandwidth ceiling" : $"no device matching '{device}' has a memory_bandwidth ceiling");
        var bw = dev.Find(CeilingNames.MemoryBandwidth)!;
        if (!bw.Unit.Equals("GB/s", StringComparison.OrdinalIgnoreCase) || !(bw.Value > 0) || !double.IsFinite(bw.Value))
            throw new InputException(path, CeilingNames.MemoryBandwidth, $"expected a positive value in GB/s, found {bw.Value} {bw.Unit}");
        var gemm = dev.Find(CeilingNames.GemmBf16);
        var fp8 = dev.Find(CeilingNames.GemmFp8);
        var fp8Spec = Datasheet.Match(dev.Device)?.Fp8Tflops;
        var (fp8Rate, fp8Source) = fp8 is not null && fp8.Unit.Equals("TFLOP/s", StringComparison.OrdinalIgnoreCase) && fp8.Value > 0 && double.IsFinite(fp8.Value)
            ? (fp8.Value, $"measured gemm_fp8 from {fp8.Suite}/{fp8.Case} ({fp8.Backend})")
            : fp8Spec is { } d ? (d, "datasheet, not measured") : ((double?)null, (string?)null);
        var source = $"ceilings {path}, device {dev.Device}: memory_bandwidth from {bw.Suite}/{bw.Case} ({bw.Backend}){Caveat(bw)}";
        if (gemm is not null)
        {
            if (!gemm.Unit.Equals("TFLOP/s", StringComparison.OrdinalIgnoreCase) || !(gemm.Value > 0) || !double.IsFinite(gemm.Value))
                throw new InputException(path, CeilingNames.GemmBf16, $"expected a positive value in TFLOP/s, found {gemm.Value} {gemm.Unit}");
            return new HardwareProfile(dev.Device, bw.Value, gemm.Value, true, source + $"; gemm_bf16 from {gemm.Suite}/{gemm.Case} ({gemm.Backend}){Caveat(gemm)}")
            {
                Fp8GemmTflops = fp8Rate, Fp8Source = fp8Source, MemoryBoundWatts = bw.AverageWatts, ComputeBoundWatts = gemm.AverageWatts,
            };
        }
        var spec = Datasheet.Match(dev.Device)
                   ?? throw new InputException(path, CeilingNames.GemmBf16, "no gemm_bf16 ceiling and no datasheet entry for " + dev.Device);
        return new HardwareProfile(dev.Device, bw.Value, spec.Bf16Tflops ?? 0, true,
            source + $"; gemm_bf16 {spec.Bf16Tflops} TFLOP/s from the datasheet, not measured ({spec.Source})")
        {
            Fp8GemmTflops = fp8Rate, Fp8Source = fp8Source, MemoryBoundWatts = bw.AverageWatts,
        };
    }
}

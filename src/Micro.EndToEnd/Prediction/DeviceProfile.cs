using Micro.Core.Ceilings;
using Micro.Core.Hardware;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Prediction;

/// <summary>A figure the step model uses and where it came from ("measured ..." or "datasheet, not measured ...").</summary>
public sealed record SourcedFigure(string Name, double Value, string Unit, string Source);

/// <summary>One measured GEMM: C[M,N] = A[M,K] B[K,N] at Dtype (bf16, fp8 ...) took Seconds (median).</summary>
public sealed record GemmPoint(long M, long N, long K, GemmDtype Dtype, double Seconds, string Case)
{
    public double Tflops => 2.0 * M * N * K / Seconds / 1e12;
}

/// <summary>One measured collective: Op at Bytes (nccl-tests' size) took Seconds (median) over Ranks (null when unknown).</summary>
public sealed record CollectivePoint(string Op, long Bytes, double Seconds, int? Ranks, string Case);

/// <summary>A measured attention figure of one kind at one context / sequence length: decode in GB/s, prefill in TFLOP/s.</summary>
public sealed record AttentionPoint(AttentionKind Kind, long Length, double Rate, string Case);

/// <summary>
/// Everything the step-time model reads about one GPU type: the ceilings (bandwidth, GEMM rate), the measured points
/// beside them in results.jsonl (GEMM shapes, decode/prefill attention, collectives, launch), memory size and the
/// datasheet interconnect. With --gpu only the datasheet fills it and every figure says "datasheet, not measured".
/// </summary>
public sealed record DeviceProfile
{
    public required HardwareProfile Hardware { get; init; }
    /// <summary>Datasheet key (h100-sxm ...) when the device matches one; prices and memory come from it.</summary>
    public string? DatasheetKey { get; init; }
    public required SourcedFigure MemoryGB { get; init; }
    /// <summary>Scale-up interconnect per direction (datasheet total / 2), the stand-in for unmeasured collectives and KV transfer.</summary>
    public required SourcedFigure InterconnectGBps { get; init; }
    /// <summary>How many GPUs that interconnect joins (datasheet); null where the part has none or no datasheet entry.</summary>
    public ScaleUpDomain? ScaleUp { get; init; }
    /// <summary>PCIe per direction (the datasheet host link): between the cards of one server past the scale-up domain.</summary>
    public SourcedFigure? PcieGBps { get; init; }
    /// <summary>Every measured GEMM shape, of every precision (see GemmPoint.Dtype).</summary>
    public IReadOnlyList<GemmPoint> Gemm { get; init; } = [];
    /// <summary>GQA decode (contiguous and paged KV) GB/s by context.</summary>
    public IReadOnlyList<AttentionPoint> DecodeAttention { get; init; } = [];
    /// <summary>MLA decode (latent cache) GB/s by context.</summary>
    public IReadOnlyList<AttentionPoint> MlaDecodeAttention { get; init; } = [];
    /// <summary>Causal prefill TFLOP/s by length.</summary>
    public IReadOnlyList<AttentionPoint> PrefillAttention { get; init; } = [];
    public IReadOnlyList<CollectivePoint> Collectives { get; init; } = [];
    /// <summary>Per-kernel launch cost of a decode step (CUDA-graph replay when measured, else the stream launch), or null.</summary>
    public SourcedFigure? KernelLaunch { get; init; }
    public string? ResultsFile { get; init; }

    public bool Measured => Hardware.Measured;

    public SourcedFigure Bandwidth => new("memory_bandwidth", Hardware.BandwidthGBps, "GB/s", Hardware.Measured ? "measured: " + Hardware.Source : "datasheet, not measured: " + Hardware.Source);
    public SourcedFigure GemmRate => new("gemm_bf16", Hardware.GemmTflops, "TFLOP/s", Hardware.Measured ? "measured: " + Hardware.Source : "datasheet, not measured: " + Hardware.Source);

    public static DeviceProfile FromDatasheet(string gpu)
    {
        var hw = HardwareProfile.FromDatasheet(gpu);
        var spec = Datasheet.Match(gpu)!;
        return new DeviceProfile
        {
            Hardware = hw, DatasheetKey = spec.Key,
            MemoryGB = DatasheetMemory(spec),
            InterconnectGBps = Interconnect(spec, gpu),
            ScaleUp = spec.ScaleUp, PcieGBps = Pcie(spec),
        };
    }

    /// <summary>A ceilings.json from `micro run`, with the results.jsonl beside it when present (its points refine the ceilings).</summary>
    public static DeviceProfile FromCeilings(string path, string? device = null)
    {
        var hw = HardwareProfile.FromCeilings(path, device);
        var file = CeilingsFile.Read(path);
        var dev = file.Devices.First(d => d.Device == hw.Name);
        var spec = (dev.DatasheetKey is { } k ? Datasheet.ByKey(k) : null) ?? Datasheet.Match(dev.Device);
        var info = file.Context.Devices.FirstOrDefault(d => d.Name == dev.Device);
        SourcedFigure memory = info?.MemoryBytes is > 0
            ? new("memory", info.MemoryBytes.Value / 1e9, "GB", $"measured: device memory the driver reports ({path})")
            : spec is not null ? DatasheetMemory(spec)
            : throw new InputException(path, "context.devices.memory_bytes", "no device memory size and no datasheet entry for " + dev.Device);
        var profile = new DeviceProfile
        {
            Hardware = hw, DatasheetKey = spec?.Key, MemoryGB = memory,
            InterconnectGBps = spec is not null ? Interconnect(spec, dev.Device) : new("interconnect", 0, "GB/s", "no datasheet interconnect for " + dev.Device),
            ScaleUp = spec?.ScaleUp, PcieGBps = spec is not null ? Pcie(spec) : null,
        };
        var results = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", "results.jsonl");
        return File.Exists(results) ? profile.WithPoints(ResultsReader.Read(results), results, dev.Device) : profile;
    }

    /// <summary>The memory vLLM sees: the driver's figure where a source states it, else the marketed one.</summary>
    private static SourcedFigure DatasheetMemory(GpuSpec spec) => spec.DeviceMemoryGB is { } gb
        ? new("memory", gb, "GB", $"datasheet, not measured: device memory {spec.DeviceMemorySource} (marketed as {spec.MemoryGB:0.#} GB)")
        : new("memory", spec.MemoryGB, "GB", "datasheet, not measured: " + spec.Source);

    private static SourcedFigure Interconnect(GpuSpec spec, string name) => spec.InterconnectGBps is { } ic
        ? new("interconnect", ic / 2, "GB/s", $"datasheet, not measured: {spec.InterconnectGBps} GB/s bidirectional / 2 per direction ({spec.Source})")
        : new("interconnect", 0, "GB/s", "no datasheet interconnect for " + name);

    private static SourcedFigure? Pcie(GpuSpec spec) => spec.HostLinkGBps is { } h
        ? new("pcie", h, "GB/s", $"datasheet, not measured: {spec.HostLink ?? "host link"} {h} GB/s per direction ({spec.Source})")
        : null;

    /// <summary>The decode points for a model: MLA points for an MLA model where measured, else the GQA ones.</summary>
    public IReadOnlyList<AttentionPoint> DecodeAttentionFor(bool mla) => mla && MlaDecodeAttention.Count > 0 ? MlaDecodeAttention : DecodeAttention;

    /// <summary>
    /// Verified points of this device from a results.jsonl (unverified points are never used), read from their typed
    /// parameters. Attention: per kind the native kernels (the speed-of-light reference) where that kind has any, else
    /// ILGPU's on a GPU (MLA decode has no native kernel); never the emulator's.
    /// </summary>
    public DeviceProfile WithPoints(IReadOnlyList<MeasurementRecord> records, string file, string deviceName)
    {
        var mine = records.Where(r => r.Device == deviceName && r.Verification.Passed && r.Time.Median > 0 && double.IsFinite(r.Time.Median)).ToList();
        var gemm = mine.Where(r => r.Gemm is not null)
            .Select(r => new GemmPoint(r.Gemm!.M, r.Gemm.N, r.Gemm.K, r.Gemm.Dtype, r.Time.Median, $"gemm/{r.Case} ({r.Backend})")).ToList();
        var attention = mine.Where(r => r.Attention is { Length: > 0 } && r.Label is null)
            .GroupBy(r => r.Attention!.Kind)
            .ToDictionary(g => g.Key, g => g.Any(r => r.Backend == "native") ? g.Where(r => r.Backend == "native").ToList() : g.ToList());
        List<AttentionPoint> Decode(params AttentionKind[] kinds) => kinds.SelectMany(k => attention.GetValueOrDefault(k) ?? [])
            .Where(r => r.Bandwidth is { Median: > 0 })
            .Select(r => new AttentionPoint(r.Attention!.Kind, r.Attention.Length, r.Bandwidth!.Median,
                $"attention/{r.Case} ctx {r.Attention.Length} batch {r.Attention.Batch} ({r.Backend}, {r.Attention.Model})")).ToList();
        var prefill = (attention.GetValueOrDefault(AttentionKind.Prefill) ?? []).Where(r => r.Flops > 0)
            .Select(r => new AttentionPoint(AttentionKind.Prefill, r.Attention!.Length, r.Flops / r.Time.Median / 1e12,
                $"attention/{r.Case} L {r.Attention.Length} ({r.Backend}, {r.Attention.Model})")).ToList();
        var coll = mine.Where(r => r.Collective is not null)
            .Select(r => new CollectivePoint(r.Collective!.Op, r.Collective.SizeBytes, r.Time.Median, r.Collective.Nranks,
                $"collectives/{r.Case} {r.Collective.SizeBytes} B ({r.Backend})")).ToList();
        var launches = mine.Where(r => r.Launch is { Kernel: "micro_empty" }).ToList();
        var launch = launches.FirstOrDefault(r => r.Launch!.Kind == LaunchKind.GraphReplay) ?? launches.FirstOrDefault(r => r.Launch!.Kind == LaunchKind.Stream);
        return this with
        {
            Gemm = gemm, DecodeAttention = Decode(AttentionKind.Decode, AttentionKind.DecodePaged), MlaDecodeAttention = Decode(AttentionKind.Mla),
            PrefillAttention = prefill, Collectives = coll, ResultsFile = file,
            KernelLaunch = launch is null ? null : new("kernel_launch", launch.Time.Median * 1e6, "us", $"measured: launch/{launch.Case} ({launch.Backend}) in {file}"),
        };
    }
}

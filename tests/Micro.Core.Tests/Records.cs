using System.Text.Json.Nodes;
using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.Core.Statistics;

namespace Micro.Core.Tests;

/// <summary>Builds plausible records for the writer, CSV and ceilings tests.</summary>
internal static class Records
{
    public static MeasurementRecord Bandwidth(string device, string @case, double medianGBps, bool passed = true, string? ceiling = "memory_bandwidth", string? label = null)
    {
        const long bytes = 3_000_000_000;
        var median = bytes / (medianGBps * 1e9);
        var time = Stats.Summarize([median * 0.99, median, median * 1.02]);
        return new MeasurementRecord
        {
            Suite = "memory", Case = @case, Backend = "test", Device = device, DType = "double", Bytes = bytes,
            Stream = new StreamParameters { Kernel = "Copy", Elements = 125_000_000 },
            Time = time, Bandwidth = MeasurementFactory.BandwidthOf(bytes, time),
            Verification = passed ? Verification.Ok(3, 0, "test") : Verification.Failed(3, 1, 0.5, "test"),
            Ceiling = ceiling, Label = label,
        };
    }

    /// <summary>A ceilings.json (one H100 memory_bandwidth ceiling of 3000 GB/s) in a fresh folder, its first ceiling
    /// changed by <paramref name="edit"/> as JSON (to hold what Micro would never write); returns its path.</summary>
    public static string CeilingsFileWith(Action<JsonObject> edit)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-ceilings-").FullName, CeilingsProfile.FileName);
        CeilingsFile.Write(path, new CeilingsProfile
        {
            Context = RunContext.Capture("micro run"),
            Devices = CeilingsBuilder.Build([Bandwidth("NVIDIA H100 80GB HBM3", "triad", 3000)], []),
        });
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        edit(node["devices"]![0]!["ceilings"]![0]!.AsObject());
        File.WriteAllText(path, node.ToJsonString());
        return path;
    }
}

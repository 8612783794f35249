using System.Globalization;
using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.Core.Statistics;

namespace Micro.Reports.Tests.Fixtures;

/// <summary>Builds records shaped like the suites' output, with timings derived from a stated rate so the figures are known.</summary>
public static class RecordFactory
{
    public static SampleSummary Times(double medianSeconds, double spread = 0.02) =>
        Stats.Summarize([medianSeconds * (1 - spread), medianSeconds, medianSeconds, medianSeconds * (1 + spread), medianSeconds * (1 + 2 * spread)]);

    public static MeasurementRecord Make(string suite, string @case, string backend, string device, SampleSummary time,
        long bytes = 0, double flops = 0, string dtype = "fp32", IReadOnlyDictionary<string, string>? parameters = null,
        string? ceiling = null, int? rank = null, string? host = null, string? deviceId = null, string? label = null, IPointParameters? point = null) => new MeasurementRecord
    {
        Suite = suite, Case = @case, Backend = backend, Device = device, DType = dtype, Time = time,
        Bytes = bytes, Flops = flops, Parameters = parameters ?? new Dictionary<string, string>(),
        Bandwidth = MeasurementFactory.BandwidthOf(bytes, time), Compute = MeasurementFactory.ComputeOf(flops, time),
        Verification = Verification.Ok(1024, 0, "reference"), Ceiling = ceiling, Rank = rank, Host = host, DeviceId = deviceId,
        Label = label, Timer = "host-clock", Warmup = 2,
    }.WithPoint(point);

    /// <summary>A STREAM sweep: bandwidth high while the arrays fit in the cache, then the DRAM figure.</summary>
    public static IEnumerable<MeasurementRecord> Memory(string device, string backend, double dramGBps, long cacheBytes, double slow = 1,
        int? rank = null, string? host = null, string? deviceId = null, int minLog2 = 14, int maxLog2 = 28)
    {
        (string Kernel, int Arrays)[] kernels = [("copy", 2), ("mul", 2), ("add", 3), ("triad", 3), ("dot", 2)];
        for (var k = minLog2; k <= maxLog2; k += 2)
        {
            long arrayBytes = 1L << k;
            foreach (var (kernel, arrays) in kernels)
            {
                var inCache = arrayBytes * arrays <= cacheBytes;
                var gbps = (inCache ? dramGBps * 2.5 : dramGBps) * (kernel == "copy" ? 0.95 : 1.0);
                var bytes = arrayBytes * arrays;
                yield return Make("memory", kernel, backend, device, Times(bytes / (gbps * 1e9) * slow), bytes,
                    point: new StreamParameters { Kernel = kernel, Elements = arrayBytes / 4, ArrayBytes = arrayBytes },
                    ceiling: !inCache && kernel == "triad" ? (backend == "host" ? CeilingNames.HostMemoryBandwidth : CeilingNames.MemoryBandwidth) : null,
                    rank: rank, host: host, deviceId: deviceId);
            }
        }
    }

    public static IEnumerable<MeasurementRecord> Collectives(string device, int nranks, double peakBusGBps)
    {
        foreach (var op in new[] { "allreduce", "allgather", "broadcast" })
            for (var k = 3; k <= 30; k += 3)
            {
                long size = 1L << k;
                var busbw = peakBusGBps * (op == "allreduce" ? 1 : op == "allgather" ? 0.85 : 0.7) * size / (size + 2e6);
                var factor = op == "allreduce" ? 2.0 * (nranks - 1) / nranks : op == "allgather" ? (nranks - 1.0) / nranks : 1;
                var algbw = busbw / factor;
                var time = size / (algbw * 1e9);
                yield return Make("collectives", op, "nccl", device, Times(time), size, dtype: "fp32",
                    parameters: P(("busbw_gbps", busbw.ToString("R", CultureInfo.InvariantCulture))),
                    point: new CollectiveParameters { Op = op, SizeBytes = size, Nranks = nranks },
                    ceiling: CeilingNames.CollectiveBusBw);
            }
    }

    public static IEnumerable<MeasurementRecord> Gemm(string device, double tflops)
    {
        foreach (var n in new[] { 2048, 4096, 8192 })
        {
            var flops = 2.0 * n * n * n;
            var bytes = 3L * n * n * 2;
            var rate = tflops * (n == 8192 ? 1 : 0.8);
            yield return Make("gemm", $"gemm_{n}", "cublas", device, Times(flops / (rate * 1e12)), bytes, flops, "bf16",
                ceiling: CeilingNames.GemmBf16, point: new GemmParameters { Shape = "square", M = n, N = n, K = n, Dtype = GemmDtype.Bf16 });
        }
    }

    public static IEnumerable<MeasurementRecord> Attention(string device, double bwGBps)
    {
        foreach (var (lq, lk) in new[] { (1, 4096), (1, 32768), (4096, 4096) })
        {
            const int b = 8, hq = 32, d = 128;
            var flops = 2.0 * b * hq * lq * lk * (d + d);
            long bytes = 2L * b * (hq * lq * d * 2 + 8 * lk * d * 2);
            var time = Math.Max(bytes / (bwGBps * 1e9 * 0.8), flops / 600e12);
            yield return Make("attention", lq == 1 ? "decode" : "prefill", "native", device, Times(time), bytes, flops, "bf16",
                P(("lq", lq.ToString(CultureInfo.InvariantCulture)), ("lk", lk.ToString(CultureInfo.InvariantCulture))));
        }
    }

    public static IEnumerable<MeasurementRecord> Launch(string device)
    {
        yield return Make("launch", "empty_kernel", "cuda-driver", device, Times(2.4e-6, 0.1), ceiling: CeilingNames.LaunchLatency);
        yield return Make("launch", "empty_kernel", "ilgpu", device, Times(4.1e-6, 0.1));
        yield return Make("launch", "graph_launch", "cuda-driver", device, Times(1.1e-6, 0.1));
    }

    public static Dictionary<string, string> P(params (string Key, string Value)[] kv) => kv.ToDictionary(p => p.Key, p => p.Value);
}

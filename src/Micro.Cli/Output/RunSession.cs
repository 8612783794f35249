using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Devices.Cuda;
using Micro.Devices.Discovery;
using Micro.Devices.Host;
using Micro.Suites.Running;

namespace Micro.Cli.Output;

/// <summary>
/// One invocation's outputs: results.jsonl written point by point (when --out is given), the in-memory list for
/// the summary table, and at the end ceilings.json and results.csv.
/// </summary>
public sealed class RunSession : IDisposable
{
    private readonly ResultsWriter? _writer;
    private readonly ListSink _list = new();

    public RunSession(DirectoryInfo? outDir, string commandLine)
    {
        OutDir = outDir?.FullName;
        if (OutDir is not null)
        {
            try { _writer = new ResultsWriter(OutDir); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--out {OutDir}: cannot write there ({e.Message})");
            }
        }
        Sink = _writer is null ? _list : new TeeSink(new WriterSink(_writer), _list);
        CommandLine = commandLine;
        Started = DateTimeOffset.UtcNow;
    }

    public string? OutDir { get; }
    public string CommandLine { get; }
    public DateTimeOffset Started { get; }
    public IResultSink Sink { get; }
    public IReadOnlyList<MeasurementRecord> Records => _list.Records;
    public string? ResultsPath => _writer?.Path;

    /// <summary>Writes ceilings.json into --out, derived from the folder's whole results.jsonl; returns the ceilings.</summary>
    public IReadOnlyList<DeviceCeilings> WriteCeilings()
    {
        var devices = DeviceCatalog.AllDevices();
        if (OutDir is null) return CeilingsBuilder.Build(Records, devices);
        var context = RunContext.Capture(CommandLine) with
        {
            Started = Started, Finished = DateTimeOffset.UtcNow, Devices = devices, Libraries = LibraryVersions(),
            Telemetry = GpuSession.TelemetrySamples(),
        };
        return CeilingsService.Update(OutDir, context).Devices;
    }

    public string? WriteCsv()
    {
        if (OutDir is null) return null;
        var path = Path.Combine(OutDir, "results.csv");
        ResultsCsv.Write(path, Records);
        return path;
    }

    public static IReadOnlyDictionary<string, string> LibraryVersions()
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["dotnet"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["ilgpu"] = typeof(ILGPU.Context).Assembly.GetName().Version?.ToString() ?? "?",
            ["micro"] = typeof(RunSession).Assembly.GetName().Version?.ToString() ?? "?",
        };
        if (HostStream.LibraryPath is { } p) d["libmicro_hoststream"] = $"{p} ({HostStream.Threads()} OpenMP threads)";
        // The CUDA/NVRTC/cuBLAS/NVML files this process actually loaded (empty where no GPU library was touched).
        foreach (var (lib, path) in GpuSession.LoadedLibraries()) d[lib] = path;
        return d;
    }

    public void Dispose() => _writer?.Dispose();
}

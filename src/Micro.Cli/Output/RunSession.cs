using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Devices.Cuda;
using Micro.Devices.Discovery;
using Micro.Devices.Host;
using Micro.Suites.Running;

namespace Micro.Cli.Output;

/// <summary>
/// One invocation's outputs: results.jsonl written point by point (when --out is given; the directory and file are
/// created at the first point, so nothing is created when nothing runs), the in-memory list for the summary table,
/// and at the end ceilings.json and results.csv.
/// </summary>
public sealed class RunSession : IDisposable
{
    private ResultsWriter? _writer;
    private readonly ListSink _list = new();
    private readonly Action<string>? _note;

    /// <param name="outDir">The --out directory, already checked (OutputDirectory.Check), or null: write nothing.</param>
    /// <param name="hostOnly">Describe only the host in ceilings.json: probe no GPU (what `run --backend host` needs).</param>
    /// <param name="note">Where one-line notes go (a torn last line found in results.jsonl).</param>
    public RunSession(string? outDir, string commandLine, bool hostOnly = false, Action<string>? note = null)
    {
        OutDir = outDir;
        HostOnly = hostOnly;
        _note = note;
        // The list first: a point the disk refuses still reaches the console table.
        Sink = OutDir is null ? _list : new TeeSink(_list, new LazyWriterSink(this));
        CommandLine = commandLine;
        Started = DateTimeOffset.UtcNow;
    }

    public bool HostOnly { get; }
    public string? OutDir { get; }
    public string CommandLine { get; }
    public DateTimeOffset Started { get; }
    public IResultSink Sink { get; }
    public IReadOnlyList<MeasurementRecord> Records => _list.Records;
    public string? ResultsPath => _writer?.Path;

    private ResultsWriter Writer()
    {
        if (_writer is null)
        {
            _writer = new ResultsWriter(OutDir!);
            if (_writer.TornLineNote is { } torn) _note?.Invoke(torn);
        }
        return _writer;
    }

    private sealed class LazyWriterSink(RunSession session) : IResultSink
    {
        public void Add(MeasurementRecord record) => session.Writer().Write(record);
    }

    /// <summary>Writes ceilings.json into --out, derived by CeilingsService from the folder's whole results.jsonl; returns the ceilings.</summary>
    public IReadOnlyList<DeviceCeilings> WriteCeilings()
    {
        var devices = HostOnly ? DeviceCatalog.HostDevices() : DeviceCatalog.AllDevices();
        _writer?.Dispose();
        if (OutDir is null) return CeilingsBuilder.Build(Records, devices);
        var context = RunContext.Capture(CommandLine) with
        {
            Started = Started, Finished = DateTimeOffset.UtcNow, Devices = devices, Libraries = LibraryVersions(),
            Telemetry = GpuSession.TelemetrySamples(),
        };
        return CeilingsService.Update(OutDir, context, note: _note).Devices;
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

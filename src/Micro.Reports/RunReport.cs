using System.Globalization;
using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Reports.Data;
using Micro.Reports.Sections;
using Micro.Reports.Tables;
using Micro.Reports.Writers;

namespace Micro.Reports;

/// <summary>`micro report`'s layout: source, run context, ceilings, fleet, figures, then the measured points.</summary>
public static class RunReport
{
    public const int MaxRecordRows = 500;

    public static readonly ReportDefinition<ReportInput> Definition = new("Micro report",
    [
        new("bandwidth", BandwidthCharts.Build), new("busbw", CollectiveCharts.Build), new("roofline", RooflineCharts.Build),
        new("launch", LaunchCharts.Build), new("fleet", FleetCharts.Build),
    ],
    [
        new("source", ctx => [Source(ctx.Input)]),
        new("context", ctx => Section(ctx.Input, Context)),
        new("ceilings", ctx => Section(ctx.Input, Ceilings)),
        new("fleet", ctx => Section(ctx.Input, Fleet)),
        CommonSections.Figures<ReportInput>("Plots"),
        new("records", ctx => Section(ctx.Input, Records)),
    ]);

    private static Paragraph Source(ReportInput input) =>
        new($"Source: {Path.GetFullPath(input.Directory)}. {input.Records.Count} measured points"
            + (input.Ceilings is null ? "; no ceilings.json." : "; ceilings.json present.")
            + " Units: GB/s = 1e9 bytes/s, TFLOP/s = 1e12 FLOP/s, times per iteration; figures are medians over timed iterations.");

    private static List<ReportBlock> Section(ReportInput input, Action<ReportInput, List<ReportBlock>> add)
    {
        var blocks = new List<ReportBlock>();
        add(input, blocks);
        return blocks;
    }

    private static void Context(ReportInput input, List<ReportBlock> blocks)
    {
        if (input.Ceilings?.Context is not { } ctx) return;
        blocks.Add(new Heading("Run context"));
        blocks.Add(new Table(["Field", "Value"],
        [
            ["host", ctx.Host], ["os", ctx.Os], ["cpu", ctx.Cpu ?? ""], ["logical cores", N(ctx.LogicalCores)],
            ["runtime", ctx.Runtime], ["micro", ctx.MicroVersion], ["command line", ctx.CommandLine],
            ["started", ctx.Started.ToString("u", CultureInfo.InvariantCulture)],
        ]));
        if (ctx.Devices.Count > 0)
            blocks.Add(new Table(["Device", "Kind", "Source", "UUID", "PCI", "Memory", "LLC", "NUMA", "Driver"],
                ctx.Devices.Take(256).Select(d => (IReadOnlyList<string>)[d.Name, d.Kind.ToString(), d.Source, d.Uuid ?? "", d.PciBusId ?? "",
                    d.MemoryBytes is { } m ? Micro.Core.Units.FormatBytes(m) : "", d.LastLevelCacheBytes is { } l ? Micro.Core.Units.FormatBytes(l) : "",
                    d.NumaNode?.ToString(CultureInfo.InvariantCulture) ?? "", d.Driver ?? ""]).ToList()));
    }

    private static void Ceilings(ReportInput input, List<ReportBlock> blocks)
    {
        var devices = input.Ceilings?.Devices ?? CeilingsBuilder.Build(input.Records, []);
        if (devices.Count == 0) return;
        blocks.Add(new Heading("Ceilings"));
        var rows = devices.Take(512).SelectMany(d => d.Ceilings.Select(c => (IReadOnlyList<string>)
            [d.Device, d.Rank?.ToString(CultureInfo.InvariantCulture) ?? "", d.Host ?? "", c.Name, N(c.Value), c.Unit,
             c.Datasheet is { } ds ? N(ds) : "", c.FractionOfDatasheet is { } f ? f.ToString("P0", CultureInfo.InvariantCulture) : "",
             $"{c.Suite}/{c.Case} ({c.Backend})", c.Note ?? ""])).ToList();
        blocks.Add(new Table(["Device", "Rank", "Host", "Ceiling", "Value", "Unit", "Datasheet", "Of datasheet", "From", "Note"], rows,
            input.Ceilings is null ? "Computed from results.jsonl (best verified point per device and ceiling); no ceilings.json in the directory." : null));
    }

    private static void Fleet(ReportInput input, List<ReportBlock> blocks)
    {
        if (FleetCharts.Section(input) is not { } fleet) return;
        blocks.Add(new Heading("Fleet"));
        blocks.Add(new Paragraph($"{fleet.Ranks} ranks on {fleet.Hosts.Count} host(s): {string.Join(", ", fleet.Hosts.Take(64))}. "
            + $"A device is flagged when a ceiling is more than {fleet.Threshold.ToString("P0", CultureInfo.InvariantCulture)} worse than the fleet median, or when its telemetry shows thermal/hardware throttling or a low SM clock."));
        if (fleet.Outliers.Count == 0) blocks.Add(new Paragraph("No outliers."));
        else
            blocks.Add(new Table(["Rank", "Host", "Device", "Device id", "Reason", "Ceiling", "Value", "Fleet median", "Worse by", "Explanation"],
                fleet.Outliers.Take(1024).Select(o => (IReadOnlyList<string>)[N(o.Rank), o.Host, o.Device, o.DeviceId ?? "", o.Reason, o.Ceiling ?? "",
                    o.Value is { } v ? N(v) : "", o.FleetMedian is { } m ? N(m) : "", o.Deficit is { } d ? d.ToString("P1", CultureInfo.InvariantCulture) : "",
                    o.Explanation ?? ""]).ToList()));
        blocks.Add(new Table(["Ceiling", "Unit", "Devices", "Median", "MAD", "Min", "Max"],
            fleet.Ceilings.Select(c => (IReadOnlyList<string>)[c.Name, c.Unit, N(c.Count), N(c.Median), N(c.Mad), N(c.Min), N(c.Max)]).ToList()));
        if (fleet.Members.Count > 0)
            blocks.Add(new Table(["Rank", "Host", "Device", "Device id", "PCI", "Device NUMA", "CPU NUMA", "Links", "Throttle", "SM MHz"],
                fleet.Members.Take(1024).Select(m => (IReadOnlyList<string>)[N(m.Rank), m.Host, m.Device, m.DeviceId ?? "", m.PciBusId ?? "",
                    m.DeviceNumaNode?.ToString(CultureInfo.InvariantCulture) ?? "", string.Join(",", m.CpuNumaNodes), string.Join("; ", m.Links.Take(16)),
                    string.Join(", ", m.ThrottleReasons.Take(16)), m.SmClockMHz?.ToString(CultureInfo.InvariantCulture) ?? ""]).ToList()));
    }

    /// <summary>The measured points with the suites' own columns (Tables/ResultColumns), as on the console.</summary>
    private static void Records(ReportInput input, List<ReportBlock> blocks)
    {
        if (input.Records.Count == 0) return;
        blocks.Add(new Heading("Measured points"));
        var shown = input.Records.Take(MaxRecordRows).ToList();
        var (columns, caption) = ResultColumns.Shape(shown, ResultColumns.Report);
        var rows = shown.Select(r => (IReadOnlyList<string>)columns.Select(c => c.Value(r)).ToList()).ToList();
        var note = (input.Records.Count > MaxRecordRows ? $"First {MaxRecordRows} of {input.Records.Count} points; all are in results.jsonl. " : "") + caption;
        blocks.Add(new Table(columns.Select(c => c.Header).ToList(), rows, note.Length > 0 ? note : null));
    }

    private static string N(double v) => !double.IsFinite(v) ? v.ToString(CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 100 ? v.ToString("0.#", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 1 ? v.ToString("0.###", CultureInfo.InvariantCulture)
        : v.ToString("0.#####", CultureInfo.InvariantCulture);

    private static string N(int v) => v.ToString(CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Globalization;
using Micro.Cli.Output;
using Micro.Core;
using Micro.Devices.Discovery;
using Spectre.Console;

namespace Micro.Cli.Commands;

/// <summary>`micro devices`: what each probe found, and one line per probe that found nothing and why.</summary>
public static class DevicesCommand
{
    public static Command Build()
    {
        var cmd = new Command("devices", "List the host CPU, GPUs (CUDA driver, NVML) and ILGPU accelerators");
        cmd.SetAction(parse =>
        {
            var console = CliConsole.For(parse);
            var table = new Table().Border(TableBorder.Simple);
            foreach (var c in new[] { "probe", "device", "kind", "memory", "cores/SMs", "clock MHz", "LLC/L2", "cc", "driver", "note" }) table.AddColumn(c);
            var lines = new List<string>();
            foreach (var (probe, result) in DeviceCatalog.ProbeAll())
            {
                foreach (var d in result.Devices)
                    table.AddRow(new[]
                    {
                        probe.Name, d.Name, d.Kind.ToString().ToLowerInvariant(),
                        d.MemoryBytes is { } m ? Units.FormatBytes(m) : "-",
                        d.ComputeUnits?.ToString(CultureInfo.InvariantCulture) ?? "-",
                        d.ClockMHz?.ToString(CultureInfo.InvariantCulture) ?? "-",
                        d.LastLevelCacheBytes is { } l ? Units.FormatBytes(l) : "-",
                        d.ComputeCapability ?? "-", d.Driver ?? "-", d.Note ?? "",
                    }.Select(s => new Markup(Markup.Escape(s))));
                if (result.Unavailable is { } why) lines.Add($"{probe.Name}: {why}");
            }
            console.Write(table);
            foreach (var l in lines) console.WriteLine(l);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

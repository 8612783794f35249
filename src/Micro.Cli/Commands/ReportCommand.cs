using System.CommandLine;
using Micro.Reports;

namespace Micro.Cli.Commands;

/// <summary>`micro report DIR`: report.md, report.html and plots/ (PNG + SVG) from a results directory.</summary>
public static class ReportCommand
{
    public static Command Build()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Results directory holding results.jsonl and/or ceilings.json" };
        var output = CommonOptions.Out(withoutIt: "default: the results directory");
        var cmd = new Command("report", "Render a results directory into report.md and report.html with plots (bandwidth, busbw, roofline, launch, fleet)");
        cmd.Arguments.Add(dir);
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            var source = parse.GetValue(dir)!;
            var target = MeasureOptions.CheckedOut(parse, output) ?? Micro.Core.Results.OutputDirectory.Check(source.FullName, "dir");
            var result = ReportBuilder.Build(source.FullName, target);
            var stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine($"wrote {result.Markdown}");
            stdout.WriteLine($"wrote {result.Html}");
            if (result.PlotsSkipped is { } why) parse.InvocationConfiguration.Error.WriteLine("micro: " + why);
            else stdout.WriteLine($"wrote {result.Figures.Count} plots (PNG + SVG) in {result.PlotsDirectory}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

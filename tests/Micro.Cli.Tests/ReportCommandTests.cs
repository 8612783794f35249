using Micro.Cli;

namespace Micro.Cli.Tests;

public sealed class ReportCommandTests
{
    [Fact]
    public async Task MissingDirectoryIsOneLineAndExitCodeTwo()
    {
        var err = new StringWriter();
        var rc = await CliApp.RunAsync(["report", Path.Combine(Path.GetTempPath(), "micro-absent-" + Guid.NewGuid().ToString("N"))], new StringWriter(), err);
        Assert.Equal(ExitCodes.Usage, rc);
        Assert.Contains("results directory not found", err.ToString(), StringComparison.Ordinal);
        Assert.Single(err.ToString().Trim().Split('\n'));
    }

    [Fact]
    public async Task ReportsARecordsOnlyDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("micro-cli-report-").FullName;
        try
        {
            // One host STREAM triad point past the cache, as results.jsonl holds it.
            File.WriteAllText(Path.Combine(dir, "results.jsonl"),
                "{\"schema\":\"micro.result/1\",\"suite\":\"memory\",\"case\":\"triad\",\"backend\":\"host\",\"device\":\"host\",\"d_type\":\"fp64\"," +
                "\"parameters\":{\"array_bytes\":\"268435456\",\"elements\":\"33554432\"},\"bytes\":805306368,\"time\":{\"count\":3,\"median\":0.04,\"mean\":0.04,\"min\":0.039,\"max\":0.041,\"p99\":0.041,\"std_dev\":0.001,\"cv\":0.025}," +
                "\"bandwidth\":{\"unit\":\"GB/s\",\"median\":20.13,\"best\":20.6,\"worst\":19.6},\"verification\":{\"passed\":true,\"checked\":10,\"wrong\":0,\"max_error\":0,\"method\":\"ref\"},\"ceiling\":\"host_memory_bandwidth\"}\n");
            var output = new StringWriter();
            var rc = await CliApp.RunAsync(["report", dir], output, new StringWriter());
            Assert.Equal(ExitCodes.Ok, rc);
            Assert.True(new FileInfo(Path.Combine(dir, "report.html")).Length > 0);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "plots"), "*.png"));
            Assert.Contains("report.html", output.ToString(), StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, true); }
    }
}

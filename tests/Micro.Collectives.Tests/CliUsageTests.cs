using Micro.Cli;

namespace Micro.Collectives.Tests;

public sealed class CliUsageTests
{
    [Theory]
    [InlineData("collectives --backend mpi -b 12Q", "--minbytes")]
    [InlineData("collectives --backend gloo", "--backend")]
    [InlineData("collectives --backend mpi --coll allreduce,scan", "--coll")]
    [InlineData("collectives --backend mpi -d fp8", "--datatype")]
    [InlineData("collectives --backend mpi -b 1M -e 1K", "larger than")]
    [InlineData("collectives --backend mpi -G 1", "--cudagraph")]
    [InlineData("collectives --backend mpi -d half", "--datatype half: the mpi backend has no 16-bit floats")]
    [InlineData("collectives --backend mpi -d float,bfloat16", "--datatype bfloat16: the mpi backend")]
    [InlineData("collectives --backend mpi -r -1", "--root -1")]
    public async Task Bad_options_are_one_line_and_exit_2(string args, string mention)
    {
        var err = new StringWriter();
        var code = await CliApp.RunAsync(args.Split(' '), new StringWriter(), err);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(mention, err.ToString());
        Assert.Single(err.ToString().Trim().Split('\n'));
    }

    [Fact]
    public async Task Import_of_a_missing_file_names_the_file()
    {
        var err = new StringWriter();
        var code = await CliApp.RunAsync(["collectives", "import", "/nonexistent/log.txt"], new StringWriter(), err);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("/nonexistent/log.txt", err.ToString());
    }

    [Fact]
    public async Task Import_writes_results_and_reports_the_avg()
    {
        var file = TestPaths.SharedFile("collectives/nccl_2x8xh100_a3mega_tcpxo_allreduce.txt");
        var dir = Directory.CreateTempSubdirectory("micro-import-").FullName;
        var stdout = new StringWriter();
        var code = await CliApp.RunAsync(["collectives", "import", file, "--out", dir], stdout, new StringWriter());
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("the log's Avg bus bandwidth: 70.742", stdout.ToString());
        Assert.Equal(62, Micro.Core.Results.ResultsReader.Read(Path.Combine(dir, "results.jsonl")).Count);
        Directory.Delete(dir, true);
    }
}

using Micro.Core.Results;
using Micro.Tests.Shared;

namespace Micro.Cli.Tests;

/// <summary>
/// One output-directory check for every verb that writes: a file, a directory under a file or /proc is exit 2 with one
/// line naming the path and the reason, before anything runs; a full disk likewise, with what was written kept.
/// </summary>
public class OutputLocationTests
{
    public static TheoryData<string> Verbs => new()
    {
        "memory --backend host --kernel copy --dtype double --size 1M -n 1 --out {0}",
        "link --out {0}", "gemm --out {0}", "launch --out {0}",
        "attention --out {0}", "attention --dump-ptx {0}",
        "collectives --backend mpi --out {0}",
        "run --out {0}",
        "analyze --out {0}",
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task AFileAsTheOutputDirectoryIsExit2(string template)
    {
        var file = Path.Combine(CliRun.TempDir(), "f");
        File.WriteAllText(file, "x");
        var option = template.Contains("--dump-ptx") ? "--dump-ptx" : "--out";
        await CliRun.BadInput(string.Format(template, file).Split(' '), $"{option} {file}", "is a file");
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task ProcIsExit2(string template)
    {
        var line = await CliRun.BadInput(string.Format(template, "/proc/micro-x").Split(' '), "/proc/micro-x", "cannot create files there");
        Assert.DoesNotContain("   at ", line);
    }

    [Fact]
    public async Task ImportsAndReportCheckTheirOutputToo()
    {
        var file = Path.Combine(CliRun.TempDir(), "f");
        File.WriteAllText(file, "x");
        var babel = TestPaths.SharedFile("babelstream/babelstream_a100_sxm4_80gb_tursa.txt");
        await CliRun.BadInput(["memory", "import", babel, "--out", file], "--out " + file, "is a file");
        var nccl = TestPaths.SharedFile("collectives/nccl_2x8xh100_a3mega_tcpxo_allreduce.txt");
        await CliRun.BadInput(["collectives", "import", nccl, "--out", "/proc/micro-x"], "/proc/micro-x");
        var results = CliRun.TempDir();
        var (code, _, err) = await CliRun.Run("memory", "import", babel, "--out", results);
        Assert.True(code == 0, err);
        await CliRun.BadInput(["report", results, "--out", file], "--out " + file, "is a file");
        var vllm = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        await CliRun.BadInput(["analyze", vllm, "--gpu-hour-price", "2", "--out", "/proc/micro-x"], "/proc/micro-x");
    }

    [Fact]
    public async Task AFullDiskIsExit2NamingResultsJsonl()
    {
        // A results.jsonl linked to /dev/full is now refused as a link; a full disk is a tiny tmpfs filled up.
        var babel = TestPaths.SharedFile("babelstream/babelstream_a100_sxm4_80gb_tursa.txt");
        using var disk = TinyDisk.Mount();
        await CliRun.BadInput(["memory", "import", babel, "--out", disk.Path], Path.Combine(disk.Path, ResultsWriter.FileName), "cannot write");
    }

    [Fact]
    public async Task NothingIsCreatedWhenNothingRuns()
    {
        var dir = Path.Combine(CliRun.TempDir(), "new");
        var (code, _, err) = await CliRun.Run("launch", "--out", dir);
        if (code == 0) Assert.Skip("a CUDA GPU is present: launch measured");
        Assert.Equal(ExitCodes.NothingMeasured, code);
        Assert.Contains("nothing could be measured here", err);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task AppendingAfterATornLineStartsAFreshLineAndSaysSo()
    {
        var dir = CliRun.TempDir();
        var babel = TestPaths.SharedFile("babelstream/babelstream_a100_sxm4_80gb_tursa.txt");
        var path = Path.Combine(dir, ResultsWriter.FileName);
        Assert.Equal(0, (await CliRun.Run("memory", "import", babel, "--out", dir)).Code);
        var first = File.ReadAllText(path);
        File.AppendAllText(path, first[..(first.IndexOf('\n') / 2)]);
        var (code, _, err) = await CliRun.Run("memory", "import", babel, "--out", dir);
        Assert.Equal(0, code);
        Assert.Contains("last line was torn", err);
        var notes = new List<string>();
        Assert.Equal(10, ResultsReader.Read(path, notes.Add).Count);
        Assert.Contains("torn line skipped", Assert.Single(notes));
        // `micro report` reads the directory instead of refusing it.
        var (rc, _, rerr) = await CliRun.Run("report", dir);
        Assert.True(rc == 0, rerr);
    }
}

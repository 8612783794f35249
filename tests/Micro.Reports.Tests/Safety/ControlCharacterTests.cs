using Micro.Cli;
using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Reports.Tests.Fixtures;
using Micro.Tests.Shared;

namespace Micro.Reports.Tests.Safety;

/// <summary>
/// Terminal control sequences from files (model ids, device names, file names) never reach stdout, stderr or a report:
/// ESC and BEL are removed, and the rest of the string still shows.
/// </summary>
public sealed class ControlCharacterTests
{
    private const string Red = "\u001b[31m";
    private const string Bel = "\u0007";

    private static async Task<(int Code, string Out, string Err)> Micro(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static void AssertClean(string what, string text)
    {
        Assert.False(text.Contains('\u001b'), what + " holds an ESC byte");
        Assert.False(text.Contains('\u0007'), what + " holds a BEL byte");
        Assert.False(text.Contains('\u009b'), what + " holds a C1 CSI");
    }

    private static void AssertReportsClean(string dir)
    {
        foreach (var name in new[] { "report.md", "report.html" })
            AssertClean(name, File.ReadAllText(Path.Combine(dir, name)));
    }

    [Fact]
    public async Task AnalyzeOfAHostileModelIdWritesNoControlBytes()
    {
        using var dir = new ResultsDirectory();
        var file = Path.Combine(dir.Path, "run.json");
        File.WriteAllText(file, AnalysisFixtures.VllmLine(8, 800, 20, modelId: $"llama{Red}RED{Bel}\u009b2J\r\nsecond line"));
        var outDir = Path.Combine(dir.Path, "out");
        var (code, stdout, stderr) = await Micro("analyze", file, "--gpu-hour-price", "2", "--slo", "p99:tpot<=30ms", "--out", outDir);
        Assert.True(code == 0, stderr);
        AssertClean("stdout", stdout);
        AssertClean("stderr", stderr);
        AssertReportsClean(outDir);
        // The id is shown, without its control characters and on one line.
        Assert.Contains("llama[31mRED2J", File.ReadAllText(Path.Combine(outDir, "report.md")).Replace("\\", ""), StringComparison.Ordinal);
        Assert.DoesNotContain("\nsecond line", File.ReadAllText(Path.Combine(outDir, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorNamingAHostileFileOrValueIsOneCleanLine()
    {
        using var dir = new ResultsDirectory();
        var file = Path.Combine(dir.Path, $"bad{Red}{Bel}\nname.json");
        File.WriteAllText(file, "{\"completed\": \"" + Red + "x\"}");
        var (code, stdout, stderr) = await Micro("analyze", file, "--gpu-hour-price", "2");
        Assert.Equal(ExitCodes.Usage, code);
        AssertClean("stderr", stderr);
        AssertClean("stdout", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("bad[31m name.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportOfHostileDeviceNamesWritesNoControlBytes()
    {
        using var dir = new ResultsDirectory();
        var device = $"gpu{Red}{Bel}evil\r\n";
        var records = RecordFactory.Memory(device, "native", 2000, 1L << 20, maxLog2: 22).Concat(RecordFactory.Launch(device)).ToList();
        dir.WriteRecords(records);
        dir.WriteCeilings(records, [new DeviceInfo { Name = device, Kind = DeviceKind.Gpu, Source = "test" }]);
        var (code, stdout, stderr) = await Micro("report", dir.Path);
        Assert.True(code == 0, stderr);
        AssertClean("stdout", stdout);
        AssertClean("stderr", stderr);
        AssertReportsClean(dir.Path);
        Assert.Contains("gpu[31mevil", File.ReadAllText(Path.Combine(dir.Path, "report.html")), StringComparison.Ordinal);
    }

    private static string HostileCeilings(ResultsDirectory dir, string device)
    {
        var records = RecordFactory.Memory(device, "native", 3000, 1L << 20, maxLog2: 24).Concat(RecordFactory.Gemm(device, 700)).ToList();
        dir.WriteCeilings(records, [new DeviceInfo { Name = device, Kind = DeviceKind.Gpu, Source = "test" }]);
        return Path.Combine(dir.Path, Core.Ceilings.CeilingsProfile.FileName);
    }

    [Fact]
    public async Task CompareOfHostileDeviceNamesPrintsNoControlBytesAndNoExtraLines()
    {
        using var a = new ResultsDirectory();
        using var b = new ResultsDirectory();
        var (code, stdout, stderr) = await Micro("compare", HostileCeilings(a, $"old{Red}{Bel}\nINJECTED line"), HostileCeilings(b, $"new{Bel}\u001b]0;title\u0007"));
        Assert.True(code == 0, stderr);
        AssertClean("stdout", stdout);
        AssertClean("stderr", stderr);
        Assert.DoesNotContain(stdout.Split('\n'), l => l.StartsWith("INJECTED", StringComparison.Ordinal));
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("A: old[31m INJECTED line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnalyzeWithAHostileCeilingsDeviceNameWritesNoControlBytes()
    {
        var model = TestPaths.SharedFile("models/config_llama31_8b.json");
        using var dir = new ResultsDirectory();
        var ceilings = HostileCeilings(dir, $"H100{Red}{Bel}");
        var file = Path.Combine(dir.Path, "run.json");
        File.WriteAllText(file, AnalysisFixtures.VllmLine(8, 800, 20));
        var outDir = Path.Combine(dir.Path, "out");
        var (code, stdout, stderr) = await Micro("analyze", file, "--ceilings", ceilings, "--model", model, "--gpu-hour-price", "2", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("H100[31m", stdout, StringComparison.Ordinal);
        AssertClean("stdout", stdout);
        AssertClean("stderr", stderr);
        AssertReportsClean(outDir);
    }

    [Fact]
    public async Task BabelStreamImportDeviceNameLosesItsControlBytes()
    {
        using var dir = new ResultsDirectory();
        var log = Path.Combine(dir.Path, "babel.txt");
        File.WriteAllText(log, string.Join('\n',
            "BabelStream", "Version: 5.0", "Implementation: CUDA", "Running kernels 100 times", "Precision: double",
            "Array size: 268.4 MB (=0.3 GB)", "Total size: 805.3 MB (=0.8 GB)", $"Using CUDA device Evil{Red}GPU{Bel}", "Driver: 12020",
            "Function    MBytes/sec  Min (sec)   Max         Average     ",
            "Copy        1400256.415 0.00038     0.00039     0.00039     ",
            "Triad       1377517.491 0.00058     0.00060     0.00059     ", ""));
        var outDir = Path.Combine(dir.Path, "out");
        var (code, stdout, stderr) = await Micro("memory", "import", log, "--out", outDir);
        Assert.True(code == 0, stderr);
        AssertClean("stdout", stdout);
        AssertClean("stderr", stderr);
        Assert.Contains("Evil[31mGPU", stdout, StringComparison.Ordinal);
        var records = ResultsReader.Read(Path.Combine(outDir, ResultsWriter.FileName));
        Assert.All(records, r => Assert.Equal("Evil[31mGPU", r.Device));
    }

    [Fact]
    public async Task NcclTestsImportDeviceNameLosesItsControlBytes()
    {
        var source = TestPaths.SharedFile("collectives/nccl_2x8xh100_a3mega_tcpxo_allreduce.txt");
        using var dir = new ResultsDirectory();
        var lines = File.ReadAllLines(source);
        var rank = Array.FindIndex(lines, l => l.Contains("Rank", StringComparison.Ordinal) && l.Contains("device", StringComparison.Ordinal));
        Assert.True(rank >= 0, "the shared log has no rank line");
        lines[rank] = lines[rank].TrimEnd() + $"{Red}X{Bel}";
        var log = Path.Combine(dir.Path, "nccl.txt");
        File.WriteAllLines(log, lines);
        var (code, stdout, stderr) = await Micro("collectives", "import", log, "--out", Path.Combine(dir.Path, "out"));
        Assert.True(code is 0 or 1, stderr);
        AssertClean("stdout", stdout);
        AssertClean("stderr", stderr);
        Assert.Contains("[31mX", stdout, StringComparison.Ordinal);
    }
}

using Micro.Cli;
using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Devices.Host;
using Micro.Devices.Native;
using Micro.Tests.Shared;

namespace Micro.Cli.Tests;

public class CliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "run", "--suite", "nosuch", "--out", "/tmp/micro-cli-never" }, "unknown suite 'nosuch'")]
    [InlineData(new[] { "memory", "--size", "12Q" }, "bad --size '12Q'")]
    [InlineData(new[] { "memory", "--size", "250%" }, "bad --size '250%'")]
    [InlineData(new[] { "memory", "--backend", "opencl" }, "unknown --backend 'opencl'")]
    [InlineData(new[] { "memory", "--kernel", "scale" }, "unknown --kernel 'scale'")]
    [InlineData(new[] { "memory", "--dtype", "int8" }, "unknown --dtype 'int8'")]
    [InlineData(new[] { "memory", "--native-config", "items=3" }, "--native-config: items '3'")]
    [InlineData(new[] { "run" }, "--out")]
    public async Task BadInputGivesOneLineAndExitCode2(string[] args, string expected)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("micro: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    [Fact]
    public async Task ABadBabelStreamFileNamesFileAndLine()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-cli-").FullName, "bad.txt");
        File.WriteAllText(path, "Precision: double\nFunction MBytes/sec Min (sec) Max Average\nCopy 1 2\n");
        var (code, _, err) = await Run("memory", "import", path);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"micro: {path}: line 3: expected 5 columns (Function MBytes/sec Min Max Average), found 3", err.Trim());
    }

    [Fact]
    public async Task ImportWritesOneLinePerBabelStreamRow()
    {
        var file = TestPaths.SharedFile("babelstream/babelstream_a100_sxm4_80gb_tursa.txt");
        var dir = Directory.CreateTempSubdirectory("micro-cli-").FullName;
        var (code, output, _) = await Run("memory", "import", file, "--out", dir);
        Assert.Equal(0, code);
        var records = ResultsReader.Read(Path.Combine(dir, ResultsWriter.FileName));
        Assert.Equal(5, records.Count);
        Assert.Contains("NVIDIA A100-SXM4-80GB", output);
        Assert.Equal(1724.827354, records.Single(r => r.Case == "triad").Bandwidth!.Best, 6);
    }

    [Fact]
    public async Task DevicesListsTheHostCpu()
    {
        var (code, output, _) = await Run("devices");
        Assert.Equal(0, code);
        Assert.Contains("host", output);
        Assert.Contains("ILGPU", output);
        // The CUDA driver probe either lists GPUs or says in one line why not.
        Assert.Contains("cuda-driver", output);
    }

    [Fact]
    public async Task MemoryOnTheHostWritesResultsCeilingsAndCsv()
    {
        RequireHostStream();
        var dir = Directory.CreateTempSubdirectory("micro-cli-").FullName;
        // 4 x the LLC is a ceiling candidate; keep it small by asking for one kernel, one type, two iterations.
        var llc = Micro.Core.Context.HostInfo.LastLevelCacheBytes() ?? 64L << 20;
        var (code, output, err) = await Run("memory", "--backend", "host", "--kernel", "triad", "--dtype", "double",
            "--size", (4 * llc + (1 << 20)).ToString(), "--iterations", "2", "--warmup", "1", "--out", dir, "--csv");
        Assert.True(code == 0, err);
        var records = ResultsReader.Read(Path.Combine(dir, ResultsWriter.FileName));
        var r = Assert.Single(records);
        Assert.Equal("triad", r.Case);
        Assert.True(r.Verification.Passed);
        Assert.Equal(CeilingNames.HostMemoryBandwidth, r.Ceiling);
        var profile = CeilingsFile.Read(Path.Combine(dir, CeilingsProfile.FileName));
        var ceiling = profile.Devices.Single().Find(CeilingNames.HostMemoryBandwidth)!;
        Assert.Equal(r.Bandwidth!.Median, ceiling.Value, 9);
        Assert.Contains("memory --backend host", profile.Context.CommandLine);
        Assert.Contains("ilgpu", profile.Context.Libraries.Keys);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "results.csv")).Length);
        Assert.Contains("the figure BabelStream prints", output);
    }

    private static void RequireHostStream()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LibrarySearch.NativeDirVariable)))
        {
            var d = Path.Combine(TestPaths.RepoRoot, "build", "cli");
            if (File.Exists(Path.Combine(d, "libmicro_hoststream.so"))) Environment.SetEnvironmentVariable(LibrarySearch.NativeDirVariable, d);
        }
        if (HostStream.Unavailable() is { } why) Assert.Skip("host STREAM library not built: " + why);
    }
}

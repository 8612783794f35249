using Micro.Cli.Commands;
using Micro.Core.Results;
using Micro.Suites;

namespace Micro.Cli.Tests;

public class RunPlanTests
{
    [Fact]
    public void BackendHostRunsOnlyWhatRunsInHostMemory()
    {
        var plan = RunCommand.RunPlan.For(SuiteCatalog.All, ["host"], suitesNamed: false);
        Assert.Equal(["memory", "collectives"], plan.Suites.Select(s => s.Name));
        Assert.True(plan.HostOnly);
        Assert.Equal(new HashSet<string> { "host", "mpi" }, plan.Backends);
        Assert.Equal("not run (no host backend): link, gemm, launch, attention", plan.NotRun);
    }

    [Fact]
    public void NoBackendRunsEverySuiteIncludingAttention()
    {
        var plan = RunCommand.RunPlan.For(SuiteCatalog.All, [], suitesNamed: false);
        Assert.Equal(["memory", "link", "gemm", "launch", "attention", "collectives"], plan.Suites.Select(s => s.Name));
        Assert.False(plan.HostOnly);
        Assert.Null(plan.Backends);
    }

    [Fact]
    public void AGpuBackendIsNotHostOnly()
    {
        var plan = RunCommand.RunPlan.For(SuiteCatalog.All, ["native"], suitesNamed: false);
        Assert.Equal(["memory", "attention"], plan.Suites.Select(s => s.Name));
        Assert.False(plan.HostOnly);
    }

    [Fact]
    public async Task RunWritesEmulatorAttentionPointsWithoutAGpu()
    {
        if (Micro.Devices.Cuda.CudaDriver.TryInitialize(out _)) Assert.Skip("a CUDA driver is present: run measures the default shapes on the GPU");
        var dir = CliRun.TempDir();
        var (code, output, err) = await CliRun.Run("run", "--suite", "attention", "--out", dir);
        Assert.True(code == 0, err + output);
        var records = ResultsReader.Read(Path.Combine(dir, ResultsWriter.FileName));
        Assert.Contains(records, r => r.Case == "decode");
        Assert.Contains(records, r => r.Case.StartsWith("prefill", StringComparison.Ordinal));
        Assert.All(records, r =>
        {
            Assert.Equal("attention", r.Suite);
            Assert.Equal("emulator, not a ceiling", r.Label);
            Assert.Null(r.Ceiling);
            Assert.True(r.Verification.Passed);
        });
    }
}

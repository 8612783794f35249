namespace Micro.Cli.Tests;

/// <summary>Bad input per verb: exit 2 and one line naming the option (or file) and the reason, before anything runs.</summary>
public class BadInputTests
{
    [Theory]
    // Options that do not apply to what would run.
    [InlineData("gemm --size 1G", "'--size'")]
    [InlineData("launch --size 1M", "'--size'")]
    [InlineData("gemm --dtypes bf16", "'--dtypes'")]
    [InlineData("attention -k decode", "'-k'")]
    [InlineData("attention --kind decode --lengths 1k", "--lengths does not apply")]
    [InlineData("attention --kind prefill --contexts 1k", "--contexts does not apply")]
    [InlineData("attention --kind decode --block-size 32", "--block-size does not apply")]
    [InlineData("attention --backend native --ilgpu-device cpu", "--ilgpu-device does not apply")]
    [InlineData("attention --dump-ptx /tmp/micro-never --kind decode", "--dump-ptx", "--kind")]
    [InlineData("memory --backend host --native-config block=256", "--native-config applies to the native backend")]
    [InlineData("run --suite gemm --backend host", "--backend host does not apply to suite gemm")]
    // Unknown names.
    [InlineData("run -b warp", "unknown --backend 'warp'", "host")]
    [InlineData("gemm --dtype bf17", "unknown --dtype 'bf17'")]
    [InlineData("attention --kind nope", "unknown --kind 'nope'")]
    [InlineData("attention --kv-dtype int3", "unknown --kv-dtype 'int3'")]
    // Ranges, checked before anything runs.
    [InlineData("memory -n 2147483647", "--iterations 2147483647", "1..10000000")]
    [InlineData("run -n 0", "--iterations 0", "1..10000000")]
    [InlineData("memory -w -1", "--warmup -1", "0..1000000")]
    [InlineData("link -w -1", "--warmup -1")]
    [InlineData("memory -s 1T", "--size 1T", "memory")]
    [InlineData("collectives --timeout 1e12", "--timeout", "(0, 1000000]")]
    [InlineData("collectives --timeout 0", "--timeout 0")]
    [InlineData("run --fleet-timeout 1e12", "--fleet-timeout", "(0, 1000000]")]
    [InlineData("collectives -n 0", "--iterations 0")]
    [InlineData("collectives -c -1", "--check -1")]
    [InlineData("collectives -r -1", "--root -1")]
    [InlineData("gemm --device -1", "--device -1", "0..1023")]
    [InlineData("attention --batch 0", "--batch 0", "1..65536")]
    [InlineData("attention --splits 99999", "--splits 99999")]
    [InlineData("attention --contexts 0", "--contexts '0'")]
    [InlineData("link --size 0", "--size '0'")]
    public async Task AreExit2WithOneLine(string args, params string[] expected) =>
        await CliRun.BadInput(args.Split(' '), expected);
}

using Micro.Tests.Shared;

namespace Micro.Cli.Tests;

/// <summary>`micro gemm --model`: options checked before any GPU is opened; without a GPU the usual "nothing measured".</summary>
public class GemmModelTests
{
    [Theory]
    [InlineData("gemm --tp 2", "--tp applies with --model only")]
    [InlineData("gemm --m 8", "--m applies with --model only")]
    [InlineData("gemm --model no-such-model", "--model 'no-such-model'", "neither a preset")]
    public async Task Model_options_without_a_model_or_an_unknown_model_are_exit_2(string args, params string[] expected) =>
        await CliRun.BadInput(args.Split(' '), expected);

    [Theory]
    [InlineData("--tp 3", "--tp: 3: does not divide the 32 attention heads")]
    [InlineData("--tp 0", "--tp 0: out of range 1..1024")]
    [InlineData("--m 0", "--m '0': expected a token count in 1..65536")]
    [InlineData("--m 1,8,100k", "--m '100k'")]
    public async Task Bad_tp_and_m_are_exit_2_with_one_line(string extra, string expected)
    {
        var config = TestPaths.SharedFile("models/config_llama31_8b.json");
        await CliRun.BadInput(["gemm", "--model", config, .. extra.Split(' ')], expected);
    }

    [Fact]
    public async Task A_config_missing_a_sizing_field_is_exit_2_naming_file_and_field()
    {
        var path = Path.Combine(CliRun.TempDir(), "config.json");
        File.WriteAllText(path, """{"num_hidden_layers":2,"hidden_size":256,"num_attention_heads":4,"intermediate_size":512}""");
        await CliRun.BadInput(["gemm", "--model", path], path, "vocab_size", "required to size the lm_head GEMM");
    }

    [Fact]
    public async Task Without_a_gpu_a_model_run_is_the_usual_nothing_measured()
    {
        var dir = Path.Combine(CliRun.TempDir(), "new");
        var (code, _, err) = await CliRun.Run("gemm", "--model", "llama-3.1-8b", "--tp", "2", "--m", "1,8", "--out", dir);
        if (code == 0) Assert.Skip("a CUDA GPU is present: gemm measured");
        Assert.Equal(ExitCodes.NothingMeasured, code);
        Assert.Contains("nothing could be measured here", err);
        Assert.False(Directory.Exists(dir));
    }
}

using Micro.Cli;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>`micro predict --model PRESET`: the preset is a full model, and the model it names is checked against the calibration runs' model_id.</summary>
public class PredictionPresetTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Runs a command that must be refused: exit 2 and one line on stderr, returned.</summary>
    private static async Task<string> Refused(params string[] args)
    {
        var (code, _, e) = await Run(args);
        Assert.Equal(2, code);
        return Assert.Single(e.Trim().Split('\n'));
    }

    private static string Runs(TempDir dir, string modelId) => RunOf(dir, 4, 400, 10, modelId);

    /// <summary>A closed-loop run at concurrency c of the given model_id, with more top-level keys where given (`"gpu": "b200"`).</summary>
    private static string RunOf(TempDir dir, int c, double throughput, double tpotMs, string modelId, string moreKeys = "") =>
        dir.Write($"c{c}.json", TestFiles.Legacy(c, throughput, tpotMs).Replace("\"model_id\": \"m\"", $"\"model_id\": \"{modelId}\"{(moreKeys.Length > 0 ? ", " + moreKeys : "")}"));

    [Fact]
    public async Task APresetPredictsLikeItsConfigFile()
    {
        using var dir = new TempDir();
        var (code, o, e) = await Run("predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--concurrency", "1", "--isl", "128", "--osl", "8", "--num-prompts", "4");
        Assert.True(code == 0, e);
        var config = dir.Write("config.json", File.ReadAllText(TestPaths.SharedFile("models/config_llama31_8b.json")));
        var (code2, o2, e2) = await Run("predict", "--model", config, "--gpu", "h100-sxm", "--concurrency", "1", "--isl", "128", "--osl", "8", "--num-prompts", "4");
        Assert.True(code2 == 0, e2);
        // The same architecture gives the same figures: only the model's name differs between the two outputs.
        static string Figures(string s) => string.Join('\n', s.Split('\n').Where(l => l.Contains("TPOT", StringComparison.OrdinalIgnoreCase) || l.Contains("GB per decode GPU", StringComparison.Ordinal)));
        Assert.NotEmpty(Figures(o));
        Assert.Equal(Figures(o2), Figures(o));
    }

    [Fact]
    public async Task CalibrationRunsOfAnotherModelThanThePresetAreOneLineNamingBoth()
    {
        using var dir = new TempDir();
        var run = Runs(dir, "Qwen/Qwen3-8B");
        var line = await Refused("predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--calibrate", run, "--num-prompts", "4");
        Assert.Contains(run, line);
        Assert.Contains("model_id", line);
        Assert.Contains("Qwen/Qwen3-8B", line);
        Assert.Contains("meta-llama/Llama-3.1-8B-Instruct", line);
    }

    [Fact]
    public async Task ACheckRunOfAnotherModelThanTheCalibrationRunsIsOneLine()
    {
        using var dir = new TempDir();
        var run = Runs(dir, "meta-llama/Llama-3.1-8B-Instruct");
        var other = RunOf(dir, 8, 400, 10, "Qwen/Qwen3-8B");
        var line = await Refused("predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--calibrate", run, "--check", other, "--num-prompts", "4");
        Assert.Contains(other, line);
        Assert.Contains("model_id", line);
        Assert.Contains("Qwen/Qwen3-8B", line);
    }

    [Fact]
    public async Task AConfigNamingItsModelIsCheckedToo()
    {
        using var dir = new TempDir();
        var config = dir.Write("config.json", """{"_name_or_path":"meta-llama/Llama-3.1-70B-Instruct","model_type":"llama","num_hidden_layers":32,"hidden_size":4096,"intermediate_size":14336,"num_attention_heads":32,"num_key_value_heads":8,"vocab_size":128256,"torch_dtype":"bfloat16"}""");
        Assert.Contains("meta-llama/Llama-3.1-70B-Instruct", await Refused("predict", "--model", config, "--gpu", "h100-sxm", "--calibrate", Runs(dir, "meta-llama/Llama-3.1-8B-Instruct"), "--num-prompts", "4"));
    }

    [Theory]
    [InlineData("llama-3.1-8b", "meta-llama/llama-3.1-8b-instruct", "the model --model names")]
    [InlineData("llama-3.1-8b", "/weights/Llama-3.1-8B-Instruct", "the model --model names")]
    public async Task AMatchingModelIdIsSaidToMatch(string preset, string runId, string said)
    {
        using var dir = new TempDir();
        var (code, o, e) = await Run("predict", "--model", preset, "--gpu", "h100-sxm", "--calibrate", Runs(dir, runId), RunOf(dir, 8, 700, 11, runId),
            "--concurrency", "4", "--num-prompts", "8");
        Assert.True(code == 0, e);
        Assert.Contains(said, o);
    }

    [Fact]
    public async Task AQuantizedCheckpointOfThePresetIsThatModelWhenSimulatedWithItsWeights()
    {
        using var dir = new TempDir();
        const string runId = "RedHatAI/Llama-3.1-8B-Instruct-FP8";
        string[] Args(params string[] more) => ["predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--calibrate", Runs(dir, runId),
            RunOf(dir, 8, 700, 11, runId), "--concurrency", "4", "--num-prompts", "8", .. more];
        var (code, o, e) = await Run(Args("--weight-dtype", "fp8"));
        Assert.True(code == 0, e);
        Assert.Contains("checkpoints of the model --model names ('meta-llama/Llama-3.1-8B-Instruct'), each simulated with its own weights", o);

        // With the preset's bf16 weights the runs would be simulated as another model: refused, saying how to mend it.
        var line = await Refused(Args());
        Assert.Contains("model_id", line);
        Assert.Contains("simulated with bf16 weights: give --weight-dtype fp8", line);
    }

    [Fact]
    public async Task ACheckpointInAnotherWeightFormatIsATransferNotAnotherModel()
    {
        using var dir = new TempDir();
        // Calibrated on FP8 runs, checked on an NVFP4 checkpoint's run that states its quantization (vllm bench --metadata).
        var fp8 = Runs(dir, "nvidia/Llama-3.1-8B-Instruct-FP8");
        var nvfp4 = RunOf(dir, 8, 700, 11, "nvidia/Llama-3.1-8B-Instruct-NVFP4", "\"gpu\": \"b200\", \"quantization\": \"nvfp4\"");
        var (code, o, e) = await Run("predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--weight-dtype", "fp8", "--calibrate", fp8, "--check", nvfp4, "--concurrency", "4", "--num-prompts", "8");
        Assert.True(code == 0, e);
        Assert.Contains("each simulated with its own weights", o);

        // Without the quantization key the NVFP4 run would be simulated at the command's fp8: refused, naming the run.
        var unstated = RunOf(dir, 16, 900, 12, "nvidia/Llama-3.1-8B-Instruct-NVFP4");
        var line = await Refused("predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--weight-dtype", "fp8", "--calibrate", fp8, "--check", unstated, "--num-prompts", "8");
        Assert.Contains(unstated, line);
        Assert.Contains("nvfp4 checkpoint", line);
    }

    [Fact]
    public async Task AConfigNamingNoModelSaysModelIdNotChecked()
    {
        using var dir = new TempDir();
        var config = dir.Write("config.json", File.ReadAllText(TestPaths.SharedFile("models/config_llama31_8b.json")));
        var (code, o, e) = await Run("predict", "--model", config, "--gpu", "h100-sxm", "--calibrate", Runs(dir, "anything"), RunOf(dir, 8, 700, 11, "anything"),
            "--concurrency", "4", "--num-prompts", "8");
        Assert.True(code == 0, e);
        Assert.Contains("model_id not checked", o);
    }

    [Fact]
    public async Task AnUnknownPresetIsOneLineListingThePresets()
    {
        Assert.Contains("gpt-oss-120b", await Refused("predict", "--model", "llama-9", "--gpu", "h100-sxm", "--num-prompts", "4"));
    }
}

using System.Globalization;
using System.Text;
using Micro.Core.Results;
using Micro.Reports.Data;

namespace Micro.Cli.Tests;

/// <summary>
/// Issue 11, bad inputs per verb: every case asserts the exit code and the one line (file, field or option, reason);
/// where memory is the fault, the child's peak RSS against the documented bound (README "Input limits").
/// </summary>
public class HostileInputTests
{
    private const long Bound = 1536L << 20;      // peak RSS whatever the input
    private const long SmallBound = 800L << 20;  // peak RSS when every input is under 1 MB

    private static async Task<(int Code, string Out, string[] Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Dir() => Directory.CreateTempSubdirectory("micro-hostile-").FullName;

    private static string Write(string name, string text)
    {
        var p = Path.Combine(Dir(), name);
        File.WriteAllText(p, text);
        return p;
    }

    private static string Vllm(string completed = "40", string p99Tpot = "8", string modelId = "m") => $$"""
        {"date": "20260428-095432", "backend": "vllm", "model_id": "{{modelId}}", "num_prompts": 40, "request_rate": "inf",
         "max_concurrency": 4, "duration": 100.0, "completed": {{completed}}, "failed": 0, "total_input_tokens": 40960,
         "total_output_tokens": 40960, "request_throughput": 0.4, "request_goodput": null, "output_throughput": 409.6,
         "total_token_throughput": 819.2, "mean_ttft_ms": 300, "p99_ttft_ms": 900, "mean_tpot_ms": 7.6, "p99_tpot_ms": {{p99Tpot}},
         "mean_e2el_ms": 8800, "p99_e2el_ms": 9600}
        """;

    private static void OneLine(string[] err, params string[] expected)
    {
        Assert.Single(err);
        Assert.StartsWith("micro: ", err[0]);
        foreach (var x in expected) Assert.Contains(x, err[0]);
    }

    // Class 1: a device or an endless pipe is read only to the limit, then one line and exit 2, memory bounded.
    [Theory]
    [InlineData("analyze", "/dev/zero", "not a regular file")]
    [InlineData("memory import", "/dev/zero", "not a regular file")]
    [InlineData("collectives import", "/dev/zero", "not a regular file")]
    [InlineData("analyze", "/dev/stdin", "not a regular file")]
    // compare reads only the first 4 KiB to tell a ceilings profile from an analysis.
    [InlineData("compare", "/dev/zero /dev/zero", "not JSON: binary data")]
    public void NonRegularInputsStopAtTheLimit(string verb, string files, string reason)
    {
        var args = verb.Split(' ').Concat(files.Split(' ')).Concat(verb == "analyze" ? ["--gpu-hour-price", "2"] : []).ToArray();
        var r = MicroChild.Run(args, stdinFrom: files == "/dev/stdin" ? "yes 2>/dev/null" : null);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        OneLine(r.ErrorLines, files.Split(' ')[0] + ": " + reason);
        if (reason == "not a regular file") Assert.Contains("input limit; stopped reading there", r.ErrorLines[0]);
        Assert.InRange(r.PeakRssBytes, 1, Bound);
    }

    [Fact]
    public void AModelConfigFromADeviceIsBoundedToo()
    {
        var r = MicroChild.Run(["analyze", Write("r.json", Vllm()), "--gpu", "h100-sxm", "--model", "/dev/zero"],
            new Dictionary<string, string> { [InputLimits.LimitVariable] = "1048576" });
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        OneLine(r.ErrorLines, "/dev/zero: not a regular file", "1,048,576 bytes (1 MiB) input limit");
        Assert.InRange(r.PeakRssBytes, 1, SmallBound);
    }

    // Class 2: one huge string in a file under the size limit is refused before it is materialized.
    [Fact]
    public void AHugeStringFieldIsOneLineNotOutOfMemory()
    {
        var path = Write("huge.json", Vllm(modelId: new string('x', InputLimits.MaxStringBytes + 1024)));
        var r = MicroChild.Run(["analyze", path, "--gpu-hour-price", "2"]);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        OneLine(r.ErrorLines, path, "model_id", "is longer than the 16,777,216 bytes (16 MiB) limit");
        Assert.InRange(r.PeakRssBytes, 1, Bound);
    }

    // Class 3: points past the documented cap are refused with one line (the cap lowered so the file stays small).
    [Fact]
    public void PointsPastTheCapAreRefused()
    {
        var line = Vllm().ReplaceLineEndings(" ");
        var path = Write("many.jsonl", string.Concat(Enumerable.Repeat(line + "\n", 201)));
        var r = MicroChild.Run(["analyze", path, "--gpu-hour-price", "2"], new Dictionary<string, string> { [InputLimits.CountVariable] = "200" });
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        OneLine(r.ErrorLines, path, "line 201", "more than 200 result objects in one file");
        Assert.InRange(r.PeakRssBytes, 1, SmallBound);
    }

    private static string NcclLog(int rows, string firstSize = "8")
    {
        var sb = new StringBuilder("# nccl-tests all_reduce_perf\n#  Rank  0 Group  0 Pid 1 on host device  0 [0x1b] NVIDIA H100 80GB HBM3\n");
        sb.Append("#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong\n");
        for (var i = 0; i < rows; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? firstSize : (8L << (i % 30)).ToString(CultureInfo.InvariantCulture))}  2  float  sum  -1  10.5  0.00  0.00  0  10.1  0.00  0.00  0\n");
        return sb.ToString();
    }

    // Class 4: a huge log is refused past the row cap, quickly and in bounded memory; what is imported stays readable.
    [Fact]
    public void ALogPastTheRowCapIsRefused()
    {
        var path = Write("big.txt", NcclLog(101));
        var r = MicroChild.Run(["collectives", "import", path, "--out", Dir()], new Dictionary<string, string> { [InputLimits.CountVariable] = "100" });
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        OneLine(r.ErrorLines, path, "line 104", "more than 100 result rows");
        Assert.InRange(r.PeakRssBytes, 1, SmallBound);
    }

    [Fact]
    public async Task AnImportAtTheRowCapStaysReadableByReport()
    {
        var dir = Dir();
        var (code, _, err) = await Run("collectives", "import", Write("cap.txt", NcclLog(InputLimits.MaxLogRows)), "--out", dir);
        Assert.True(code == ExitCodes.Ok, string.Join('\n', err));
        var results = Path.Combine(dir, ResultsWriter.FileName);
        Assert.InRange(new FileInfo(results).Length, 1, ReportInput.MaxResultsBytes);
        Assert.Equal(2 * InputLimits.MaxLogRows, ReportInput.Load(dir).Records.Count);
    }

    // Class 10: bad values are validation errors, not figures.
    [Fact]
    public async Task BadValuesAreValidationErrors()
    {
        var neg = Write("neg.json", Vllm(p99Tpot: "-3"));
        var (code, _, err) = await Run("analyze", neg, "--slo", "p99:tpot<=20ms", "--gpu-hour-price", "2");
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, neg, "p99_tpot_ms", "a latency must not be negative (-3)");

        var zero = Write("zero.json", Vllm(completed: "0"));
        (code, _, err) = await Run("analyze", zero, "--gpu-hour-price", "2");
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, zero, "completed", "is 0: no request completed");

        var babel = Write("babel.txt", "Precision: double\nArray size: -268.4 MB (=-0.3 GB)\nFunction    MBytes/sec  Min (sec)   Max         Average\nCopy        1000.0      0.5         0.6         0.55\n");
        (code, _, err) = await Run("memory", "import", babel, "--out", Dir());
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, babel, "line 2: Array size", "must be a positive size, found '-268.4 MB (=-0.3 GB)'");

        var nccl = Write("neg.txt", NcclLog(3, firstSize: "-8"));
        (code, _, err) = await Run("collectives", "import", nccl);
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, nccl, "line 4: size", "'-8' is negative");
    }

    // Class 14: messages that say what is wrong.
    [Fact]
    public async Task MessagesSayWhatIsWrong()
    {
        var random = Path.Combine(Dir(), "random.json");
        File.WriteAllBytes(random, [0x7b, 0x9f, 0x00, 0xc3, 0x28, 0x11, 0xfe]);
        var (code, _, err) = await Run("analyze", random, "--gpu-hour-price", "2");
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, random, "not JSON: binary data");
        Assert.DoesNotContain("truncated", err[0]);

        var empty = Write("empty.json", "");
        (code, _, err) = await Run("compare", empty, empty);
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, empty, "the file is empty");
        Assert.DoesNotContain("schema", err[0]);

        (code, _, err) = await Run("analyze", "--bogus");
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, "unknown option '--bogus' for 'analyze'");

        var vllm = Write("ok.json", Vllm());
        var config = Write("config.json", """{"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "torch_dtype": "bfloat13"}""");
        (code, _, err) = await Run("analyze", vllm, "--gpu", "h100-sxm", "--model", config);
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, config + ": torch_dtype: unknown weight dtype 'bfloat13'");

        (code, _, err) = await Run("analyze", vllm, "--gpu", "h100-sxm", "--model", Write("config.json", """{"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4}"""), "--kv-dtype", "fp7");
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, "--kv-dtype: unknown KV-cache dtype 'fp7'");
        Assert.DoesNotContain("weight", err[0]);
    }

    [Fact]
    public async Task AnImportedLogThatFailedItsOwnCheckSaysWhy()
    {
        var path = Write("wrong.txt", NcclLog(2).Replace("10.1  0.00  0.00  0\n", "10.1  0.00  0.00  3\n"));
        var (code, _, err) = await Run("collectives", "import", path);
        Assert.Equal(ExitCodes.Failed, code);
        OneLine(err, path, "line 4", "#wrong is not 0 in 2 row(s)");
    }
}

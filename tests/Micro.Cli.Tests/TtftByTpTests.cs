using System.Text.Json;

namespace Micro.Cli.Tests;

/// <summary>
/// scripts/ttft-by-tp: the median-TTFT increment from the shortest to the longest prompt at each TP, and the line
/// a / TP + b through it, from result files that carry their deployment (and from a predict folder's rows); bad input
/// is one line naming file and field, and exit 2. The runs are written by the test with a known a and b.
/// </summary>
public class TtftByTpTests
{
    private static object Run(string gpu, int tp, int isl, double ttftMs, int concurrency = 4) => new Dictionary<string, object>
    {
        ["max_concurrency"] = concurrency, ["num_prompts"] = 10 * concurrency, ["total_input_tokens"] = 10 * concurrency * isl,
        ["total_output_tokens"] = 10 * concurrency * 1024, ["median_ttft_ms"] = ttftMs, ["gpu"] = gpu,
        ["tensor_parallel_size"] = tp.ToString(System.Globalization.CultureInfo.InvariantCulture), ["quantization"] = "fp8",
    };

    private static async Task<string> Write(string dir, string name, object run)
    {
        var path = Path.Combine(dir, name);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(run), TestContext.Current.CancellationToken);
        return path;
    }

    private static (int Code, string Out, string Err) Script(params string[] args)
    {
        var r = PythonScript.Run("ttft-by-tp", args);
        return (r.Code, r.Out, r.Err);
    }

    [Fact]
    public async Task The_line_through_the_increments_recovers_the_part_TP_divides_and_the_part_it_does_not()
    {
        var dir = CliRun.TempDir();
        // 1k TTFT 60 + 200/TP ms; the 8k prompt adds 800/TP + 100 ms. A c16 run and a run without `gpu` are not counted.
        foreach (var tp in new[] { 1, 2, 4, 8 })
        {
            await Write(dir, $"h200_tp{tp}_1k.json", Run("h200", tp, 1024, 60 + 200.0 / tp));
            await Write(dir, $"h200_tp{tp}_8k.json", Run("h200", tp, 8192, 60 + 200.0 / tp + 800.0 / tp + 100));
        }
        await Write(dir, "h200_tp2_8k_c16.json", Run("h200", 2, 8192, 5000, concurrency: 16));
        var noGpu = new Dictionary<string, object>((Dictionary<string, object>)Run("h200", 2, 8192, 9000));
        noGpu.Remove("gpu");
        await Write(dir, "other.json", noGpu);

        var (code, output, err) = Script(dir);
        Assert.True(code == 0, err);
        Assert.Contains("h200 fp8 osl 1024: prompt 1024 -> 8192 at c4, TP 1, 2, 4, 8: increment 900, 500, 300, 200 ms; a 800 ms, b 100 ms (largest misfit 0 ms)", output);
    }

    [Fact]
    public async Task Predicted_rows_are_matched_to_the_files_by_name()
    {
        var dir = CliRun.TempDir();
        var predicted = Path.Combine(dir, "out");
        Directory.CreateDirectory(predicted);
        var rows = new List<object>();
        foreach (var tp in new[] { 2, 8 })
            foreach (var (isl, measured, model) in new[] { (1024, 50.0, 40.0), (8192, 50 + 400.0 / tp, 40 + 600.0 / tp + 20) })
            {
                var name = $"b200_tp{tp}_{isl}.json";
                await Write(dir, name, Run("b200", tp, isl, measured));
                rows.Add(new { source = "/elsewhere/" + name, metric = "median_ttft_ms", predicted = model });
            }
        await File.WriteAllTextAsync(Path.Combine(predicted, "prediction.json"), JsonSerializer.Serialize(new { check = new { rows } }), TestContext.Current.CancellationToken);

        var (code, output, err) = Script("--predicted", predicted, dir);
        Assert.True(code == 0, err);
        var measuredPart = output[..output.IndexOf("== predicted", StringComparison.Ordinal)];
        Assert.Contains("a 400 ms, b 0 ms", measuredPart);
        Assert.Contains("a 600 ms, b 20 ms", output[output.IndexOf("== predicted", StringComparison.Ordinal)..]);
    }

    [Theory]
    [InlineData("two", "tensor_parallel_size", "'two' is not a number")]
    [InlineData("0", "tensor_parallel_size", "missing or not a positive number")]
    public async Task A_bad_field_is_one_line_naming_file_and_field_and_exit_2(string tp, string field, string reason)
    {
        var dir = CliRun.TempDir();
        var run = (Dictionary<string, object>)Run("h100-sxm", 2, 1024, 80);
        run["tensor_parallel_size"] = tp;
        var path = await Write(dir, "bad.json", run);
        var (code, _, err) = Script(path);
        Assert.Equal(2, code);
        Assert.Equal($"micro: {path}: {field}: {reason}", err.Trim());
    }

    [Fact]
    public void Files_that_are_not_there_or_not_json_are_refused_the_same_way()
    {
        var dir = CliRun.TempDir();
        var (code, _, err) = Script(Path.Combine(dir, "absent.json"));
        Assert.Equal(2, code);
        Assert.Equal($"micro: {Path.Combine(dir, "absent.json")}: file: not found", err.Trim());
        var notJson = Path.Combine(dir, "x.json");
        File.WriteAllText(notJson, "{ not json");
        (code, _, err) = Script(notJson);
        Assert.Equal(2, code);
        Assert.StartsWith($"micro: {notJson}: file: not valid JSON", err.Trim());
        Assert.DoesNotContain('\n', err.Trim());
    }
}

using System.Text.Json.Nodes;
using Micro.Core.Ceilings;
using Micro.Core.Context;

namespace Micro.Cli.Tests;

/// <summary>
/// Issue 21, class 1: any value Micro's own files or vLLM's can hold (null in place of any value, a key twice, a lone
/// surrogate in any string, an integer past its type, a number past a double) is either read or refused with one line
/// naming the file, exit 2; never a stack trace. Every node of a sound file is mutated in turn, so the test follows the
/// schema as it grows instead of a list of known cases.
/// </summary>
public class HostileShapeTests
{
    private static string Profile(string dir)
    {
        var path = Path.Combine(dir, "ceilings.json");
        CeilingsFile.Write(path, new CeilingsProfile
        {
            Context = RunContext.Capture("micro run"),
            Devices = [new DeviceCeilings { Device = "NVIDIA H100 80GB HBM3", DatasheetKey = "h100-sxm", Ceilings =
                [new Ceiling { Name = CeilingNames.MemoryBandwidth, Value = 3000, Unit = "GB/s", Suite = "memory", Case = "copy", Backend = "native" }] }],
        });
        return path;
    }

    internal const string Vllm = """
        {"date": "20260428-095432", "backend": "vllm", "model_id": "m", "num_prompts": 4, "request_rate": "inf",
         "max_concurrency": 4, "duration": 10.0, "completed": 4, "failed": 0, "total_input_tokens": 400,
         "total_output_tokens": 40, "request_throughput": 0.4, "request_goodput": null, "output_throughput": 4.0,
         "total_token_throughput": 44.0, "mean_ttft_ms": 30, "median_ttft_ms": 30, "p99_ttft_ms": 90, "mean_tpot_ms": 7.6,
         "median_tpot_ms": 7.5, "p99_tpot_ms": 8, "mean_e2el_ms": 100, "p99_e2el_ms": 160,
         "input_lens": [100, 100, 100, 100], "output_lens": [10, 10, 10, 10], "ttfts": [0.03, 0.03, 0.03, 0.03],
         "itls": [[0.007, 0.008], [0.007], [0.008], [0.007]], "errors": ["", "", "", ""]}
        """;

    /// <summary>Every node of the document: replace it with null, with a lone surrogate string, with a number past int32
    /// and past a double, and give its key twice.</summary>
    private static IEnumerable<(string What, string Json)> Mutations(string json)
    {
        var paths = new List<string>();
        void Collect(JsonNode? n, string at)
        {
            paths.Add(at);
            if (n is JsonObject o) foreach (var (k, v) in o) Collect(v, at + "/" + k);
            else if (n is JsonArray a) for (var i = 0; i < Math.Min(a.Count, 2); i++) Collect(a[i], at + "/" + i);
        }
        Collect(JsonNode.Parse(json), "");
        foreach (var p in paths.Skip(1))
        {
            yield return ($"{p} = null", Replace(json, p, null));
            yield return ($"{p} = lone surrogate", Replace(json, p, JsonValue.Create("\ud800x")));
            yield return ($"{p} = 3e9", Replace(json, p, JsonValue.Create(3_000_000_000L)));
            yield return ($"{p} = []", Replace(json, p, new JsonArray((JsonNode?)null)));
            yield return ($"{p} = 1e400", Replace(json, p, JsonValue.Create(123456789.5)).Replace("123456789.5", "1e400"));
        }
        var root = (JsonObject)JsonNode.Parse(json)!;
        foreach (var (k, _) in root) yield return ($"{k} twice", json.Insert(json.IndexOf('{') + 1, $"\"{k}\": 1, "));
    }

    private static string Replace(string json, string path, JsonNode? value)
    {
        var root = JsonNode.Parse(json)!;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = parts[..^1].Aggregate(root, (n, p) => n is JsonArray a ? a[int.Parse(p)]! : n[p]!);
        if (parent is JsonArray arr) arr[int.Parse(parts[^1])] = value;
        else parent[parts[^1]] = value;
        return root.ToJsonString().Replace("\\uD800", "\\ud800", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task ReadOrRefuse(string file, string what, string[] args)
    {
        var (code, _, err) = await CliRun.Run(args);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(code is ExitCodes.Ok or ExitCodes.Usage, $"{what}: exit {code}: {err}");
        Assert.DoesNotContain(" at ", err.Replace(" at line ", ""));
        if (code == ExitCodes.Usage)
        {
            var line = Assert.Single(lines, l => !l.StartsWith("micro: warning", StringComparison.Ordinal));
            Assert.StartsWith($"micro: {file}", line);
        }
    }

    [Fact]
    public async Task EveryMutationOfACeilingsProfileIsReadOrOneLine()
    {
        var dir = CliRun.TempDir();
        var sound = File.ReadAllText(Profile(dir));
        var other = Profile(CliRun.TempDir());
        var bad = Path.Combine(dir, "bad.json");
        var count = 0;
        foreach (var (what, json) in Mutations(sound))
        {
            File.WriteAllText(bad, json);
            await ReadOrRefuse(bad, what, ["compare", bad, other]);
            count++;
        }
        Assert.True(count > 100, $"only {count} mutations");
    }

    [Fact]
    public async Task EveryMutationOfAVllmResultIsReadOrOneLine()
    {
        var bad = Path.Combine(CliRun.TempDir(), "run.json");
        foreach (var (what, json) in Mutations(Vllm))
        {
            File.WriteAllText(bad, json);
            await ReadOrRefuse(bad, what, ["analyze", bad, "--gpu", "h100-sxm"]);
        }
    }

    [Theory]
    [InlineData("null", "devices", "is null or missing")]
    [InlineData("[null]", "devices[0]", "is null or missing")]
    public async Task ANullWhereTheSchemaWantsAValueNamesThePath(string value, string field, string reason)
    {
        var dir = CliRun.TempDir();
        var path = Profile(dir);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["devices"] = JsonNode.Parse(value);
        File.WriteAllText(path, node.ToJsonString());
        await CliRun.BadInput(["predict", "--model", "llama-3.1-8b", "--ceilings", path, "--concurrency", "1"], path, field, reason);
    }

    [Fact]
    public async Task AKeyTwiceAndALoneSurrogateAreRefusedByName()
    {
        var dir = CliRun.TempDir();
        var twice = Path.Combine(dir, "twice.json");
        File.WriteAllText(twice, Vllm.Replace("\"duration\": 10.0,", "\"duration\": 10.0, \"duration\": 0.001,"));
        await CliRun.BadInput(["analyze", twice, "--gpu", "h100-sxm"], twice, "duration", "twice");
        var surrogate = Path.Combine(dir, "surrogate.json");
        File.WriteAllText(surrogate, Vllm.Replace("\"model_id\": \"m\"", "\"model_id\": \"\\ud800\""));
        await CliRun.BadInput(["analyze", surrogate, "--gpu", "h100-sxm"], surrogate, "model_id", "lone surrogate");
        var wide = Path.Combine(dir, "wide.json");
        File.WriteAllText(wide, Vllm.Replace("\"max_concurrency\": 4", "\"max_concurrency\": 3000000000"));
        await CliRun.BadInput(["analyze", wide, "--gpu", "h100-sxm"], wide, "max_concurrency", "2,147,483,647");
    }

    [Theory]
    [InlineData("--isl")]
    [InlineData("--osl")]
    public async Task ASequenceLongerThanTheKvCacheIsOneLine(string option)
    {
        var (code, _, err) = await CliRun.Run("predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", option, "10000000", "--concurrency", "1", "--num-prompts", "4");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.DoesNotContain(" at Micro", err);
        Assert.Contains(err.Split('\n'), l => l.StartsWith("micro: --isl/--osl", StringComparison.Ordinal) && l.Contains("KV", StringComparison.Ordinal));
    }
}

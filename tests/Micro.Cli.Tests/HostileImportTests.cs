using System.Text.Json;
using Micro.Core.Results;

namespace Micro.Cli.Tests;

/// <summary>
/// Issue 21, class 2, for the text-log importers (BabelStream text and --csv, nccl-tests/rccl-tests): every printed
/// figure replaced by every kind of absurd number (past a double, past a long, subnormal, negative, non-finite) is
/// either one line naming the file and the field, exit 2, or imported with nothing non-finite or negative written
/// (beyond the null a format always holds for the figures the tool does not report).
/// </summary>
public class HostileImportTests
{
    private static readonly string[] Absurd = ["1e300", "1e-320", "9223372036854775807", "99999999999999999999", "1e400", "-1", "NaN", "Infinity", "-0"];

    private const string BabelText = """
        BabelStream
        Version: 5.0
        Implementation: CUDA
        Running kernels 100 times
        Precision: double
        Array size: {0} MB (=0.3 GB)
        Using CUDA device NVIDIA A100-SXM4-80GB
        Function    MBytes/sec  Min (sec)   Max         Average
        Copy        {1} {2}     {3}     {4}
        Mul         1676181.608 0.00032     0.00033     0.00033
        """;
    private static readonly string[] BabelTextFields = ["Array size", "MBytes/sec", "Min (sec)", "Max", "Average"];
    private static readonly string[] BabelTextValues = ["268.4", "1709360.800", "0.00031", "0.00032", "0.00032"];

    private const string BabelCsv = """
        function,num_times,n_elements,sizeof,max_mbytes_per_sec,min_runtime,max_runtime,avg_runtime
        Copy,{0},{1},8,{2},{3},{4},{5}
        """;
    private static readonly string[] BabelCsvFields = ["num_times", "n_elements", "max_mbytes_per_sec", "min_runtime", "max_runtime", "avg_runtime"];
    private static readonly string[] BabelCsvValues = ["100", "33554432", "1709360.8", "0.00031", "0.00032", "0.00032"];

    private const string Nccl = """
        # nThread 1 nGpus 1 minBytes 8 maxBytes 1048576 step: 2(factor) warmup iters: 5 iters: 20 agg iters: 1 validation: 1 graph: 0
        # all_reduce_perf
        # Using devices
        #  Rank  0 Group  0 Pid   6903 on host device  0 [0000:84:00] NVIDIA H100 80GB HBM3
        #       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong
        {0} {1} float sum -1 {2} {3} {4} {5} {6} {7} {8} {9}
             1048576        262144     float     sum      -1    30.1   34.84   34.84      0    29.8   35.19   35.19      0
        # Avg bus bandwidth    : 35.0
        """;
    private static readonly string[] NcclFields = ["size", "count", "out-of-place time", "out-of-place algbw", "out-of-place busbw", "out-of-place #wrong",
        "in-place time", "in-place algbw", "in-place busbw", "in-place #wrong"];
    private static readonly string[] NcclValues = ["524288", "131072", "20.5", "25.58", "25.58", "0", "20.1", "26.08", "26.08", "0"];

    public static TheoryData<string> Formats() => ["babelstream text", "babelstream csv", "nccl-tests"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task EveryPrintedFigureThatIsAbsurdIsOneLineOrImportedFinite(string format)
    {
        var (template, fields, values, verb) = format switch
        {
            "babelstream text" => (BabelText, BabelTextFields, BabelTextValues, "memory"),
            "babelstream csv" => (BabelCsv, BabelCsvFields, BabelCsvValues, "memory"),
            _ => (Nccl, NcclFields, NcclValues, "collectives"),
        };
        var baseline = await Import(verb, string.Format(template, values));
        Assert.True(baseline.Code == 0, baseline.Err);
        var allowedNaN = NonFinitePaths(baseline.Results!);
        for (var f = 0; f < fields.Length; f++)
        {
            foreach (var absurd in Absurd)
            {
                var mutated = (string[])values.Clone();
                mutated[f] = absurd;
                var what = $"{format} {fields[f]} = {absurd}";
                var r = await Import(verb, string.Format(template, mutated));
                if (r.Code == ExitCodes.Usage)
                {
                    var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                    Assert.StartsWith("micro: " + r.Path, line);
                    Assert.True(line.Contains(fields[f], StringComparison.Ordinal), $"{what}: the line does not name the field: {line}");
                    continue;
                }
                Assert.True(r.Code is ExitCodes.Ok or ExitCodes.Failed, $"{what}: exit {r.Code}: {r.Err}");
                Assert.DoesNotContain("Infinity", r.Results);
                var nonFinite = NonFinitePaths(r.Results!);
                Assert.True(nonFinite.IsSubsetOf(allowedNaN), $"{what}: non-finite {string.Join(", ", nonFinite.Except(allowedNaN))}");
                Assert.True(Negative(r.Results!).Count == 0, $"{what}: negative {string.Join(", ", Negative(r.Results!))}");
            }
        }
    }

    private static async Task<(int Code, string Err, string Path, string? Results)> Import(string verb, string text)
    {
        var dir = CliRun.TempDir();
        var path = Path.Combine(dir, "log.txt");
        File.WriteAllText(path, text.Replace("\n", Environment.NewLine));
        var outDir = Path.Combine(dir, "out");
        var (code, _, err) = await CliRun.Run(verb, "import", path, "--out", outDir);
        var results = Path.Combine(outDir, ResultsWriter.FileName);
        return (code, err, path, File.Exists(results) ? File.ReadAllText(results) : null);
    }

    private static IEnumerable<(string Path, JsonElement Value)> Numbers(string jsonl)
    {
        foreach (var (line, i) in jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select((l, i) => (l, i)))
        {
            using var doc = JsonDocument.Parse(line);
            var stack = new Stack<(string, JsonElement)>([("", doc.RootElement.Clone())]);
            while (stack.Count > 0)
            {
                var (at, e) = stack.Pop();
                if (e.ValueKind == JsonValueKind.Object) foreach (var p in e.EnumerateObject()) stack.Push((at + "/" + p.Name, p.Value));
                else if (e.ValueKind == JsonValueKind.Array) foreach (var (x, k) in e.EnumerateArray().Select((x, k) => (x, k))) stack.Push((at + "/" + k, x));
                else if (at.Contains("/parameters/", StringComparison.Ordinal)) continue; // the printed text, kept as printed
                else yield return ($"{i}{at}", e);
            }
        }
    }

    /// <summary>The figures the import left unknown: null, as Micro writes a figure that is not finite (never a "NaN" string).</summary>
    private static HashSet<string> NonFinitePaths(string jsonl)
    {
        var named = Numbers(jsonl).Where(n => n.Value.ValueKind == JsonValueKind.String && n.Value.GetString() is "NaN" or "Infinity" or "-Infinity").ToList();
        Assert.True(named.Count == 0, $"named non-finite literals written: {string.Join(", ", named.Select(n => n.Path))}");
        return Numbers(jsonl).Where(n => n.Value.ValueKind == JsonValueKind.Null).Select(n => n.Path).ToHashSet();
    }

    private static List<string> Negative(string jsonl) =>
        Numbers(jsonl).Where(n => n.Value.ValueKind == JsonValueKind.Number && n.Value.GetDouble() < 0 && !n.Path.EndsWith("/root", StringComparison.Ordinal))
            .Select(n => n.Path).ToList();
}

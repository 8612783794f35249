using System.Globalization;
using System.Text;
using System.Text.Json;
using Micro.Cli;
using Micro.EndToEnd.Traffic;

namespace Micro.EndToEnd.Tests;

/// <summary>`micro predict --workload TRACE` and `--plan` end to end: outputs, keys, and bad traces as one line with exit 2.</summary>
public class TrafficCliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string Trace(TempDir dir, int n, double rate)
    {
        var sb = new StringBuilder("arrival_s,input_tokens,output_tokens\n");
        for (var i = 0; i < n; i++) sb.Append(CultureInfo.InvariantCulture, $"{i / rate:0.####},{256 + i % 7 * 64},{16 + i % 5 * 8}\n");
        return dir.Write("trace.csv", sb.ToString());
    }

    [Fact]
    public async Task PlanWritesRowsWithPinnedKeysAndATable()
    {
        using var dir = new TempDir();
        var trace = Trace(dir, 400, 20);
        var (code, o, e) = await Run("predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--workload", trace, "--slo", "p95:ttft<=500ms", "--slo", "p95:tpot<=40ms",
            "--plan", "--plan-tp", "1,2", "--plan-gpus", "h200", "--window-s", "5", "--timeout-s", "30", "--out", dir.Path);
        Assert.True(code == 0, e);
        Assert.Contains("== capacity plan", o);
        Assert.Contains("== steady vs burst, useful work", o);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir.Path, "prediction.json")));
        var plan = doc.RootElement.GetProperty("plan");
        Assert.Equal(TrafficJson.PlanKeys, plan.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, plan.GetProperty("rows").GetArrayLength());
        foreach (var row in plan.GetProperty("rows").EnumerateArray())
        {
            Assert.Equal(TrafficJson.RowKeys, row.EnumerateObject().Select(p => p.Name));
            Assert.True(row.GetProperty("replicas").GetInt32() >= 1);
        }
        var point = doc.RootElement.GetProperty("points")[0];
        Assert.Equal(400, point.GetProperty("sent").GetInt32());
        Assert.True(File.Exists(Path.Combine(dir.Path, "plan.csv")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "useful-work.csv")));
        // The report carries the plan: its table (one row per configuration) and the cost vs p95 plot, inline.
        var html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        var section = html[html.IndexOf("Capacity plan</h2>", StringComparison.Ordinal)..];
        foreach (var header in new[] { "GPU", "TP", "replicas", "meets SLO", "$/month", "$/request", "$/1M output tokens", "utilization", "worst window", "quality" })
            Assert.Contains($"<th>{System.Net.WebUtility.HtmlEncode(header)}</th>", section);
        foreach (var row in plan.GetProperty("rows").EnumerateArray())
            Assert.Contains($"<td class=\"num\">{row.GetProperty("replicas").GetInt32()}</td>", section);
        Assert.Contains("Capacity plan: monthly cost vs worst-window TTFT", html);
        Assert.True(File.Exists(Path.Combine(dir.Path, "plan-cost-vs-p95.png")));
        Assert.Contains("## Capacity plan", File.ReadAllText(Path.Combine(dir.Path, "report.md")));
    }

    [Fact]
    public async Task ADailyProfileBillsEachHourAtItsReplicasBesideThePeakSizing()
    {
        using var dir = new TempDir();
        var trace = Trace(dir, 400, 20);
        var day = dir.Write("day.csv", "hour,load\n" + string.Concat(Enumerable.Range(0, 24).Select(h => $"{h},{(h is >= 9 and < 18 ? 1 : 0.25)}\n")));
        string[] args = ["predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--workload", trace, "--slo", "p95:ttft<=200ms", "--plan", "--plan-tp", "1", "--window-s", "5"];
        var (code, o, e) = await Run([.. args, "--daily-profile", day, "--out", dir.Path]);
        Assert.True(code == 0, e);
        Assert.Contains("replicas by hour (0-23)", o);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir.Path, "prediction.json")));
        var plan = doc.RootElement.GetProperty("plan");
        Assert.Equal(day, plan.GetProperty("daily_profile").GetString());
        Assert.Equal(730 * (9 + 15 * 0.25) / 24, plan.GetProperty("hours_per_month").GetDouble(), 9);
        var row = plan.GetProperty("rows")[0];
        var hourly = row.GetProperty("hourly_replicas").EnumerateArray().Select(x => x.GetInt32()).ToList();
        Assert.Equal(24, hourly.Count);
        Assert.Equal(row.GetProperty("replicas").GetInt32(), hourly[12]);
        Assert.True(row.GetProperty("autoscaled_monthly_cost").GetDouble() <= row.GetProperty("monthly_cost").GetDouble());
        Assert.Contains("<th>$/month autoscaled by hour</th>", File.ReadAllText(Path.Combine(dir.Path, "report.html")));
        // One way to say how many hours a month carry traffic.
        var (code2, _, e2) = await Run([.. args, "--daily-profile", day, "--hours-per-month", "300"]);
        Assert.Equal(2, code2);
        Assert.Contains("not both", e2);
    }

    [Theory]
    [InlineData("arrival_s,input_tokens,output_tokens\n0,10,1\n1,ten,1\n", ":3: input_tokens")]
    [InlineData("TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:46.6805900,374,44\r\n2023-13-16 18:15:50.9951690,396", ":3")]
    public async Task AMalformedTraceIsOneLineWithExit2(string text, string where)
    {
        using var dir = new TempDir();
        var p = dir.Write("bad.csv", text);
        var (code, _, e) = await Run("predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--workload", p);
        Assert.Equal(2, code);
        Assert.Contains(p + where, e);
        Assert.Single(e.Trim().Split('\n'));
    }
}

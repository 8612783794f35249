using Micro.Core.Results;
using Micro.EndToEnd.Traffic;

namespace Micro.EndToEnd.Tests;

/// <summary>The trace formats --workload reads, told from their content; a malformed row is one line naming file, line and field.</summary>
public sealed class TraceReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("micro-trace-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void AzureCsvWithSevenFractionalDigitsCrlfAndNoFinalNewline()
    {
        var p = Write("azure.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:46.6805900,374,44\r\n2023-11-16 18:15:50.9951690,396,109\r\n2023-11-16 18:16:46.6805901,10,1");
        var t = TraceReader.TryRead(p)!;
        Assert.Equal(TraceFormat.AzureCsv, t.Format);
        Assert.Equal(3, t.Requests.Count);
        Assert.Equal(0, t.Requests[0].ArrivalSeconds);
        Assert.Equal(4.314579, t.Requests[1].ArrivalSeconds, 7);
        Assert.Equal(60.0000001, t.Requests[2].ArrivalSeconds, 7);
        Assert.Equal((396, 109), (t.Requests[1].InputTokens, t.Requests[1].OutputTokens));
    }

    [Fact]
    public void MooncakeLinesKeepTheirHashesAndSortByTime()
    {
        var p = Write("m.jsonl", "{\"timestamp\": 3000, \"input_length\": 1024, \"output_length\": 6, \"hash_ids\": [0, 1]}\n{\"timestamp\": 1000, \"input_length\": 600, \"output_length\": 4, \"hash_ids\": [0, 2]}\n");
        var t = TraceReader.TryRead(p)!;
        Assert.Equal(TraceFormat.MooncakeJsonl, t.Format);
        Assert.Equal([0, 2], t.Requests[0].HashIds!);
        Assert.Equal(2.0, t.Requests[1].ArrivalSeconds);
        Assert.True(t.HasHashes);
    }

    [Fact]
    public void PlainCsvAndVllmResult()
    {
        var t = TraceReader.TryRead(Write("p.csv", "arrival_s,input_tokens,output_tokens\n0.5,100,10\n1.5,200,20\n"))!;
        Assert.Equal(TraceFormat.PlainCsv, t.Format);
        Assert.Equal(1.0, t.Requests[1].ArrivalSeconds);
        Assert.Null(TraceReader.TryRead(Write("r.json", "{\"input_lens\": [1, 2], \"output_lens\": [3, 4]}")));
    }

    [Theory]
    [InlineData("a.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:15:46.68,374,44\r\nyesterday,1,1", ":3", "TIMESTAMP")]
    [InlineData("b.csv", "arrival_s,input_tokens,output_tokens\n0,1,1\n1,-5,1\n", ":3", "input_tokens")]
    [InlineData("c.csv", "arrival_s,input_tokens,output_tokens\n0,1\n", ":2", null)]
    [InlineData("d.jsonl", "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 1}\n{\"timestamp\": 1, \"input_length\": 5}\n", ":2", "output_length")]
    [InlineData("e.jsonl", "{\"timestamp\": 0, \"input_length\": 5, \"output_length\": 1}\n{\"timestamp\": 1, \"input_length\": 5, \"output_length\": 1, \"hash_ids\": [\"x\"]}\n", ":2", "hash_ids")]
    public void AMalformedRowNamesFileLineAndField(string name, string text, string line, string? field)
    {
        var p = Write(name, text);
        var e = Assert.Throws<InputException>(() => TraceReader.TryRead(p));
        Assert.Equal(p + line, e.File);
        Assert.Equal(field, e.Field);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ReplayCutsScalesAndRescalesTheRate()
    {
        var t = TrafficFixtures.Even(2, 101, 10, 10);
        Assert.Equal(50, t.Span, 9);
        Assert.Equal(2, t.MeanRate, 9);
        var half = new TraceReplay(TimeScale: 0.5).Apply(t);
        Assert.Equal(25, half.Span, 9);
        var rated = new TraceReplay(RequestRate: 8).Apply(t);
        Assert.Equal(8, rated.MeanRate, 9);
        var cut = new TraceReplay(WindowStart: 10, WindowEnd: 20).Apply(t);
        Assert.Equal(20, cut.Requests.Count);
        Assert.Equal(0, cut.Requests[0].ArrivalSeconds);
        Assert.Throws<InputException>(() => new TraceReplay(WindowStart: 100, WindowEnd: 200).Apply(t));
        Assert.Throws<InputException>(() => TraceReplay.ParseWindow("5,1"));
    }

    [Fact]
    public void TheSharedAzureHourReads()
    {
        var path = Micro.Tests.Shared.TestPaths.SharedFile("traces/azure_llm_2023_conv/AzureLLMInferenceTrace_conv.csv");
        var t = TraceReader.TryRead(path)!;
        Assert.Equal(19366, t.Requests.Count);
        Assert.InRange(t.Span, 3400, 3600);
    }
}

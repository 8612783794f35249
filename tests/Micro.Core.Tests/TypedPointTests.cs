using System.Text.Json;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.Core.Statistics;

namespace Micro.Core.Tests;

/// <summary>micro.result/3: typed points written and read back, /2 lines upgraded into them, their enum names pinned.</summary>
public class TypedPointTests
{
    private static MeasurementRecord Record(string suite, string @case, string dtype = "", Dictionary<string, string>? parameters = null) => new()
    {
        Suite = suite, Case = @case, Backend = "native", Device = "gpu0", DType = dtype,
        Parameters = parameters ?? [], Time = Stats.Summarize([1e-3, 1.1e-3, 1.2e-3]), Verification = Verification.Ok(1, 0, "test"),
    };

    /// <summary>One line per /2 record as `micro run` wrote it before /3 (point parameters as text).</summary>
    private static string V2File(params MeasurementRecord[] records)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-v2-").FullName, ResultsWriter.FileName);
        File.WriteAllLines(path, records.Select(r => JsonSerializer.Serialize(r with { Schema = LegacySchema.ResultV2 }, MicroJson.Line)));
        return path;
    }

    [Fact]
    public void VersionTwoPointParametersBecomeTheTypedPointAndLeaveTheText()
    {
        var path = V2File(
            Record("gemm", "fp8_llama3-8b.qkv_64x6144x4096", "fp8", new() { ["shape"] = "llama3-8b.qkv", ["m"] = "64", ["n"] = "6144", ["k"] = "4096", ["compute"] = "Compute32F", ["model"] = "llama-3.1-8b", ["layer"] = "qkv_proj", ["tp"] = "1", ["tokens"] = "64" }),
            Record("attention", "decode-paged", "bf16", new() { ["kind"] = "decode-paged", ["model"] = "llama-3.1-8b", ["batch"] = "16", ["context"] = "4096", ["heads_q"] = "32", ["heads_kv"] = "8", ["head_dim"] = "128", ["layout"] = "paged", ["block_size"] = "16", ["qo_bytes"] = "2", ["kv_bytes"] = "268435456", ["seed"] = "7" }),
            Record("attention", "mla", "bf16", new() { ["kind"] = "mla", ["model"] = "deepseek-v3", ["batch"] = "64", ["context"] = "4096", ["heads_q"] = "128", ["kv_lora_rank"] = "512", ["rope_dim"] = "64", ["layout"] = "paged", ["block_size"] = "16", ["qo_bytes"] = "4" }),
            Record("attention", "prefill", "bf16", new() { ["kind"] = "prefill", ["model"] = "llama-3.1-8b", ["batch"] = "4", ["seq_len"] = "4096", ["heads_q"] = "32", ["heads_kv"] = "8", ["head_dim"] = "128", ["causal"] = "true", ["qo_bytes"] = "2" }),
            Record("collectives", "all_reduce", "float", new() { ["size"] = "1048576", ["count"] = "262144", ["nranks"] = "8", ["in_place"] = "0", ["redop"] = "sum", ["root"] = "-1", ["busbw_gbps"] = "123.4" }),
            Record("launch", "empty_graph_replay", "", new() { ["kernel"] = "micro_empty", ["launches_per_sample"] = "1000", ["grid"] = "1" }),
            Record("launch", "small_copy_h2d_4", "u32", new() { ["direction"] = "h2d", ["memory"] = "pinned", ["size_bytes"] = "4", ["copies_per_sample"] = "100" }),
            Record("link", "d2h_pinned_sm_268435456", "u32", new() { ["direction"] = "d2h", ["memory"] = "pinned", ["engine"] = "sm-kernel", ["size_bytes"] = "268435456" }),
            Record("memory", "triad", "float", new() { ["kernel"] = "Triad", ["elements"] = "1024", ["array_bytes"] = "4096", ["working_set_bytes"] = "12288", ["past_llc"] = "false", ["llc_bytes"] = "52428800", ["formula"] = "a = b + s*c" }));

        var r = ResultsReader.Read(path);

        Assert.All(r, x => Assert.Equal("micro.result/3", x.Schema));
        Assert.All(r, x => Assert.Equal(1, x.PointCount));
        Assert.Equal(new GemmParameters { Shape = "llama3-8b.qkv", M = 64, N = 6144, K = 4096, Dtype = GemmDtype.Fp8, Model = "llama-3.1-8b", Layer = "qkv_proj", Tp = 1, Tokens = 64 }, r[0].Gemm);
        Assert.Equal(new Dictionary<string, string> { ["compute"] = "Compute32F" }, r[0].Parameters);
        Assert.Equal(new AttentionParameters { Kind = AttentionKind.DecodePaged, Model = "llama-3.1-8b", Batch = 16, Context = 4096, HeadsQ = 32, HeadsKv = 8, HeadDim = 128, BlockSize = 16, QoBytes = 2, KvBytes = 268435456 }, r[1].Attention);
        Assert.Equal(new Dictionary<string, string> { ["seed"] = "7" }, r[1].Parameters);
        Assert.Equal(new AttentionParameters { Kind = AttentionKind.Mla, Model = "deepseek-v3", Batch = 64, Context = 4096, HeadsQ = 128, KvLoraRank = 512, RopeDim = 64, BlockSize = 16, QoBytes = 4 }, r[2].Attention);
        Assert.Equal(new AttentionParameters { Kind = AttentionKind.Prefill, Model = "llama-3.1-8b", Batch = 4, SeqLen = 4096, HeadsQ = 32, HeadsKv = 8, HeadDim = 128, QoBytes = 2 }, r[3].Attention);
        Assert.Equal((true, 4096), (r[3].Attention!.Causal, r[3].Attention!.Length));
        Assert.Empty(r[3].Parameters);
        Assert.Equal(new CollectiveParameters { Op = "all_reduce", SizeBytes = 1048576, Count = 262144, Nranks = 8, InPlace = false, Redop = "sum", Root = null }, r[4].Collective);
        Assert.Equal(new Dictionary<string, string> { ["busbw_gbps"] = "123.4" }, r[4].Parameters);
        Assert.Equal(new LaunchParameters { Kind = LaunchKind.GraphReplay, Kernel = "micro_empty", LaunchesPerSample = 1000 }, r[5].Launch);
        Assert.Equal(new CopyParameters { Direction = CopyDirection.HostToDevice, Memory = "pinned", Engine = "copy-engine", SizeBytes = 4 }, r[6].Copy);
        Assert.Equal(new CopyParameters { Direction = CopyDirection.DeviceToHost, Memory = "pinned", Engine = "sm-kernel", SizeBytes = 268435456 }, r[7].Copy);
        Assert.Equal(new StreamParameters { Kernel = "Triad", Elements = 1024, ArrayBytes = 4096, WorkingSetBytes = 12288, PastLlc = false, LlcBytes = 52428800 }, r[8].Stream);
        Assert.Equal(new Dictionary<string, string> { ["formula"] = "a = b + s*c" }, r[8].Parameters);
    }

    [Fact]
    public void AVersionTwoLineWhosePointDoesNotParseKeepsItsTextAndHasNoPoint()
    {
        var text = new Dictionary<string, string> { ["shape"] = "square", ["m"] = "1024", ["n"] = "x", ["k"] = "1024" };
        var r = Assert.Single(ResultsReader.Read(V2File(Record("gemm", "bf16_square", "bf16", text))));
        Assert.Null(r.Point);
        Assert.Equal(text, r.Parameters);
    }

    [Fact]
    public void VersionThreeRecordsAreWrittenAndReadBackWithTheirPoints()
    {
        IPointParameters[] points =
        [
            new GemmParameters { Shape = "square", M = 8192, N = 8192, K = 8192, Dtype = GemmDtype.Bf16 },
            new AttentionParameters { Kind = AttentionKind.Decode, Model = "llama-3.1-8b", Batch = 16, Context = 4096, HeadsQ = 32, HeadsKv = 8, HeadDim = 128, QoBytes = 2, KvBytes = 1 << 28 },
            new CollectiveParameters { Op = "alltoall", SizeBytes = 1 << 20, Count = 1 << 18, Nranks = 4, InPlace = true, Redop = "none" },
            new LaunchParameters { Kind = LaunchKind.Stream, Kernel = "micro_tick", LaunchesPerSample = 1000 },
            new CopyParameters { Direction = CopyDirection.Bidirectional, Memory = "pageable", Engine = "copy-engine", SizeBytes = 1 << 28 },
            new StreamParameters { Kernel = "Copy", Elements = 1 << 26, ArrayBytes = 1 << 28, WorkingSetBytes = 1 << 29, PastLlc = true },
        ];
        var dir = Directory.CreateTempSubdirectory("micro-v3-").FullName;
        using (var w = new ResultsWriter(dir))
            foreach (var p in points) w.Write(Record("any", p.GetType().Name).WithPoint(p) with { Parameters = new Dictionary<string, string> { ["note"] = "kept" } });

        var back = ResultsReader.Read(Path.Combine(dir, ResultsWriter.FileName));

        Assert.Equal(points, back.Select(r => r.Point!));
        Assert.All(back, r => Assert.Equal(new Dictionary<string, string> { ["note"] = "kept" }, r.Parameters));
        var line = File.ReadLines(Path.Combine(dir, ResultsWriter.FileName)).First();
        Assert.Contains("\"schema\":\"micro.result/3\"", line);
        Assert.Contains("\"gemm\":{\"shape\":\"square\",\"m\":8192,\"n\":8192,\"k\":8192,\"dtype\":\"bf16\"}", line);
    }

    [Fact]
    public void EnumNamesInTheFileArePinned()
    {
        static string Name<T>(T value) where T : struct, Enum => PointNames.Of(value);
        Assert.Equal(["decode", "decode-paged", "mla", "prefill", "prefill-noncausal"], Enum.GetValues<AttentionKind>().Select(Name));
        Assert.Equal(["bf16", "fp16", "fp8", "tf32", "fp32"], Enum.GetValues<GemmDtype>().Select(Name));
        Assert.Equal(["stream", "sync-roundtrip", "graph-replay"], Enum.GetValues<LaunchKind>().Select(Name));
        Assert.Equal(["h2d", "d2h", "bidir", "d2d"], Enum.GetValues<CopyDirection>().Select(Name));
        // Read back as written; an unknown name is none.
        Assert.Null(PointNames.Parse<AttentionKind>("prefill-causal"));
        Assert.Equal(LaunchKind.GraphReplay, PointNames.Parse<LaunchKind>("graph-replay"));
        // The suite's case ids and the /2 kind names are the same words.
        Assert.All(Enum.GetValues<AttentionKind>(), k => Assert.Equal(k, PointNames.Parse<AttentionKind>(Name(k))));
    }

    [Fact]
    public void DescribedParametersJoinThePointAndTheTextSortedByKey()
    {
        var r = Record("gemm", "x", "bf16", new() { ["compute"] = "Compute32F" })
            .WithPoint(new GemmParameters { Shape = "square", M = 2, N = 3, K = 4, Dtype = GemmDtype.Bf16 });
        Assert.Equal("compute=Compute32F;dtype=bf16;k=4;m=2;n=3;shape=square", r.DescribeParameters());
    }

    [Theory]
    [InlineData("\"gemm\":{\"shape\":\"s\",\"m\":1,\"n\":1,\"k\":1,\"dtype\":\"bf16\"},\"launch\":{\"kind\":\"stream\",\"kernel\":\"k\",\"launches_per_sample\":1}", "line 1", "more than one typed point")]
    [InlineData("\"attention\":{\"kind\":\"decode\",\"model\":null,\"batch\":1,\"context\":1,\"heads_q\":1,\"qo_bytes\":2}", "line 1: attention.model", "null")]
    [InlineData("\"gemm\":{\"shape\":\"s\",\"m\":0,\"n\":1,\"k\":1,\"dtype\":\"bf16\"}", "line 1: gemm", "must be positive")]
    [InlineData("\"launch\":{\"kind\":2,\"kernel\":\"k\",\"launches_per_sample\":1}", "line 1", "expected")]
    [InlineData("\"attention\":{\"kind\":\"sideways\",\"model\":\"m\",\"batch\":1,\"heads_q\":1,\"qo_bytes\":2}", "line 1", "expected")]
    public void ABadTypedPointIsOneLineNamingTheField(string point, string field, string reason)
    {
        var good = JsonSerializer.Serialize(Record("x", "y"), MicroJson.Line);
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-v3-bad-").FullName, ResultsWriter.FileName);
        File.WriteAllText(path, good[..^1] + "," + point + "}\n");
        var e = Assert.Throws<InputException>(() => ResultsReader.Read(path));
        Assert.StartsWith(field, e.Field);
        Assert.Contains(reason, e.Reason);
    }
}

using System.Text.RegularExpressions;
using Micro.Devices.Nvrtc;
using Micro.Suites.Memory;
using Micro.Suites.Memory.Backends;

namespace Micro.Gpu.Tests;

public class NativeStreamConfigTests
{
    [Fact]
    public void Items_choices_are_exactly_the_variants_stream_cu_instantiates()
    {
        var items = Regex.Matches(KernelSources.Read("stream.cu"), @"^MC_STREAM_VARIANTS\((\d+)\)\s*$", RegexOptions.Multiline)
            .Select(m => int.Parse(m.Groups[1].Value)).Order().ToArray();
        Assert.Equal(NativeStreamConfig.ItemsChoices.Order().ToArray(), items);
    }

    [Fact]
    public void Every_kernel_and_items_has_an_entry_point_name_in_the_variant_macro()
    {
        var source = KernelSources.Read("stream.cu");
        foreach (var k in Enum.GetValues<StreamKernel>())
            Assert.Contains($"MC_KERNEL void {NativeStreamKernels.BaseName(k)}_i##N{(NativeStreamConfig.StoresArrays(k) ? "##SUFFIX" : "")}(", source);
        Assert.Contains("MC_STREAM_STORES(N, _cs, true)", source);
        Assert.Equal("micro_stream_triad_i2", new NativeStreamConfig(512, 2, NativeGridPolicy.Cover).FunctionName(StreamKernel.Triad));
        Assert.Equal("micro_stream_copy_i4", NativeStreamConfig.Default.FunctionName(StreamKernel.Copy)); // the link suite's SM copy kernel
        var streaming = new NativeStreamConfig(256, 4, NativeGridPolicy.Cover, NativeStores.Streaming);
        Assert.Equal("micro_stream_copy_i4_cs", streaming.FunctionName(StreamKernel.Copy));
        Assert.Equal("micro_stream_read_i4", streaming.FunctionName(StreamKernel.Read));
    }

    [Fact]
    public void Candidates_are_every_block_items_policy_once_with_the_default_among_them()
    {
        var c = NativeStreamConfig.Candidates;
        Assert.Equal(3 * 3 * 2 * 2, c.Count);
        Assert.Equal(c.Count, c.Distinct().Count());
        Assert.Contains(NativeStreamConfig.Default, c);
        Assert.All(c, x => Assert.Contains(x.Items, NativeStreamConfig.ItemsChoices));
        Assert.Equal([256u, 512u, 1024u], c.Select(x => x.Block).Distinct().Order().ToArray());
        Assert.Equal(2, c.Select(x => x.Policy).Distinct().Count());
        Assert.Equal(2, c.Select(x => x.Stores).Distinct().Count());
    }

    [Fact]
    public void Kernels_that_store_no_array_get_no_store_hint_candidates()
    {
        foreach (var k in new[] { StreamKernel.Read, StreamKernel.Dot })
        {
            var c = NativeStreamConfig.CandidatesFor(k);
            Assert.Equal(18, c.Count);
            Assert.All(c, x => Assert.Equal(NativeStores.Default, x.Stores));
        }
        Assert.Equal(36, NativeStreamConfig.CandidatesFor(StreamKernel.Copy).Count);
        var fixedStreaming = new NativeStreamConfig(512, 2, NativeGridPolicy.Cover, NativeStores.Streaming);
        Assert.Equal(NativeStores.Default, fixedStreaming.ForKernel(StreamKernel.Read).Stores);
        Assert.Equal(fixedStreaming, fixedStreaming.ForKernel(StreamKernel.Triad));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" tune ")]
    [InlineData("TUNE")]
    public void Tune_or_nothing_means_tune(string? text) => Assert.Null(NativeStreamConfig.Parse(text));

    [Theory]
    [InlineData("block=512,items=2", 512u, 2, NativeGridPolicy.Cover)]
    [InlineData("items=1", 256u, 1, NativeGridPolicy.Cover)]
    [InlineData(" policy = occupancy , block=1024 ", 1024u, 4, NativeGridPolicy.Occupancy)]
    [InlineData("block=128,items=4,policy=Cover", 128u, 4, NativeGridPolicy.Cover)]
    public void Fixed_configs_parse_with_defaults_for_missing_keys(string text, uint block, int items, NativeGridPolicy policy)
    {
        Assert.Equal(new NativeStreamConfig(block, items, policy), NativeStreamConfig.Parse(text));
        Assert.Equal(NativeStores.Streaming, NativeStreamConfig.Parse(text + ",stores=streaming")!.Stores);
    }

    [Fact]
    public void Every_candidate_round_trips_through_its_string()
    {
        foreach (var c in NativeStreamConfig.Candidates) Assert.Equal(c, NativeStreamConfig.Parse(c.ToString()));
    }

    [Theory]
    [InlineData("block=300", "block '300'")]
    [InlineData("block=2048", "block '2048'")]
    [InlineData("block=-256", "block '-256'")]
    [InlineData("items=3", "items '3'")]
    [InlineData("items=8", "items '8'")]
    [InlineData("policy=1", "policy '1'")]
    [InlineData("policy=stride", "policy 'stride'")]
    [InlineData("stores=cs", "stores 'cs'")]
    [InlineData("blocks=256", "unknown key 'blocks'")]
    [InlineData("block", "'block' is not key=value")]
    [InlineData("block=256,block=512", "'block' given twice")]
    public void Bad_configs_name_the_part(string text, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => NativeStreamConfig.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("--native-config:", e.Message);
    }

    [Theory]
    [InlineData(70_000_000L, 256u, 4, 17_090u)] // n4 = 17.5M over tiles of 1024 float4, last one partial
    [InlineData(70_000_000L, 1024u, 1, 17_090u)]
    [InlineData(70_000_000L, 256u, 1, 68_360u)]
    [InlineData(70_000_000L, 512u, 2, 17_090u)]
    [InlineData(4096L, 256u, 4, 1u)]
    [InlineData(4100L, 256u, 4, 2u)]
    [InlineData(4L, 1024u, 4, 1u)]
    public void Cover_launches_one_block_per_tile(long elements, uint block, int items, uint blocks)
    {
        var config = new NativeStreamConfig(block, items, NativeGridPolicy.Cover);
        Assert.Equal(blocks, config.Blocks(elements, sms: 132, residentPerSm: 8));
        var tile = (long)block * items;
        Assert.True(blocks * tile >= elements / 4 && (blocks - 1) * tile < elements / 4);
    }

    [Fact]
    public void Occupancy_launches_sms_times_resident_blocks_whatever_the_length()
    {
        var config = new NativeStreamConfig(256, 4, NativeGridPolicy.Occupancy);
        Assert.Equal(1056u, config.Blocks(70_000_000L, sms: 132, residentPerSm: 8));
        Assert.Equal(1056u, config.Blocks(4096L, sms: 132, residentPerSm: 8));
        Assert.Equal(1u, config.Blocks(4096L, sms: 0, residentPerSm: 0));
    }

    [Fact]
    public void Tuning_picks_the_fastest_that_launched_and_keeps_the_first_on_ties()
    {
        var a = new NativeStreamConfig(256, 4, NativeGridPolicy.Cover);
        var b = new NativeStreamConfig(512, 2, NativeGridPolicy.Cover);
        var c = new NativeStreamConfig(1024, 4, NativeGridPolicy.Occupancy);
        Assert.Equal(b, NativeStreamTuner.Pick([new(a, 2e-4), new(b, 1e-4), new(c, null)]));
        Assert.Equal(a, NativeStreamTuner.Pick([new(a, 1e-4), new(b, 1e-4)]));
        Assert.Equal(b, NativeStreamTuner.Pick([new(c, null), new(a, 0), new(b, 3e-4)]));
        Assert.Null(NativeStreamTuner.Pick([new(c, null)]));
    }

    [Fact]
    public void Tuning_table_states_gbps_per_candidate()
    {
        var a = new NativeStreamConfig(256, 4, NativeGridPolicy.Cover);
        var c = new NativeStreamConfig(1024, 4, NativeGridPolicy.Occupancy);
        Assert.Equal("block=256,items=4,policy=cover,stores=default:3000.0;block=1024,items=4,policy=occupancy,stores=default:n/a",
            NativeStreamTuner.Table([new(a, 1e-4), new(c, null)], bytes: 300_000_000));
    }
}

public class StreamCaseParameterTests
{
    [Fact]
    public void Kernel_parameters_join_the_point_but_never_override_the_suites_own()
    {
        var target = new StreamTarget
        {
            Backend = "native", Timer = "device-events",
            Device = new Micro.Core.Context.DeviceInfo { Name = "GPU", Kind = Micro.Core.Context.DeviceKind.Gpu, Source = "test", LastLevelCacheBytes = 1 << 20 },
            Parameters = new Dictionary<string, string> { ["compiler"] = "nvrtc" },
        };
        var size = new StreamSize(1 << 20, 3L * 4 << 20, PastCache: true);
        var c = MemorySuite.Describe(target, StreamKernel.Triad, StreamDType.Float, size,
            new Dictionary<string, string> { ["native_config"] = "block=512,items=2,policy=cover", ["elements"] = "0" });
        Assert.Equal("block=512,items=2,policy=cover", c.Parameters["native_config"]);
        Assert.Equal("nvrtc", c.Parameters["compiler"]);
        Assert.Equal(1 << 20, Assert.IsType<Micro.Core.Results.Points.StreamParameters>(c.Point).Elements);
        Assert.DoesNotContain("native_config", MemorySuite.Describe(target, StreamKernel.Triad, StreamDType.Float, size).Parameters.Keys);
    }
}

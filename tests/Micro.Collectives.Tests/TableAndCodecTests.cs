using Micro.Suites.Collectives;

namespace Micro.Collectives.Tests;

public sealed class TableAndCodecTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(16)]
    public void Byte_counts_and_bus_factors_follow_nccl_tests(int n)
    {
        const long bytes = 1 << 20;
        var ar = CollectiveTable.Get(CollectiveOp.AllReduce);
        Assert.Equal(2.0 * (n - 1) / n, ar.BusFactor(n));
        Assert.Equal(new CollectiveCounts(bytes / 4, bytes / 4, bytes / 4, 0, 0), ar.ByteCount(bytes, 4, n));
        foreach (var op in new[] { CollectiveOp.AllGather, CollectiveOp.ReduceScatter, CollectiveOp.AllToAll })
        {
            var s = CollectiveTable.Get(op);
            Assert.Equal((double)(n - 1) / n, s.BusFactor(n));
            var c = s.ByteCount(bytes, 2, n);
            // Per-rank count: bytes/es/n rounded down to 16 bytes, as nccl-tests.
            var baseCount = bytes / 2 / n & ~7L;
            Assert.Equal(baseCount, c.Param);
            Assert.Equal(baseCount * 2 * n, c.SizeBytes(2));
            Assert.Equal(baseCount * 2 * n, s.AlgBytes(c.Param, 2, n));
        }
        foreach (var op in new[] { CollectiveOp.Broadcast, CollectiveOp.Reduce, CollectiveOp.SendRecv })
            Assert.Equal(1.0, CollectiveTable.Get(op).BusFactor(n));
        Assert.Equal(CollectiveTable.Get(CollectiveOp.AllGather).ByteCount(bytes, 4, n).Param, CollectiveTable.Get(CollectiveOp.AllGather).ByteCount(bytes, 4, n).SendInPlaceOffset);
        Assert.Equal(CollectiveTable.Get(CollectiveOp.ReduceScatter).ByteCount(bytes, 4, n).Param, CollectiveTable.Get(CollectiveOp.ReduceScatter).ByteCount(bytes, 4, n).RecvInPlaceOffset);
    }

    [Theory]
    [InlineData(CollectiveDType.Float)]
    [InlineData(CollectiveDType.Half)]
    [InlineData(CollectiveDType.BFloat16)]
    [InlineData(CollectiveDType.Int32)]
    public void Small_integers_round_trip_exactly(CollectiveDType t)
    {
        var buf = new byte[4];
        for (var v = -5; v <= 256; v++)
        {
            ElementCodec.Put(buf, 0, t, v);
            Assert.Equal(v, ElementCodec.Get(buf, 0, t));
        }
    }

    [Theory]
    [InlineData(2, CollectiveDType.BFloat16, RedOp.Sum)]
    [InlineData(64, CollectiveDType.BFloat16, RedOp.Sum)]
    [InlineData(512, CollectiveDType.Half, RedOp.Sum)]
    [InlineData(8, CollectiveDType.Half, RedOp.Prod)]
    [InlineData(4, CollectiveDType.Int32, RedOp.Max)]
    public void Seeded_inputs_are_non_zero_and_their_reduction_is_exact_in_the_type(int n, CollectiveDType t, RedOp redop)
    {
        var limit = t switch { CollectiveDType.BFloat16 => 256, CollectiveDType.Half => 2048, _ => 1 << 24 };
        for (var rep = 0; rep < 3; rep++)
        {
            var pattern = new InputPattern(n, t, redop, rep);
            var distinct = new HashSet<double>();
            for (long j = 0; j < 200; j++)
            {
                double acc = redop == RedOp.Prod ? 1 : 0;
                for (var r = 0; r < n; r++)
                {
                    var v = pattern.Value(r, j);
                    Assert.True(v >= 1, "inputs are never zero");
                    distinct.Add(v);
                    acc = redop switch { RedOp.Prod => acc * v, RedOp.Max => Math.Max(acc, v), _ => acc + v };
                }
                Assert.True(acc <= limit, $"reduction {acc} exceeds the exact range {limit} of {t}");
            }
            Assert.True(distinct.Count >= 2, "inputs vary");
        }
        Assert.NotEqual(new InputPattern(n, t, redop, 1).Value(0, 3) + new InputPattern(n, t, redop, 1).Value(0, 4),
                        new InputPattern(n, t, redop, 2).Value(0, 3) + new InputPattern(n, t, redop, 2).Value(0, 5) + 1000);
    }

    [Theory]
    [InlineData(19.28, 7, "  19.28")]
    [InlineData(11940.4, 7, "11940.4")]
    [InlineData(119400.4, 7, " 119400")]
    [InlineData(1448.83, 7, "1448.83")]
    [InlineData(315.69, 6, "315.69")]
    [InlineData(1615.7, 6, "1615.7")]
    [InlineData(0.001, 6, "  0.00")]
    [InlineData(123456789.0, 7, "1.2e+08")]
    public void Floats_print_like_nccl_tests(double v, int width, string expected) => Assert.Equal(expected, NcclTestsFormat.Float(v, width));

    [Theory]
    [InlineData(70.742, "70.742")]
    [InlineData(92.33181, "92.3318")]
    [InlineData(0.0529109, "0.0529109")]
    [InlineData(0, "0")]
    [InlineData(1234567, "1.23457e+06")]
    public void Avg_prints_like_percent_g(double v, string expected) => Assert.Equal(expected, NcclTestsFormat.G(v));

    [Fact]
    public void Row_layout_matches_nccl_tests_columns()
    {
        var line = NcclTestsFormat.Preamble(8, 2, "float", "sum", -1) + NcclTestsFormat.Body(19.28, 0, 0, 0) + NcclTestsFormat.Body(17.24, 0, 0, null);
        Assert.Equal("           8             2     float     sum      -1    19.28    0.00    0.00       0    17.24    0.00    0.00    N/A", line);
    }
}

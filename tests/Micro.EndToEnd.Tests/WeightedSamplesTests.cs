using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

public class WeightedSamplesTests
{
    /// <summary>numpy's default percentile (linear between ranks) of the samples written out one by one.</summary>
    private static double Expanded(List<double> values, double p)
    {
        var s = values.OrderBy(v => v).ToArray();
        var rank = p / 100 * (s.Length - 1);
        var lo = (int)Math.Floor(rank);
        return s[lo] + (s[Math.Min(lo + 1, s.Length - 1)] - s[lo]) * (rank - lo);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(5000, false)]
    [InlineData(20000, false)]
    [InlineData(20000, true)]
    public void PercentilesMatchTheExpandedSamplesAcrossChunks(int pairs, bool ascending)
    {
        var rng = new Random(pairs);
        var w = new WeightedSamples();
        var flat = new List<double>();
        for (var i = 0; i < pairs; i++)
        {
            var v = ascending ? i * 0.5 : Math.Round(rng.NextDouble() * 100, 2);
            var c = rng.Next(1, 4);
            w.Add(v, c);
            for (var k = 0; k < c; k++) flat.Add(v);
        }
        Assert.Equal(pairs, w.Pairs);
        Assert.Equal(flat.Count, w.Count);
        Assert.Equal(flat.Average(), w.Mean, 9);
        foreach (var p in new[] { 0.0, 1, 50, 90, 99, 99.9, 100 }) Assert.Equal(Expanded(flat, p), w.Percentile(p), 9);
        // Adding after a percentile keeps the order right.
        w.Add(-1);
        flat.Add(-1);
        Assert.Equal(Expanded(flat, 0), w.Percentile(0), 9);
        Assert.Equal(Expanded(flat, 50), w.Percentile(50), 9);
    }

    [Fact]
    public void NoSamplesAndZeroCountsAreNothing()
    {
        var w = new WeightedSamples();
        w.Add(5, 0);
        Assert.Equal(0, w.Count);
        Assert.Equal(0, w.Percentile(50));
        Assert.Equal(0, w.Pairs);
    }

    [Fact]
    public void WithoutPairsTheMeanAndSpreadStayExactAndAPercentileIsRefused()
    {
        var kept = new WeightedSamples();
        var counted = new WeightedSamples { KeepsPairs = false };
        foreach (var (v, c) in new[] { (3.0, 2L), (1.0, 5L), (7.5, 1L) })
        {
            kept.Add(v, c);
            counted.Add(v, c);
        }
        Assert.Equal(kept.Count, counted.Count);
        Assert.Equal(kept.Mean, counted.Mean, 12);
        Assert.Equal(kept.Std, counted.Std, 12);
        Assert.Equal(0, counted.Pairs);
        Assert.Throws<InvalidOperationException>(() => counted.Percentile(50));
    }
}

using Micro.Core.Statistics;

namespace Micro.Core.Tests;

public class StatsTests
{
    [Fact]
    public void PercentileInterpolatesLinearlyLikeNumpy()
    {
        double[] s = [1, 2, 3, 4];
        // numpy.percentile([1,2,3,4], 99) = 3.97; 50 -> 2.5; 25 -> 1.75
        Assert.Equal(3.97, Stats.Percentile(s, 99), 10);
        Assert.Equal(2.5, Stats.Percentile(s, 50), 10);
        Assert.Equal(1.75, Stats.Percentile(s, 25), 10);
        Assert.Equal(1, Stats.Percentile(s, 0));
        Assert.Equal(4, Stats.Percentile(s, 100));
    }

    [Fact]
    public void SummaryHasMedianSpreadAndCv()
    {
        var sum = Stats.Summarize([4.0, 1.0, 3.0, 2.0, 10.0]);
        Assert.Equal(5, sum.Count);
        Assert.Equal(3, sum.Median);
        Assert.Equal(1, sum.Min);
        Assert.Equal(10, sum.Max);
        Assert.Equal(4, sum.Mean);
        // sample sd of {1,2,3,4,10}: sqrt((9+4+1+0+36)/4) = sqrt(12.5)
        Assert.Equal(Math.Sqrt(12.5), sum.StdDev, 12);
        Assert.Equal(Math.Sqrt(12.5) / 4, sum.Cv, 12);
        Assert.Equal(Stats.Percentile([1.0, 2, 3, 4, 10], 99), sum.P99, 12);
    }

    [Fact]
    public void SummaryRejectsEmptyAndNonFinite()
    {
        Assert.Throws<ArgumentException>(() => Stats.Summarize([]));
        Assert.Throws<ArgumentException>(() => Stats.Summarize([1.0, double.NaN]));
    }

    [Fact]
    public void MadIsMedianOfAbsoluteDeviations()
    {
        // median 3; |dev| = {2,1,0,1,7} -> median 1
        Assert.Equal(1, Stats.Mad([1.0, 2, 3, 4, 10]));
    }
}

namespace Micro.Core.Tests;

public class UnitsTests
{
    [Theory]
    [InlineData("1048576", 1048576L)]
    [InlineData("64M", 64L << 20)]
    [InlineData("8G", 8L << 30)]
    [InlineData("512K", 512L << 10)]
    [InlineData("1.5GB", 1_500_000_000L)]
    [InlineData("2MiB", 2L << 20)]
    public void ParsesBinaryAndDecimalSuffixes(string text, long expected)
    {
        Assert.True(Units.TryParseBytes(text, out var b));
        Assert.Equal(expected, b);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-5M")]
    [InlineData("NaN")]
    public void RejectsNonsense(string text) => Assert.False(Units.TryParseBytes(text, out _));

    [Fact]
    public void GBpsIsDecimal() => Assert.Equal(2.0, Units.GBps(2e9, 1.0));
}

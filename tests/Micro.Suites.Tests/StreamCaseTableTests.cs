using Micro.Suites.Memory;

namespace Micro.Suites.Tests;

public class StreamCaseTableTests
{
    [Fact]
    public void ByteWeightsAreBabelStreams()
    {
        var w = StreamCases.All.ToDictionary(c => c.Kernel, c => c.BytesWeight);
        Assert.Equal(2, w[StreamKernel.Copy]);
        Assert.Equal(2, w[StreamKernel.Mul]);
        Assert.Equal(3, w[StreamKernel.Add]);
        Assert.Equal(3, w[StreamKernel.Triad]);
        Assert.Equal(2, w[StreamKernel.Dot]);
        Assert.Equal(4, w[StreamKernel.Nstream]);
        Assert.Equal(1, w[StreamKernel.Read]);
        Assert.Equal(1, w[StreamKernel.Write]);
        Assert.Equal(8, StreamCases.All.Count);
    }

    [Fact]
    public void BytesMovedIsWeightTimesNTimesSizeof()
    {
        Assert.Equal(3L * 1000 * 8, StreamCases.BytesMoved(StreamKernel.Triad, 1000, StreamDType.Double));
        Assert.Equal(4L * 1000 * 4, StreamCases.BytesMoved(StreamKernel.Nstream, 1000, StreamDType.Float));
        // BabelStream's default: 2^25 doubles, Copy moves 536,870,912 bytes.
        Assert.Equal(536_870_912, StreamCases.BytesMoved(StreamKernel.Copy, 1 << 25, StreamDType.Double));
    }

    [Theory]
    [InlineData("Triad", StreamKernel.Triad)]
    [InlineData("read-only", StreamKernel.Read)]
    [InlineData("Write-only", StreamKernel.Write)]
    [InlineData("nstream", StreamKernel.Nstream)]
    public void NamesParse(string name, StreamKernel kernel) => Assert.Equal(kernel, StreamCases.Find(name)!.Kernel);

    [Fact]
    public void ReferenceReplaysTheKernelOnScalars()
    {
        var v = StreamValues.Default;
        var e = StreamReference.After(StreamKernel.Nstream, 3, 10, StreamDType.Double, v);
        Assert.Equal(0.1 + 3 * (0.2 + 0.4 * 0.3), e.A, 12);
        Assert.Equal(0.2, e.B);
        var dot = StreamReference.After(StreamKernel.Dot, 5, 1000, StreamDType.Double, v);
        Assert.Equal(0.1 * 0.2 * 1000, dot.Sum!.Value, 9);
        var f = StreamReference.After(StreamKernel.Triad, 2, 10, StreamDType.Float, v);
        Assert.Equal((float)((float)0.2 + (float)((float)0.4 * (float)0.3)), f.A);
    }
}

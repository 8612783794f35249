using Micro.Core.Text;

namespace Micro.Reports.Tests.Safety;

public sealed class ConsoleTextTests
{
    [Fact]
    public void CleanRemovesC0ExceptTabAndNewlineDelAndC1()
    {
        var hostile = "a\u001b[31mb\u0007c\u0000d\rx\u007fy\u009bz\u0085w\tt\nn";
        Assert.Equal("a[31mbcdxyzw\tt\nn", ConsoleText.Clean(hostile));
        for (var c = 0; c < 0xA0; c++)
        {
            var ch = (char)c;
            var expectedKept = ch is '\t' or '\n' || (c >= 0x20 && c < 0x7f);
            Assert.Equal(expectedKept, ConsoleText.Clean("x" + ch) == "x" + ch);
        }
    }

    [Fact]
    public void OneLineTurnsLineBreaksIntoSpacesAndStripsTheRest()
    {
        Assert.Equal("gpu [31m red  next", ConsoleText.OneLine("gpu \u001b[31m red\r\nnext\u0007"));
        Assert.Equal("a b c", ConsoleText.OneLine("a\u2028b\tc"));
        Assert.Equal("", ConsoleText.OneLine(null));
        Assert.Equal("plain ünïcode", ConsoleText.OneLine("plain ünïcode"));
    }
}

using System.Text;
using System.Text.Json;
using Micro.Core.Results;
using Micro.Core.Text;

namespace Micro.Core.Tests;

/// <summary>
/// Issue 21, class 6: no JSON file Micro writes holds a control or bidi character, raw or escaped, whichever way it is
/// written (serializer or Utf8JsonWriter) and wherever the string sits (value, dictionary key); every other character
/// survives the round trip.
/// </summary>
public class CleanJsonTests
{
    private sealed record Holder(string Value, Dictionary<string, string> Named);

    private static IEnumerable<char> EveryBmpCharacter() =>
        Enumerable.Range(0, char.MaxValue + 1).Select(i => (char)i).Where(c => !char.IsSurrogate(c));

    private static string Expected(string s) => new(s.Where(c => !ConsoleText.IsUnsafe(c)).ToArray());

    private static void AssertClean(string json, string what)
    {
        Assert.False(json.Any(ConsoleText.IsUnsafe), $"{what}: a raw control or bidi character in {json}");
        // An escape of such a character is decoded by any consumer: none may appear either.
        foreach (var c in EveryBmpCharacter().Where(ConsoleText.IsUnsafe))
            Assert.DoesNotContain($"\\u{(int)c:X4}", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheSerializerDropsEveryUnsafeCharacterAndKeepsTheRest()
    {
        // Every BMP character, in chunks, as a value and as a dictionary key.
        foreach (var chunk in EveryBmpCharacter().Chunk(512))
        {
            var s = "x" + new string(chunk) + "y";
            foreach (var options in new[] { MicroJson.Line, MicroJson.Pretty })
            {
                var json = JsonSerializer.Serialize(new Holder(s, new() { [s] = s }), options);
                AssertClean(json, $"U+{(int)chunk[0]:X4}..");
                var back = JsonSerializer.Deserialize<Holder>(json, options)!;
                Assert.Equal(Expected(s), back.Value);
                Assert.Equal(Expected(s), back.Named.Single().Key);
            }
        }
    }

    [Fact]
    public void TextOutsideTheBmpAndPlainTextAreWrittenAsTheyAre()
    {
        var s = "model \U0001F600 é ü 中 \"quoted\" back\\slash";
        var json = JsonSerializer.Serialize(s, MicroJson.Line);
        Assert.Equal(s, JsonSerializer.Deserialize<string>(json, MicroJson.Line));
        Assert.Contains("中", json);
    }
}

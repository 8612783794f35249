using System.Text.Encodings.Web;

namespace Micro.Core.Text;

/// <summary>
/// The encoder of every JSON file Micro writes: JSON's own escaping (UnsafeRelaxedJsonEscaping: quotes, backslash,
/// control characters; other text as UTF-8), except that the characters <see cref="ConsoleText.IsUnsafe"/> names (C0
/// and C1 controls, DEL, the bidi controls) are dropped, as the console drops them. An escape such as "\u202e" is not
/// enough: a consumer that decodes the JSON and shows the string acts on it. Working at the encoder covers every string
/// a serializer or a Utf8JsonWriter writes, property names and dictionary keys included.
/// </summary>
public sealed class CleanJsonEncoder : JavaScriptEncoder
{
    public static readonly CleanJsonEncoder Instance = new();

    private static readonly JavaScriptEncoder Inner = UnsafeRelaxedJsonEscaping;

    private CleanJsonEncoder() { }

    public override int MaxOutputCharactersPerInputCharacter => Inner.MaxOutputCharactersPerInputCharacter;

    public override bool WillEncode(int unicodeScalar) => Dropped(unicodeScalar) || Inner.WillEncode(unicodeScalar);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var inner = Inner.FindFirstCharacterToEncode(text, textLength);
        var end = inner < 0 ? textLength : inner;
        for (var i = 0; i < end; i++)
            if (Dropped(text[i])) return i;
        return inner;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (!Dropped(unicodeScalar)) return Inner.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);
        numberOfCharactersWritten = 0;
        return true;
    }

    private static bool Dropped(int scalar) => scalar <= char.MaxValue && ConsoleText.IsUnsafe((char)scalar);
}

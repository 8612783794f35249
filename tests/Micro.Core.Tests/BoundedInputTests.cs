using System.Text;
using Micro.Core.Ceilings;
using Micro.Core.Input;
using Micro.Core.Models;
using Micro.Core.Results;

namespace Micro.Core.Tests;

/// <summary>Issue 11 classes 1, 2, 5 and 14 in process: the bounded reader, the JSON string cap, config ranges, plain messages.</summary>
public class BoundedInputTests
{
    private static string Temp(string name, string text) => Temp(name, Encoding.UTF8.GetBytes(text));

    private static string Temp(string name, byte[] bytes)
    {
        var p = Path.Combine(Directory.CreateTempSubdirectory("micro-bounded-").FullName, name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    [Fact]
    public void ADeviceThatNeverEndsIsReadOnlyToTheLimit()
    {
        var e = Assert.Throws<InputException>(() => BoundedFile.ReadAllBytes("/dev/zero", 1 << 20));
        Assert.Equal("/dev/zero", e.File);
        Assert.Contains("not a regular file", e.Reason);
        Assert.Contains("1,048,576 bytes (1 MiB) input limit", e.Reason);
        // Lines too: /dev/zero has no newline, so the line bound or the byte bound stops it.
        Assert.Throws<InputException>(() => BoundedFile.ReadLines("/dev/zero", 1 << 20).Count());
    }

    [Fact]
    public void ARegularFileIsCheckedBySizeBeforeAnythingIsRead()
    {
        var p = Temp("big.json", new byte[4097]);
        var e = Assert.Throws<InputException>(() => BoundedFile.ReadAllBytes(p, 4096));
        Assert.Equal($"file is 4,097 bytes (4 KiB), more than the 4,096 bytes (4 KiB) input limit", e.Reason);
        Assert.Equal(4096, BoundedFile.ReadAllBytes(Temp("ok.bin", new byte[4096]), 4096).Length);
        Assert.Equal("x\ny", string.Join("\n", BoundedFile.ReadLines(Temp("crlf.txt", "x\r\ny"), 100)));
    }

    [Theory]
    [InlineData("missing", "file not found")]
    [InlineData("dir", "is a directory, not a file")]
    public void MissingFilesAndDirectoriesSayWhatTheyAre(string kind, string reason)
    {
        var dir = Directory.CreateTempSubdirectory("micro-bounded-").FullName;
        var path = kind == "dir" ? dir : Path.Combine(dir, "nope.json");
        var e = Assert.Throws<InputException>(() => BoundedFile.ReadAllBytes(path, 1 << 20));
        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void AHugeJsonStringIsRefusedBeforeItIsMaterialized()
    {
        var big = "{\"schema\": \"micro.ceilings/1\", \"host\": \"" + new string('a', InputLimits.MaxStringBytes + 1) + "\"}";
        var p = Temp("ceilings.json", big);
        var e = Assert.Throws<InputException>(() => CeilingsFile.Read(p));
        Assert.Equal("host", e.Field);
        Assert.Contains("is longer than the 16,777,216 bytes (16 MiB) limit", e.Reason);
    }

    [Theory]
    // Class 14: what the bytes are, in plain words; no .NET type name ever reaches the user.
    [InlineData("empty", "", null, "the file is empty (expected a ceilings profile)")]
    [InlineData("random", "\u0001\u00ff\u0000garbage", null, "not JSON: binary data")]
    [InlineData("text", "hello", null, "not JSON: it starts with 'h' (expected a ceilings profile)")]
    [InlineData("truncated", "{\"schema\": \"micro.ceilings/1\", \"devices\": [", null, "truncated JSON")]
    [InlineData("kind", "{\"schema\": \"micro.ceilings/1\", \"devices\": 5}", "devices", "expected an array, found a number")]
    [InlineData("number", "{\"schema\": \"micro.ceilings/1\", \"devices\": [{\"device\": \"d\", \"ceilings\": [{\"name\": \"x\", \"value\": \"fast\", \"unit\": \"GB/s\"}]}]}",
        "devices[0].ceilings[0].value", "expected a number, found a string")]
    public void JsonErrorsSayFieldAndExpectedKindInPlainWords(string name, string text, string? field, string reason)
    {
        var p = Temp(name + ".json", name == "random" ? [1, 0xff, 0, (byte)'g'] : Encoding.UTF8.GetBytes(text));
        var e = Assert.Throws<InputException>(() => CeilingsFile.Read(p));
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason);
        Assert.DoesNotContain("System.", e.Message);
        Assert.DoesNotContain("`1", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("System.Nullable`1[System.Double]", "a number")]
    [InlineData("System.Collections.Generic.IReadOnlyList`1[Micro.Core.Ceilings.Ceiling]", "an array")]
    [InlineData("System.Collections.Generic.IReadOnlyDictionary`2[System.String,System.String]", "an object of named values")]
    [InlineData("System.Int32", "a whole number")]
    [InlineData("Micro.Core.Ceilings.DeviceCeilings", "an object")]
    public void DotNetTypesAreNamedAsJsonKinds(string type, string kind) => Assert.Equal(kind, JsonInput.KindOf(type));

    private const string Llama = """
        {"num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8,
         "intermediate_size": 14336, "vocab_size": 128256, "torch_dtype": "bfloat16"}
        """;

    [Theory]
    // Class 5: every field against its physical range, and the fields that must agree, before anything divides or allocates.
    [InlineData("\"num_attention_heads\": 32", "\"num_attention_heads\": 0", "num_attention_heads", "0 is outside the physical range 1..4,096")]
    [InlineData("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 0", "num_key_value_heads", "0 is outside the physical range 1..4,096")]
    [InlineData("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 2147483647", "num_hidden_layers", "2147483647 is outside the physical range 1..1,024")]
    [InlineData("\"hidden_size\": 4096", "\"hidden_size\": 0", "hidden_size", "0 is outside the physical range 1..1,048,576")]
    [InlineData("\"hidden_size\": 4096", "\"hidden_size\": -1", "hidden_size", "must not be negative (-1)")]
    [InlineData("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 64", "num_key_value_heads", "64 is more than num_attention_heads (32)")]
    [InlineData("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5", "num_key_value_heads", "5 does not divide num_attention_heads (32)")]
    [InlineData("\"hidden_size\": 4096", "\"hidden_size\": 4001", "hidden_size", "4001 is not a multiple of num_attention_heads (32) and there is no head_dim")]
    [InlineData("\"vocab_size\": 128256", "\"vocab_size\": 99999999999", "vocab_size", "expected an integer")]
    [InlineData("\"intermediate_size\": 14336", "\"intermediate_size\": 2000000000", "intermediate_size", "outside the physical range 0..4,194,304")]
    [InlineData("\"torch_dtype\": \"bfloat16\"", "\"torch_dtype\": \"bfloat16\", \"num_local_experts\": 8, \"num_experts_per_tok\": 9", "num_experts_per_tok", "9 is more than the 8 experts")]
    [InlineData("\"torch_dtype\": \"bfloat16\"", "\"torch_dtype\": \"bfloat16\", \"num_local_experts\": 8, \"num_experts_per_tok\": 0", "num_experts_per_tok", "0 experts per token with 8 experts")]
    [InlineData("\"torch_dtype\": \"bfloat16\"", "\"torch_dtype\": \"bfloat16\", \"head_dim\": 100000", "head_dim", "outside the physical range 1..4,096")]
    public void ModelConfigFieldsAreHeldToTheirPhysicalRange(string from, string to, string field, string reason)
    {
        Assert.Contains(from, Llama);
        var p = Temp("config.json", Llama.Replace(from, to));
        var e = Assert.Throws<InputException>(() => ModelConfigReader.Read(p));
        Assert.Equal(p, e.File);
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void AValidConfigStillReads()
    {
        var m = ModelConfigReader.Read(Temp("config.json", Llama));
        Assert.Equal(128, m.HeadDim);
        Assert.Equal(4, m.GqaGroup);
        Assert.EndsWith("config.json", m.Source);
    }

    [Fact]
    public void WithoutTheSettingEveryLimitIsAsDocumented()
    {
        // Read in process only through Effective; an unset variable leaves every limit as documented.
        Assert.Equal(InputLimits.MaxFileBytes, InputLimits.Effective(InputLimits.MaxFileBytes));
        Assert.Equal("268,435,456 bytes (256 MiB)", InputLimits.Describe(InputLimits.MaxFileBytes));
    }
}

using System.Text.Json;
using Micro.Core.Input;
using Micro.Core.Results;

namespace Micro.EndToEnd.Analysis;

/// <summary>analysis.json uses Micro's JSON convention: a cost at zero throughput and a closed loop's request rate are written as null; an older file's "Infinity" strings are still read.</summary>
public static class AnalysisJson
{
    public static readonly JsonSerializerOptions Options = MicroJson.Pretty;

    public static void Write(string path, AnalysisResult r) => File.WriteAllText(path, JsonSerializer.Serialize(r, Options));

    public static AnalysisResult Read(string path)
    {
        var r = JsonInput.Deserialize<AnalysisResult>(path, InputLimits.MaxFileBytes, Options, "an analysis.json", JsonShape.NonFinite.Infinity);
        if (r.Schema != AnalysisResult.CurrentSchema) throw new InputException(path, "schema", $"unsupported schema '{r.Schema}', expected '{AnalysisResult.CurrentSchema}'");
        return r;
    }
}

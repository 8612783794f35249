using System.Text.Json;
using Micro.Core.Results;

namespace Micro.EndToEnd.Analysis;

/// <summary>analysis.json uses Micro's JSON convention; infinities (a cost with zero throughput) are written as strings.</summary>
public static class AnalysisJson
{
    public static readonly JsonSerializerOptions Options = MicroJson.Pretty;

    public static void Write(string path, AnalysisResult r) => File.WriteAllText(path, JsonSerializer.Serialize(r, Options));

    public static AnalysisResult Read(string path)
    {
        InputLimits.CheckFileSize(path, 256L << 20);
        AnalysisResult? r;
        try { r = LegacySchema.Deserialize<AnalysisResult>(File.ReadAllText(path), Options); }
        catch (JsonException e) { throw new InputException(path, e.Path, "not an analysis.json (" + e.Message.Split('\n')[0] + ")", e); }
        if (r is null) throw new InputException(path, null, "empty analysis");
        if (r.Schema != AnalysisResult.CurrentSchema) throw new InputException(path, "schema", $"unsupported schema '{r.Schema}', expected '{AnalysisResult.CurrentSchema}'");
        return r;
    }
}

using System.Globalization;
using System.Text.Json;
using Micro.Core.Models;
using Micro.Core.Results;

namespace Micro.EndToEnd.Prediction;

/// <summary>calibration.json, schema micro.calibration/1: one set of physical parameters for one model on one serving stack,
/// with the runs it was fitted on (each with its deployment), the residuals and the spreads the intervals come from.
/// Written from these records through MicroJson (snake_case keys, pinned by a golden test).</summary>
public sealed record CalibrationFile
{
    public const string SchemaName = "micro.calibration/1";

    public required string Schema { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required CalibrationModel Model { get; init; }
    public required string Stack { get; init; }
    public required IReadOnlyList<CalibrationParameter> Parameters { get; init; }
    public required IReadOnlyList<MetricSpread> Spreads { get; init; }
    public required CalibrationCoverage Coverage { get; init; }
    public required IReadOnlyList<CalibrationRun> Runs { get; init; }
    public required IReadOnlyList<CalibrationResidual> Residuals { get; init; }
    public required double RmsPercent { get; init; }
    /// <summary>What the runs' median_ttft_ms was compared with (median or mean); absent in files written before it was
    /// recorded, read as the median.</summary>
    public RunsTtftStatistic? RunsTtftStatistic { get; init; }
}

/// <summary>The calibrated model: its name and id, and the architecture family a calibration may be carried within.</summary>
public sealed record CalibrationModel(string Name, string? ModelId, string Family, int Layers, int HiddenSize);

/// <summary>One parameter: canonical value (fractions of a datasheet profile), prior, range, whether it was fitted and how it carries.</summary>
public sealed record CalibrationParameter(string Name, string Unit, double Value, double Prior, double Min, double Max, bool Fitted, string Status, string Meaning, CarryRule Carry, string PriorSource);

/// <summary>One calibration run and its deployment, each part with its origin ("file" or "flag").</summary>
public sealed record CalibrationRun(string Source, string Deployment, IReadOnlyList<DeploymentPart> Parts, int? Concurrency, double? RequestRate, int Isl, int Osl);

public sealed record CalibrationResidual(string Source, string Deployment, string Metric, double Measured, double Predicted, double ErrorPercent);

public static class CalibrationFiles
{
    /// <summary>dense/moe and gqa/mla with the config's model_type: a calibration carries only within one family.</summary>
    public static string Family(ModelConfig m) => $"{(m.ModelType ?? "unknown").ToLowerInvariant()}/{(m.IsMoe ? "moe" : "dense")}/{(m.IsMla ? "mla" : "gqa")}";

    public static CalibrationFile From(CalibrationResult c, ModelConfig model, IReadOnlyList<(int Isl, int Osl, int? Concurrency, double? Rate)> runShapes, string stack) => new()
    {
        Schema = CalibrationFile.SchemaName,
        Created = DateTimeOffset.UtcNow,
        Model = new(model.Name, model.ModelId, Family(model), model.NumLayers, model.HiddenSize),
        Stack = stack,
        Parameters = c.Table.Select((t, i) => new CalibrationParameter(t.Name, t.Unit, t.Value, t.Prior, t.Min, t.Max, t.Fitted, t.Note, t.Meaning,
            PhysicalParameters.Specs[i].Carry, PhysicalParameters.Specs[i].PriorSource)).ToList(),
        Spreads = PredictionIntervals.Spreads(c),
        Coverage = PredictionIntervals.Coverage(c.Deployments.Select((d, i) => (d, runShapes[i].Isl, runShapes[i].Osl)).ToList()),
        Runs = c.Deployments.Select((d, i) => new CalibrationRun(d.Source, d.Label, d.Parts, runShapes[i].Concurrency, runShapes[i].Rate, runShapes[i].Isl, runShapes[i].Osl)).ToList(),
        Residuals = c.Residuals.Select(r => new CalibrationResidual(r.Source, r.Deployment ?? "", r.Metric, r.Measured, r.Predicted, r.ErrorPercent)).ToList(),
        RmsPercent = c.RmsPercent,
    };

    public static byte[] Write(CalibrationFile f) => JsonSerializer.SerializeToUtf8Bytes(f, MicroJson.Pretty);

    /// <summary>Reads and checks a calibration.json: schema, every parameter named and inside its physical range, spreads finite.</summary>
    public static CalibrationFile Read(string path)
    {
        var bytes = Micro.Core.Input.BoundedFile.ReadAllBytes(path, 64L << 20);
        // The schema first: a file of another schema is named as such, not as a list of missing fields.
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InputException(path, null, "expected a JSON object");
            if (!doc.RootElement.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String)
                throw new InputException(path, "schema", "missing: not a calibration.json");
            if (schema.GetString() != CalibrationFile.SchemaName)
                throw new InputException(path, "schema", $"'{Clip(schema.GetString() ?? "")}' is not {CalibrationFile.SchemaName}");
        }
        catch (JsonException e) { throw new InputException(path, null, "not valid JSON: " + Clip(e.Message.Split('.')[0])); }
        // Nulls, duplicate keys, bad text and non-finite numbers: the one shape check every reader of Micro's files uses.
        var f = Micro.Core.Input.JsonInput.Parse<CalibrationFile>(bytes, path, MicroJson.Pretty, "a calibration.json");
        foreach (var spec in PhysicalParameters.Specs)
        {
            var p = f.Parameters.FirstOrDefault(x => x.Name == spec.Name) ?? throw new InputException(path, "parameters", $"'{spec.Name}' is missing");
            if (p.Value < spec.Min || p.Value > spec.Max)
                throw new InputException(path, $"parameters.{spec.Name}.value", $"{p.Value.ToString(CultureInfo.InvariantCulture)} is outside its physical range {spec.Min.ToString(CultureInfo.InvariantCulture)}..{spec.Max.ToString(CultureInfo.InvariantCulture)}");
        }
        foreach (var s in f.Spreads)
            if (s.RmsLog < 0 || s.RmsLog > 5 || s.N < 1 || s.P < 0)
                throw new InputException(path, "spreads", "each spread needs n >= 1, p >= 0 and an rms_log in 0..5");
        if (f.Coverage.Workloads.Any(w => w.Length != 2))
            throw new InputException(path, "coverage.workloads", "each workload is an [isl, osl] pair");
        if (f.RunsTtftStatistic == Prediction.RunsTtftStatistic.Auto)
            throw new InputException(path, "runs_ttft_statistic", "'auto' is a choice to make, not one made: median or mean");
        return f;
    }

    /// <summary>The canonical parameters of a file, in Specs order.</summary>
    public static PhysicalParameters Parameters(CalibrationFile f) =>
        new() { Values = PhysicalParameters.Specs.Select(s => f.Parameters.First(p => p.Name == s.Name).Value).ToArray() };

    /// <summary>Whether a calibration may be applied to <paramref name="model"/>: the same model, or the same family (says so); else exit 2.</summary>
    public static string CheckModel(CalibrationFile f, ModelConfig model, string path)
    {
        var family = Family(model);
        if (f.Model.Family != family)
            throw new InputException(path, "model.family", $"'{Clip(f.Model.Family)}' is not the family of {model.Name} ('{family}'): a calibration carries only within one architecture family");
        var same = f.Model.ModelId is { } a && model.ModelId is { } b ? ModelIds.SameArchitecture(a, b) : string.Equals(f.Model.Name, model.Name, StringComparison.OrdinalIgnoreCase);
        return same
            ? $"calibration {path} of {f.Model.Name}: every parameter applies as fitted"
            : $"calibration {path} is of {Clip(f.Model.Name)}, another model of the same family ({family}): fractions of bandwidth, GEMM rate and interconnect, collective and launch latencies, host and front-end overheads carry as they are (each is per step, per layer's collective or per kernel, not per parameter); expect a wider error";
    }

    private static string Clip(string s) => s.Length > 80 ? s[..80] + "..." : s;
}

using System.Text.Json.Serialization;

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>prediction.json, schema micro.prediction/1 (top-level keys pinned by tests/Micro.EndToEnd.Tests/Golden/prediction_keys.txt):
/// what was predicted on which deployment, from which parameters, the points, and the sections of --calibrate, --check,
/// --search (null when not asked) and --plan (absent when not asked).</summary>
public sealed record PredictionDocument
{
    public required string Schema { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required string Model { get; init; }
    public required string Hardware { get; init; }
    public required string HardwareLabel { get; init; }
    public required string Deployment { get; init; }
    public required int BilledGpus { get; init; }
    public required int Isl { get; init; }
    public required int Osl { get; init; }
    public required string LengthsSource { get; init; }
    public double? GpuHourPrice { get; init; }
    public required string PriceSource { get; init; }
    public required IReadOnlyList<string> Slos { get; init; }
    public required IReadOnlyList<string> Sources { get; init; }
    public required string ModelIdCheck { get; init; }
    public required IReadOnlyList<PredictionParameterJson> Parameters { get; init; }
    public required string ParametersFrom { get; init; }
    public required IReadOnlyList<string> TransferredAcross { get; init; }
    public required IReadOnlyList<PointJson> Points { get; init; }
    public CalibrationSectionJson? Calibration { get; init; }
    public CheckSectionJson? Check { get; init; }
    public SearchSectionJson? Search { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PlanJson? Plan { get; init; }

    public static PredictionDocument From(PredictionResult r) => new()
    {
        Schema = PredictionJson.Schema,
        Created = DateTimeOffset.UtcNow,
        Model = r.Model.Setup.Model.Name,
        Hardware = r.Model.Setup.Device.Hardware.Name,
        HardwareLabel = r.Model.Setup.Device.Hardware.Label,
        Deployment = r.Model.Setup.Deployment.Describe(),
        BilledGpus = r.Model.Setup.Deployment.BilledGpus,
        Isl = r.Lengths.Isl,
        Osl = r.Lengths.Osl,
        LengthsSource = r.Lengths.Source,
        GpuHourPrice = r.Request.GpuHourPrice,
        PriceSource = r.Request.PriceSource,
        Slos = r.Request.Slos.Select(s => s.Text).ToList(),
        Sources = r.Sources,
        ModelIdCheck = r.ModelIdCheck,
        Parameters = PhysicalParameters.Specs.Select((spec, i) => new PredictionParameterJson(spec.Name, (r.Model.Parameters.Values[i]), spec.Unit,
            (r.Carried[i].Canonical), r.Carried[i].How, spec.PriorSource)).ToList(),
        ParametersFrom = r.ParametersFrom,
        TransferredAcross = r.TransferredAcross,
        Points = r.Points.Select(PointJson.From).ToList(),
        Calibration = r.Calibration is { } c ? CalibrationSectionJson.From(c, r.PriorNote) : null,
        Check = r.Check is { } check ? CheckSectionJson.From(check) : null,
        Search = r.Search is { } search ? SearchSectionJson.From(search) : null,
        Plan = r.Plan is { } plan ? PlanJson.From(plan) : null,
    };
}

/// <summary>One step-model parameter as used for this prediction: its value on the target, unit, canonical value (a
/// fraction of a datasheet profile), how it was carried there, and where its prior came from.</summary>
public sealed record PredictionParameterJson(string Name, double? Value, string Unit, double? Canonical, string Carried, string PriorSource);

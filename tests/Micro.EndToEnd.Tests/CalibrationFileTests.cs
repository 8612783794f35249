using System.Text.Json;
using Micro.Core.Models;
using Micro.Core.Results;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>calibration.json (micro.calibration/1): written from records with pinned keys, read back, and checked as untrusted input.</summary>
public class CalibrationFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("micro-cal-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static CalibrationFile Fitted()
    {
        var setup = PredictionFixtures.Setup();
        var truth = new ServingModel(setup, PredictionFixtures.Params(launchUs: 1.0));
        var runs = new[] { (1, 256), (32, 1024) }.Select(x =>
            PredictionCalibrationTests.Synthetic(truth, new LoadShape(x.Item1, null, 2 * x.Item1), new LengthSampler(x.Item2, 64), $"c{x.Item1}.json")).ToList();
        var fit = Calibrator.Fit(PredictionFixtures.Deployments(setup), runs, PhysicalParameters.Prior(false));
        return CalibrationFiles.From(fit, setup.Model, runs.Select(r => ((int)r.MeanInputTokens, (int)r.MeanOutputTokens, r.MaxConcurrency, r.RequestRate)).ToList(), "test");
    }

    private string Put(string text)
    {
        var p = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void KeysArePinnedAndTheFileReadsBack()
    {
        var f = Fitted();
        var path = Put(System.Text.Encoding.UTF8.GetString(CalibrationFiles.Write(f)));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal(["schema", "created", "model", "stack", "parameters", "spreads", "coverage", "runs", "residuals", "rms_percent"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["name", "unit", "value", "prior", "min", "max", "fitted", "status", "meaning", "carry", "prior_source"],
            doc.RootElement.GetProperty("parameters")[0].EnumerateObject().Select(p => p.Name));
        // request_rate is left out when null (a closed loop): the other keys keep their order.
        Assert.Equal(["source", "deployment", "parts", "concurrency", "isl", "osl"],
            doc.RootElement.GetProperty("runs")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("micro.calibration/1", doc.RootElement.GetProperty("schema").GetString());
        var back = CalibrationFiles.Read(path);
        Assert.Equal(CalibrationFiles.Parameters(f).Values, CalibrationFiles.Parameters(back).Values);
        Assert.StartsWith("calibration", CalibrationFiles.CheckModel(back, PredictionFixtures.Llama8B(), path));
    }

    [Theory]
    [InlineData("{\"schema\": \"micro.results/2\"}", "schema")]
    [InlineData("[1, 2]", null)]
    [InlineData("not json", null)]
    public void AFileOfAnotherSchemaIsOneLine(string text, string? field)
    {
        var path = Put(text);
        var e = Assert.Throws<InputException>(() => CalibrationFiles.Read(path));
        Assert.Equal(path, e.File);
        if (field is not null) Assert.Equal(field, e.Field);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void ANullWhereTheFileNeedsAValueIsOneLineNamingIt()
    {
        var text = System.Text.Encoding.UTF8.GetString(CalibrationFiles.Write(Fitted())).Replace("\"stack\": \"test\"", "\"stack\": null", StringComparison.Ordinal);
        var e = Assert.Throws<InputException>(() => CalibrationFiles.Read(Put(text)));
        Assert.Contains("stack", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void AParameterOutsideItsRangeIsRefused()
    {
        var f = Fitted();
        var bad = f with { Parameters = f.Parameters.Select(p => p.Name == "gemm_fraction" ? p with { Value = 7 } : p).ToList() };
        var path = Put(System.Text.Encoding.UTF8.GetString(CalibrationFiles.Write(bad)));
        var e = Assert.Throws<InputException>(() => CalibrationFiles.Read(path));
        Assert.Equal("parameters.gemm_fraction.value", e.Field);
    }

    [Fact]
    public void ACalibrationOfAnotherFamilyIsRefusedAndOfTheSameFamilySaysSo()
    {
        var f = Fitted();
        var e = Assert.Throws<InputException>(() => CalibrationFiles.CheckModel(f, ModelPresets.Resolve("gpt-oss-120b"), "cal.json"));
        Assert.Equal("model.family", e.Field);
        var note = CalibrationFiles.CheckModel(f, ModelPresets.Resolve("llama-3.1-70b"), "cal.json");
        Assert.Contains("same family", note);
    }
}

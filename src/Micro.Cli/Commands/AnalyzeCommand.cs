using System.CommandLine;
using System.Globalization;
using Micro.Cli.Options;
using Micro.Core.Models;
using Micro.Core.Text;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Examples;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Reports.Analysis;

namespace Micro.Cli.Commands;

/// <summary>`micro analyze FILES...`: vLLM results against speed of light and cost per request at a latency SLO.</summary>
public static class AnalyzeCommand
{
    public static Command Build()
    {
        var files = new Argument<string[]>("files") { Description = "vLLM result files (--save-result JSON, --append-result JSONL) or sweep directories", Arity = ArgumentArity.ZeroOrMore };
        var model = new Option<string?>("--model") { Description = $"Hugging Face config.json or preset ({string.Join(", ", ModelPresets.Names)}) of the served model (enables speed of light)" };
        var gpu = new Option<string?>("--gpu") { Description = "GPU datasheet entry (h100-sxm, mi355x ...): labelled 'datasheet, not measured'" };
        var ceilings = new Option<string?>("--ceilings") { Description = "ceilings.json from `micro run` (measured memory bandwidth and bf16 GEMM rate)" };
        var device = new Option<string?>("--device") { Description = "Which device of the ceilings file (substring of its name); default the first" };
        var weightDtype = new Option<string?>("--weight-dtype") { Description = "bf16, fp16, fp8, int8, mxfp4, mxfp4_mxfp8 (MXFP8 activations, Blackwell), nvfp4, int4, or a vLLM --quantization method (modelopt, modelopt_fp4, fbgemm_fp8, compressed-tensors, awq, gptq; read with config.json's quantization_config) (default: from config.json)" };
        var kvDtype = new Option<string>("--kv-dtype") { Description = "KV-cache dtype: bf16, fp16, fp32, or vLLM's --kv-cache-dtype values (auto = the model's dtype, fp8, fp8_e4m3, fp8_e5m2, fp8_inc, fp8_ds_mla)", DefaultValueFactory = _ => "bf16" };
        var count = new Option<string>("--param-count") { Description = "decode-reads (linear layers + lm_head, B embedding rows) or all (every parameter)", DefaultValueFactory = _ => "decode-reads" };
        var slo = new Option<string[]>("--slo") { Description = "Latency objective, repeatable: \"p99:tpot<=20ms\", \"p95:e2el<=800ms\"", AllowMultipleArgumentsPerToken = false };
        var price = new Option<double?>("--gpu-hour-price") { Description = "USD per GPU-hour (default: built-in typical price for --gpu)" };
        var rpm = new Option<double?>("--requests-per-month") { Description = "Monthly requests, for the unit and provisioned monthly cost" };
        var peak = new Option<double>("--peak-factor") { Description = "Peak over average load", DefaultValueFactory = _ => 1 };
        var p1m = new Option<double?>("--price-per-1m-tokens") { Description = "Revenue per 1M tokens (input + output), for the margin" };
        var preq = new Option<double?>("--price-per-request") { Description = "Revenue per request, for the margin" };
        var interpolate = new Option<bool>("--interpolate") { Description = "Also estimate the operating point between measured points (labelled interpolated)" };
        var quality = CommonOptions.Quality();
        var example = new Option<bool>("--example") { Description = "Run the two worked examples with every assumption printed" };
        var output = CommonOptions.Out();
        var cmd = new Command("analyze", "vLLM benchmark results against speed of light and cost per request at a latency SLO");
        var deployment = DeploymentOptions.AddTo(cmd);
        foreach (var o in new Option[] { model, gpu, ceilings, device, weightDtype, kvDtype, count, slo, price, rpm, peak, p1m, preq, interpolate, quality, example, output })
            cmd.Options.Add(o);
        cmd.Arguments.Add(files);
        cmd.SetAction(pr =>
        {
            var stdout = pr.InvocationConfiguration.Output;
            if (pr.GetValue(example))
            {
                CostAtSloExample.Render(stdout);
                stdout.WriteLine();
                UsefulWorkExample.Render(stdout);
                return ExitCodes.Ok;
            }
            var outDir = MeasureOptions.CheckedOut(pr, output);
            var inputs = pr.GetValue(files) ?? [];
            if (inputs.Length == 0) throw new UsageException("analyze needs vLLM result files or sweep directories (or --example)");
            var where = deployment.Bind(pr);
            var pf = pr.GetValue(peak);
            if (!(pf >= 1 && pf <= CommonOptions.MaxPeakFactor)) throw new UsageException($"--peak-factor must be a number from 1 to {CommonOptions.MaxPeakFactor:G0}");
            var gpuName = pr.GetValue(gpu);
            var ceilingsPath = pr.GetValue(ceilings);
            if (gpuName is not null && ceilingsPath is not null) throw new UsageException("give --gpu or --ceilings, not both");
            HardwareProfile? hw = ceilingsPath is not null ? HardwareProfile.FromCeilings(ceilingsPath, pr.GetValue(device))
                : gpuName is not null ? HardwareProfile.FromDatasheet(gpuName) : null;

            var set = ResultSetLoader.LoadSet(inputs);
            var warnings = set.Warnings.ToList();
            SolModel? sol = null;
            if (pr.GetValue(model) is { } modelPath)
            {
                if (hw is null) throw new UsageException("--model needs --gpu NAME or --ceilings FILE for the speed of light");
                var config = ModelPresets.Resolve(modelPath);
                DeploymentOptions.CheckModel(where, config);
                var mode = pr.GetValue(count) switch
                {
                    "decode-reads" => ParameterCountMode.DecodeReads,
                    "all" => ParameterCountMode.AllParameters,
                    var other => throw new UsageException($"--param-count: '{other}' is not decode-reads or all"),
                };
                var weights = WeightFormat.For(config, pr.GetValue(weightDtype));
                sol = new SolModel(config, weights, hw, where.Decode.TensorParallel, KvCacheDtype.BytesOf(pr.GetValue(kvDtype)!, config, "--kv-dtype"), mode);
                var names = set.Points.Select(p => p.ModelId).OfType<string>().Concat(set.Points.Select(p => Path.GetFileName(p.Source)));
                if (QuantizationHint.Check(config, pr.GetValue(weightDtype), weights, names) is { } hint) warnings.Add(hint);
            }

            var (hourPrice, priceSource) = Price(pr.GetValue(price), hw, gpuName);
            var options = new AnalysisOptions
            {
                Slos = (pr.GetValue(slo) ?? []).Select(SloSpec.Parse).ToList(), Deployment = where,
                GpuHourPrice = hourPrice, PriceSource = priceSource, RequestsPerMonth = Positive(pr.GetValue(rpm), "--requests-per-month"),
                PeakFactor = pf, PricePer1MTokens = Positive(pr.GetValue(p1m), "--price-per-1m-tokens"),
                PricePerRequest = Positive(pr.GetValue(preq), "--price-per-request"), Sol = sol, Interpolate = pr.GetValue(interpolate),
                Quality = pr.GetValue(quality) is { } q ? EndToEnd.Traffic.QualityTable.Read(q) : null, WeightDtype = pr.GetValue(weightDtype),
            };
            var result = Analyzer.Analyze(set.Points, options, inputs, warnings);
            foreach (var w in result.Warnings) pr.InvocationConfiguration.Error.WriteLine("micro: warning: " + ConsoleText.OneLine(w));
            Output.AnalysisConsole.Write(Output.CliConsole.For(pr), result);
            if (outDir is not null)
            {
                var written = AnalysisReport.WriteAll(result, outDir);
                foreach (var f in written.Files) stdout.WriteLine("wrote " + ConsoleText.OneLine(f));
                foreach (var note in written.Notes) pr.InvocationConfiguration.Error.WriteLine("micro: " + ConsoleText.OneLine(note));
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static double? Positive(double? v, string name) => v is { } x ? CommonOptions.Positive(x, name) : null;

    /// <summary>The price per GPU-hour and its source, or null with the reason the cost figures are n/a.</summary>
    private static (double?, string) Price(double? given, HardwareProfile? hw, string? gpuName)
    {
        if (given is { } p)
        {
            return (CommonOptions.Positive(p, "--gpu-hour-price"), "--gpu-hour-price");
        }
        if ((GpuPrices.Find(gpuName) ?? GpuPrices.Find(hw?.Name)) is { } known)
            return (known.DollarsPerGpuHour, "built-in typical price: " + known.Source);
        var why = gpuName is null && hw is null ? "no --gpu and no --gpu-hour-price given" : $"no built-in price for {gpuName ?? hw!.Name} and no --gpu-hour-price given";
        return (null, why + "; cost figures are n/a");
    }
}

using Micro.Core.Models;

namespace Micro.Suites.Gemm;

/// <summary>Which layer of which model a GEMM case is: recorded in its results row (model, layer, tp, tokens).</summary>
/// <param name="Tokens">Tokens in the engine step; the case's M equals it except for experts (one expert's share).</param>
public sealed record ModelGemmLayer(string Model, string Layer, int TensorParallel, int Tokens);

/// <summary>
/// `micro gemm --model`: a model's own linear-layer GEMMs per GPU at tensor parallel TP (<see cref="LinearLayers.Of"/>,
/// the list predict's step model looks up), at each M of the step. Case ids are
/// <c>{dtype}_{model}.{layer}.tp{T}_{M}x{N}x{K}</c>, the fixed sweep's <c>{dtype}_{shape}_{M}x{N}x{K}</c> with the shape
/// naming model, layer and TP; experts run at M = the tokens one expert gets (<see cref="LinearLayers.TokensPerExpert"/>).
/// </summary>
public static class ModelGemmCases
{
    /// <summary>Tokens per step by default: decode batches (1..128) through prefill chunks (512..8192).</summary>
    public static readonly IReadOnlyList<int> DefaultTokens = [1, 8, 32, 128, 512, 2048, 8192];

    /// <summary>The largest M accepted (a step of 64k tokens; A and C stay a few GB at the largest layers).</summary>
    public const int MaxTokens = 1 << 16;

    /// <summary>By default only bf16: the precision predict reads GEMM points in.</summary>
    public static readonly IReadOnlySet<string> DefaultDTypes = new HashSet<string> { "bf16" };

    public static IReadOnlyList<GemmCase> For(ModelConfig model, int tp, IReadOnlyList<int> tokens, IReadOnlySet<string>? dtypes)
    {
        LinearLayers.CheckForMeasurement(model, tp);
        var label = Label(model.Name);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<GemmCase>();
        foreach (var t in GemmDType.All.Where(t => (dtypes ?? DefaultDTypes).Contains(t.Name)))
            foreach (var layer in LinearLayers.Of(model, tp))
                foreach (var step in tokens)
                {
                    var m = layer.Role == LinearRole.Expert ? LinearLayers.TokensPerExpert(model, step) : step;
                    var c = new GemmCase($"{label}.{layer.Name}.tp{tp}", t, m, checked((int)layer.N), checked((int)layer.K))
                    {
                        Layer = new ModelGemmLayer(model.Name, layer.Name, tp, step),
                    };
                    // Experts at small steps share an M (one row each): measure that GEMM once.
                    if (seen.Add(c.Name)) list.Add(c);
                }
        return list;
    }

    /// <summary>The model's name as it appears in case ids: lower case, letters, digits, '.' and '-' only.</summary>
    public static string Label(string name)
    {
        var chars = name.ToLowerInvariant().Select(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' ? ch : '-').ToArray();
        var s = new string(chars).Trim('-', '.');
        return s.Length == 0 ? "model" : s.Length > 64 ? s[..64] : s;
    }
}

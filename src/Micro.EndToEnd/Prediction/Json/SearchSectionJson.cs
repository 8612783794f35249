namespace Micro.EndToEnd.Prediction.Json;

/// <summary>prediction.json's `search` (--search): every configuration tried, the cheapest meeting the SLO with its vLLM
/// commands, what binds, and whether the cheapest still meets the SLO at the pessimistic end of its interval.</summary>
public sealed record SearchSectionJson(IReadOnlyList<SearchRowJson> Rows, IReadOnlyList<string> Excluded, CheapestJson? Cheapest, string BindingConstraint,
    string? VllmServe, string? VllmBenchServe, bool? CheapestMeetsSloPessimistic)
{
    public static SearchSectionJson From(SearchResult s) => new(s.Rows.Select(SearchRowJson.From).ToList(), s.Excluded,
        s.Cheapest is { } best ? new CheapestJson(best.Gpu, best.TensorParallel, best.Point.Load.Concurrency ?? 0, best.Point.CostPerRequest) : null,
        s.Binding, s.ServeCommand, s.BenchCommand, s.CheapestMeetsSloPessimistic);
}

/// <summary>One searched configuration at one concurrency.</summary>
public sealed record SearchRowJson(string Gpu, int Tp, int Replicas, int Concurrency, double? OutputThroughputPerGpu, double? OutputThroughputPerUser,
    double? MedianTpotMs, double? P99TpotMs, double? MedianTtftMs, double? CostPerRequest, double? CostPer1MOutputTokens, bool? MeetsSlo, bool KvLimited, bool OnFrontier)
{
    public static SearchRowJson From(SearchRow row)
    {
        var p = row.Point;
        return new(row.Gpu, row.TensorParallel, row.Replicas, p.Load.Concurrency ?? 0, p.TokensPerGpu, p.TokensPerUser,
            p.Sim.Stat("tpot", "median"), p.Sim.Stat("tpot", "p99"), p.Sim.Stat("ttft", "median"),
            p.CostPerRequest, p.CostPer1MOutputTokens, p.MeetsSlo, row.KvLimited, row.OnFrontier);
    }
}

public sealed record CheapestJson(string Gpu, int Tp, int Concurrency, double? CostPerRequest);

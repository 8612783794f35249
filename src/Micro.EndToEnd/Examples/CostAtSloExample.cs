using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Cost;

namespace Micro.EndToEnd.Examples;

/// <summary>
/// Worked example 1 (cost per request at a fixed p95, from the cost-per-request article the project was founded on):
/// 800 ms p95 target, 400 prompt + 800 generated tokens per request (tokens/s and per-1k-token costs count both),
/// 5M requests a month, config A throughput-tuned vs config B cost-tuned.
/// </summary>
public static class CostAtSloExample
{
    public sealed record Config(string Name, string Tuning, double BatchWindowMs, double PeakTokensPerSecond, double P95Ms,
        double TokensPerSecondAtSlo, double DollarsPerHour, double ArticlePer1kTokens, double ArticleMonthly);

    public sealed record Result(Config Config, double RequestsPerSecondAtSlo, double CostPer1kTokens, double CostPerRequest,
        double HeadlinePer1kTokens, bool HeadlineMeetsSlo, MonthlyCost Monthly, double ArticleFactorPer1k, double ArticleFactorMonthly);

    public const double SloP95Ms = 800;
    public const int PromptTokens = 400, GeneratedTokens = 800, TokensPerRequest = PromptTokens + GeneratedTokens;
    public const double RequestsPerMonth = 5e6;

    public static readonly Config A = new("A", "throughput-tuned", 120, 6000, 1350, 2400, 4.10, 0.0047, 28500);
    public static readonly Config B = new("B", "cost-tuned", 25, 3800, 780, 3500, 2.90, 0.0023, 14000);

    public static Result Compute(Config c)
    {
        var rps = c.TokensPerSecondAtSlo / TokensPerRequest;
        var per1k = CostModel.Per1MTokens(c.DollarsPerHour, c.TokensPerSecondAtSlo) / 1000;
        var perRequest = CostModel.PerRequest(c.DollarsPerHour, rps);
        var monthly = CostModel.Monthly(RequestsPerMonth, 1, rps, c.DollarsPerHour, null);
        return new Result(c, rps, per1k, perRequest, CostModel.Per1MTokens(c.DollarsPerHour, c.PeakTokensPerSecond) / 1000,
            c.P95Ms <= SloP95Ms, monthly, c.ArticlePer1kTokens / per1k, c.ArticleMonthly / monthly.UnitMonthlyCost);
    }

    /// <summary>Four significant digits: the article's figures are these cut to three.</summary>
    public static string Sig4(double v)
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        return "$" + decimal.Parse(v.ToString("G4", ci), System.Globalization.NumberStyles.Float, ci).ToString(ci);
    }

    /// <summary>Three significant digits, truncated (not rounded), as the article's inputs are usually quoted.</summary>
    public static string Cut3(double v)
    {
        var decimals = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(Math.Abs(v))));
        var scale = Math.Pow(10, decimals);
        return "$" + (Math.Truncate(v * scale + 1e-9) / scale).ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static void Render(TextWriter w)
    {
        var a = Compute(A);
        var b = Compute(B);
        w.WriteLine("Example 1: cost per request at a fixed p95 (inputs from the cost-per-request article)");
        w.WriteLine($"  Assumptions: p95 end-to-end target {SloP95Ms} ms; a request = {PromptTokens} prompt + {GeneratedTokens} generated = {TokensPerRequest} tokens,");
        w.WriteLine($"  and tokens/s and per-1k-token costs count both; {Fmt.N(RequestsPerMonth)} requests/month; one instance billed at its $/h, {CostModel.HoursPerMonth} h/month.");
        foreach (var r in new[] { a, b })
        {
            var c = r.Config;
            w.WriteLine($"  Config {c.Name} ({c.Tuning}): {c.BatchWindowMs} ms batch window, ~{Fmt.N(c.PeakTokensPerSecond)} tok/s peak at p95 ~{Fmt.N(c.P95Ms)} ms " +
                        $"({(r.HeadlineMeetsSlo ? "meets" : "misses")} the {SloP95Ms} ms target), ~{Fmt.N(c.TokensPerSecondAtSlo)} tok/s effective at the SLO, {Fmt.Usd(c.DollarsPerHour)}/h.");
            w.WriteLine($"    at the SLO: {Fmt.N(r.RequestsPerSecondAtSlo, 3)} req/s; {Sig4(r.CostPer1kTokens)} (cut to 3 digits {Cut3(r.CostPer1kTokens)}) per 1k tokens = {Fmt.Usd(c.DollarsPerHour)}/h / 3600 / {Fmt.N(c.TokensPerSecondAtSlo)} tok/s x 1000; " +
                        $"{Sig4(r.CostPerRequest)} (cut to 3 digits {Cut3(r.CostPerRequest)}) per request (x {TokensPerRequest} tokens / 1000)");
            w.WriteLine($"    (the peak headline would claim {Fmt.Usd(r.HeadlinePer1kTokens)} per 1k tokens, at a p95 of {Fmt.N(c.P95Ms)} ms)");
            w.WriteLine($"    unit monthly {Fmt.Usd(r.Monthly.UnitMonthlyCost)} = {Fmt.N(RequestsPerMonth)} x {Sig4(r.CostPerRequest)}; provisioned {Fmt.Usd(r.Monthly.ProvisionedMonthlyCost)} = " +
                        $"{r.Monthly.Replicas} instance x {Fmt.Usd(c.DollarsPerHour)}/h x {CostModel.HoursPerMonth} h (idle billed: {Fmt.Usd(r.Monthly.MonthlyCostDelta)})");
        }
        var avgTokens = RequestsPerMonth * TokensPerRequest / (CostModel.HoursPerMonth * 3600);
        w.WriteLine($"  Average load: {Fmt.N(RequestsPerMonth * TokensPerRequest / 1e9, 0)}e9 tokens/month = {Fmt.N(avgTokens)} tok/s, which fits one instance of either config at the SLO.");
        w.WriteLine($"  B costs {Fmt.N(a.CostPerRequest / b.CostPerRequest, 2)}x less per request than A; {Fmt.Usd(a.Monthly.UnitMonthlyCost - b.Monthly.UnitMonthlyCost)} less a month at full use, " +
                    $"{Fmt.Usd(a.Monthly.ProvisionedMonthlyCost - b.Monthly.ProvisionedMonthlyCost)} less provisioned.");
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        w.WriteLine($"  The article's own table prints ${A.ArticlePer1kTokens.ToString("0.#####", ci)} / ${B.ArticlePer1kTokens.ToString("0.#####", ci)} per 1k tokens " +
                    $"and {Fmt.Usd(A.ArticleMonthly)} / {Fmt.Usd(B.ArticleMonthly)} a month:");
        w.WriteLine($"  that is ten times what its own inputs give (x{Fmt.N(a.ArticleFactorPer1k, 1)}, x{Fmt.N(b.ArticleFactorPer1k, 1)} per 1k tokens; x{Fmt.N(a.ArticleFactorMonthly, 1)}, x{Fmt.N(b.ArticleFactorMonthly, 1)} a month). " +
                    "The article's table is wrong by a factor of 10; the figures above follow from its stated inputs.");
    }
}

using System.Text;
using System.Text.Json;

namespace Micro.Core.Results;

/// <summary>
/// snake_case that keeps units and acronyms whole: ClockMHz -> clock_mhz, BandwidthGBps -> bandwidth_gbps,
/// CostPer1MOutputTokens -> cost_per_1m_output_tokens, DType -> dtype, P99TtftMs -> p99_ttft_ms.
/// .NET's SnakeCaseLower splits inside them (clock_m_hz, bandwidth_g_bps, cost_per1_m_..., d_type).
/// The one naming rule of every JSON key and CSV header Micro writes.
/// </summary>
public sealed class MicroNaming : JsonNamingPolicy
{
    public static readonly MicroNaming Instance = new();

    /// <summary>Tokens written as one lower-case word, matched before the generic word split (longest first).</summary>
    private static readonly string[] WholeTokens = ["TFLOPs", "GBps", "GiB", "MHz", "GHz", "DType", "1M", "1K"];

    public override string ConvertName(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0) words.Add(current.ToString().ToLowerInvariant());
            current.Clear();
        }
        var i = 0;
        while (i < name.Length)
        {
            var whole = WholeTokens.FirstOrDefault(t => string.CompareOrdinal(name, i, t, 0, t.Length) == 0 && EndsWord(name, i + t.Length));
            if (whole is not null)
            {
                Flush();
                words.Add(whole.ToLowerInvariant());
                i += whole.Length;
                continue;
            }
            var c = name[i];
            if (c == '_') { Flush(); i++; continue; }
            if (char.IsUpper(c) && current.Length > 0)
            {
                var prev = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                // A new word starts at an upper-case letter after a lower-case letter or digit, or at the last
                // capital of an acronym that runs into a word (PCIBus -> pci_bus).
                if (char.IsLower(prev) || char.IsDigit(prev) || (char.IsUpper(prev) && nextIsLower)) Flush();
            }
            current.Append(c);
            i++;
        }
        Flush();
        return string.Join('_', words);
    }

    /// <summary>A whole token must end where a new word (capital, digit, underscore) or the name ends: "MHzX" ok, "DTypes" not.</summary>
    private static bool EndsWord(string name, int end) => end >= name.Length || !char.IsLower(name[end]);
}

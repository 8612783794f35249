using System.Globalization;
using CsvHelper.Configuration;
using Micro.Core.Text;

namespace Micro.Core.Results;

/// <summary>Micro's CSV convention: one row record per line, headers named by the same rule as the JSON keys (MicroNaming).</summary>
public static class MicroCsv
{
    public static void Write<TRow>(string path, IEnumerable<TRow> rows)
    {
        using var w = new StreamWriter(path);
        // CsvText's writer: text cells neutralized against formula injection (its converters, through the context's map).
        using var csv = CsvText.CreateWriter(w);
        Rename(csv.Context.AutoMap<TRow>());
        csv.WriteRecords(rows);
    }

    /// <summary>The header line Write produces for TRow, in column order.</summary>
    public static IReadOnlyList<string> Headers<TRow>() =>
        MapOf<TRow>().MemberMaps.Where(m => !m.Data.Ignore).OrderBy(m => m.Data.Index).Select(m => m.Data.Names[0]).ToArray();

    private static ClassMap MapOf<TRow>()
    {
        var map = new DefaultClassMap<TRow>();
        map.AutoMap(CultureInfo.InvariantCulture);
        return Rename(map);
    }

    private static ClassMap Rename(ClassMap map)
    {
        foreach (var member in map.MemberMaps)
            member.Name(MicroNaming.Instance.ConvertName(member.Data.Member!.Name));
        return map;
    }
}

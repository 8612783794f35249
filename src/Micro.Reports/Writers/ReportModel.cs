namespace Micro.Reports.Writers;

/// <summary>
/// A report as raw (unescaped, possibly hostile) text: the writers escape every string for their format in one place.
/// </summary>
public sealed record ReportModel(string Title, IReadOnlyList<ReportBlock> Blocks);

public abstract record ReportBlock;
/// <param name="Level">2 for a section, 3 for a subsection.</param>
public sealed record Heading(string Text, int Level = 2) : ReportBlock;
public sealed record Paragraph(string Text) : ReportBlock;
public sealed record BulletList(IReadOnlyList<string> Items) : ReportBlock;
/// <summary>Lines shown as they are (a formula), in a code block.</summary>
public sealed record Preformatted(IReadOnlyList<string> Lines) : ReportBlock;
public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, string? Note = null) : ReportBlock
{
    /// <summary>The table without the columns that are empty in every row (a column shows only when the data has it).</summary>
    public Table WithoutEmptyColumns()
    {
        var keep = Enumerable.Range(0, Header.Count)
            .Where(i => Rows.Count == 0 || Rows.Any(r => i < r.Count && !string.IsNullOrWhiteSpace(r[i]))).ToList();
        if (keep.Count == Header.Count) return this;
        return this with
        {
            Header = keep.Select(i => Header[i]).ToList(),
            Rows = Rows.Select(r => (IReadOnlyList<string>)keep.Select(i => i < r.Count ? r[i] : "").ToList()).ToList(),
        };
    }
}
/// <param name="Png">File name relative to the report (our own slug, never from input).</param>
public sealed record Figure(string Title, string Caption, string Png, string Svg) : ReportBlock;

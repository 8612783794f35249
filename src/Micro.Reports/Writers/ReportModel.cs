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
public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, string? Note = null) : ReportBlock;
/// <param name="Png">File name relative to the report (our own slug, never from input).</param>
public sealed record Figure(string Title, string Caption, string Png, string Svg) : ReportBlock;

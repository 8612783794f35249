using Micro.Core.Results;

namespace Micro.Suites.Running;

/// <summary>Where measured points go as they are measured (results.jsonl, the console table, a test list).</summary>
public interface IResultSink
{
    void Add(MeasurementRecord record);
}

public sealed class ListSink : IResultSink
{
    private readonly List<MeasurementRecord> _records = [];
    public IReadOnlyList<MeasurementRecord> Records => _records;
    public void Add(MeasurementRecord record) => _records.Add(record);
}

public sealed class WriterSink(ResultsWriter writer) : IResultSink
{
    public void Add(MeasurementRecord record) => writer.Write(record);
}

public sealed class TeeSink(params IResultSink[] sinks) : IResultSink
{
    public void Add(MeasurementRecord record)
    {
        foreach (var s in sinks) s.Add(record);
    }
}

/// <summary>Marks every point of a --quick run <c>quick: true</c> before passing it on: ceilings.json never prefers such a point.</summary>
public sealed class QuickSink(IResultSink inner) : IResultSink
{
    public void Add(MeasurementRecord record) => inner.Add(record with { Quick = true });

    /// <summary>The sink a suite run with <paramref name="request"/> writes to: marking when the request is quick.</summary>
    public static IResultSink For(SuiteRequest request, IResultSink sink) => request.Quick ? new QuickSink(sink) : sink;
}

using Micro.Suites.Running;
using Spectre.Console;

namespace Micro.Cli.Output;

/// <summary>ISuiteProgress on a Spectre progress display: one bar per suite/backend task.</summary>
public sealed class SpectreProgress(ProgressContext context, IAnsiConsole console) : ISuiteProgress
{
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

    public void Start(string task, int total)
    {
        var t = context.AddTask(Markup.Escape(task), maxValue: Math.Max(1, total));
        _tasks[task] = t;
    }

    public void Advance(string task, string detail)
    {
        if (!_tasks.TryGetValue(task, out var t)) return;
        t.Increment(1);
        t.Description = Markup.Escape($"{task}: {detail}");
    }

    public void Note(string line) => console.MarkupLine(Markup.Escape(line));

    /// <summary>Runs work under a progress display (plain when the console is not interactive).</summary>
    public static T Run<T>(IAnsiConsole console, Func<ISuiteProgress, T> work)
    {
        if (!console.Profile.Capabilities.Interactive) return work(new LineProgress(console));
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx => work(new SpectreProgress(ctx, console)));
    }

    /// <summary>Non-interactive output (pipes, CI logs, tests): one line per started task.</summary>
    private sealed class LineProgress(IAnsiConsole console) : ISuiteProgress
    {
        public void Start(string task, int total) => console.WriteLine($"{task}: {total} points");
        public void Advance(string task, string detail) { }
        public void Note(string line) => console.WriteLine(line);
    }
}

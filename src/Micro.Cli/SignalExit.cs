using System.Runtime.InteropServices;
using Micro.Core.Text;

namespace Micro.Cli;

/// <summary>
/// SIGINT and SIGTERM for every verb: a verb that measures defers them (SuiteRunner abandons the point in progress,
/// writes what was measured and ceilings.json, and exits 130/143 itself); any other moment, the process exits at once
/// with 130/143 and one line. Every file Micro writes is complete or absent at any instant (results.jsonl line by line,
/// the rest by rename), so exiting at once loses nothing written.
/// </summary>
public static class SignalExit
{
    private static int _deferred;
    private static readonly List<PosixSignalRegistration> Registrations = [];

    /// <summary>Installs the process-wide handlers (once).</summary>
    public static void Install(TextWriter err)
    {
        lock (Registrations)
        {
            if (Registrations.Count > 0) return;
            try
            {
                Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handler("SIGINT", ExitCodes.Interrupted, err)));
                Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handler("SIGTERM", ExitCodes.Terminated, err)));
            }
            catch (PlatformNotSupportedException) { }
        }
    }

    /// <summary>While the returned scope is open, signals are the measuring verb's own.</summary>
    public static IDisposable Defer()
    {
        Interlocked.Increment(ref _deferred);
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref _deferred);
        }
    }

    private static Action<PosixSignalContext> Handler(string name, int code, TextWriter err) => ctx =>
    {
        if (Volatile.Read(ref _deferred) > 0) return;
        ctx.Cancel = true;
        CliApp.SafeWriteLine(err, ConsoleText.OneLine($"micro: interrupted by {name}: stopped; files already written are complete"));
        Environment.Exit(code);
    };
}

using System.CommandLine;
using Micro.Core.Results;
using Micro.Core.Text;
using Micro.Devices.Cuda;
using Micro.Devices.Native;
using Micro.Suites.Collectives;
using Micro.Suites.Running;

namespace Micro.Cli;

/// <summary>
/// Parses the command line, runs the verb, and maps failures to one-line messages and exit codes. Messages carry file
/// names and field values from files: ConsoleText.OneLine keeps them to one line with no terminal control characters.
/// </summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var err = stderr ?? Console.Error;
        var root = CommandRegistry.BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // "Unrecognized command or argument 'x'" says more than "Required command was not provided".
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            var hint = parse.UnmatchedTokens.Count > 0 ? UnknownOptions.DidYouMean(parse, parse.UnmatchedTokens[0]) : "";
            SafeWriteLine(err, $"micro: {ConsoleText.OneLine(error.Message + hint)} (see 'micro --help')");
            return ExitCodes.Usage;
        }
        // OpenMP starts this many threads in the host STREAM shim: 100,000 overflows a stack in native code (no message possible there).
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is { Length: > 0 } omp
            && (!int.TryParse(omp.Split(',')[0], out var threads) || threads < 1 || threads > Math.Max(1024, 16 * Environment.ProcessorCount)))
        {
            SafeWriteLine(err, $"micro: OMP_NUM_THREADS={ConsoleText.OneLine(omp.Length > 20 ? omp[..20] + "..." : omp)}: expected 1 to {Math.Max(1024, 16 * Environment.ProcessorCount):N0} threads");
            return ExitCodes.Usage;
        }
        if (EmptyValue(parse) is { } empty)
        {
            SafeWriteLine(err, ConsoleText.OneLine($"micro: {empty}: an empty value ('') names no file and selects nothing; give a value or leave the option out"));
            return ExitCodes.Usage;
        }
        if (parse.Tokens.FirstOrDefault(t => t.Value.Any(c => ConsoleText.IsUnsafe(c) || c is '\n' or '\u2028' or '\u2029')) is { } control)
        {
            // A path or value with ESC, BEL, a newline or a bidi control would be echoed into the console and every report.
            SafeWriteLine(err, $"micro: '{ConsoleText.OneLine(control.Value)}': a command-line value with control characters (ESC, BEL, newline, bidi controls) is refused; rename the file or quote the value without them");
            return ExitCodes.Usage;
        }
        if (UnknownOptions.Find(parse) is { } bogus)
        {
            var verb = parse.CommandResult.Command.Name;
            SafeWriteLine(err, ConsoleText.OneLine($"micro: unknown option '{(bogus.Length > 40 ? bogus[..40] + "..." : bogus)}' for '{verb}'.{UnknownOptions.DidYouMean(parse, bogus)} (see 'micro {verb} --help')"));
            return ExitCodes.Usage;
        }
        if (stdout is null) SignalExit.Install(err);
        NativeLibraries.BeginRun();
        // MICRO_HOSTSTREAM_PATH=libc.so.6 would be listed as the library used while another did the work, or abort later.
        if (NativeLibraries.WrongOverride() is { } wrong)
        {
            SafeWriteLine(err, $"micro: {ConsoleText.OneLine(wrong)}");
            return ExitCodes.Usage;
        }
        try
        {
            // ProcessTerminationTimeout null: SIGINT/SIGTERM are the run's own (SuiteRunner writes what was measured).
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout ?? Console.Out, Error = err, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e) when (Unwrap(e) is OutputException or OptionOutOfRangeException or InputException or UsageException)
        {
            // Bad input, a bad option or an output place that refuses: one line, exit 2 (paths and file strings made safe).
            // A parallel loop wraps them in AggregateException: the first is the one to tell.
            SafeWriteLine(err, $"micro: {ConsoleText.OneLine(Unwrap(e).Message)}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (Unwrap(e) is CaseTimeoutException)
        {
            SafeWriteLine(err, $"micro: {ConsoleText.OneLine(Unwrap(e).Message)}");
            return ExitCodes.Timeout;
        }
        catch (Exception e) when (Unwrap(e) is IOException or UnauthorizedAccessException)
        {
            // A file system that refuses (a full disk, a folder removed mid-run, a path made a directory): one line, exit 2.
            // What was written before stays: results.jsonl lines are whole, ceilings.json and reports are replaced atomically.
            SafeWriteLine(err, $"micro: cannot read or write a file: {ConsoleText.OneLine(Unwrap(e).Message)} (files written before this stay whole)");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (Unwrap(e) is OutOfMemoryException or InsufficientExecutionStackException)
        {
            SafeWriteLine(err, $"micro: ran out of memory or stack ({ConsoleText.OneLine(Unwrap(e).Message)}); use smaller inputs or options (README \"Input limits\")");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable(TraceVariable) != "1")
        {
            // No stack trace reaches a user: a fault Micro did not foresee is one line and exit 1 (MICRO_TRACE=1 shows it whole).
            var inner = Unwrap(e);
            SafeWriteLine(err, $"micro: internal error, a bug in Micro ({inner.GetType().Name}: {ConsoleText.OneLine(inner.Message)}); {TraceVariable}=1 shows where");
            return ExitCodes.Failed;
        }
        finally
        {
            // Diagnostics on stderr: stdout may be data (memory --csv, compare --json); a closed stream never aborts.
            try { PrintLoadedLibraries(err); }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>The option (or "argument N") given an empty or blank value, or null: an empty path or list is never meant.</summary>
    private static string? EmptyValue(ParseResult parse)
    {
        string? option = null;
        var argument = 0;
        foreach (var t in parse.Tokens)
        {
            if (t.Type == System.CommandLine.Parsing.TokenType.Option) { option = t.Value; continue; }
            if (t.Type != System.CommandLine.Parsing.TokenType.Argument) { option = null; continue; }
            if (option is null) argument++;
            if (string.IsNullOrWhiteSpace(t.Value) || t.Value.Split(',').All(string.IsNullOrWhiteSpace))
                return option ?? $"argument {argument}";
            option = null;
        }
        return null;
    }

    /// <summary>Set to 1 to let an unforeseen exception print its stack trace (for reporting a bug).</summary>
    public const string TraceVariable = "MICRO_TRACE";

    /// <summary>The exception a parallel loop, a task or reflection wrapped (the first of several).</summary>
    public static Exception Unwrap(Exception e)
    {
        for (var depth = 0; depth < 16; depth++)
        {
            var inner = e switch
            {
                AggregateException a when a.InnerExceptions.Count > 0 => a.InnerExceptions[0],
                System.Reflection.TargetInvocationException { InnerException: { } t } => t,
                TypeInitializationException { InnerException: { } t } => t,
                _ => null,
            };
            if (inner is null) return e;
            e = inner;
        }
        return e;
    }

    /// <summary>A message to a stream that may be closed or full (stderr to /dev/full): lost, never a second fault.</summary>
    public static void SafeWriteLine(TextWriter w, string line)
    {
        try { w.WriteLine(line); w.Flush(); }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Once per run: every native library this invocation loaded and the file it came from (rank 0 only under a launcher).
    /// </summary>
    private static void PrintLoadedLibraries(TextWriter output)
    {
        var loaded = NativeLibraries.LoadedInRun();
        if (loaded.Count == 0 || LauncherDetection.LauncherRank() != 0) return;
        // A library override without the expected entry points (MICRO_CUDA_PATH=libz) is listed by its path, not a fault.
        IReadOnlyDictionary<string, string> described;
        try { described = GpuSession.LoadedLibraries(); }
        catch (Exception e) when (e is NativeLibraryMissingException or EntryPointNotFoundException or DllNotFoundException) { described = new Dictionary<string, string>(); }
        foreach (var lib in loaded)
            output.WriteLine($"library: {lib.Display} = {ConsoleText.OneLine(described.TryGetValue(lib.Display, out var d) ? d : lib.Path)}");
    }
}

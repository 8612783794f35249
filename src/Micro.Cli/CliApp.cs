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
            err.WriteLine($"micro: {ConsoleText.OneLine(error.Message + hint)} (see 'micro --help')");
            return ExitCodes.Usage;
        }
        if (UnknownOptions.Find(parse) is { } bogus)
        {
            var verb = parse.CommandResult.Command.Name;
            err.WriteLine(ConsoleText.OneLine($"micro: unknown option '{(bogus.Length > 40 ? bogus[..40] + "..." : bogus)}' for '{verb}'.{UnknownOptions.DidYouMean(parse, bogus)} (see 'micro {verb} --help')"));
            return ExitCodes.Usage;
        }
        var loadedBefore = NativeLibraries.Loaded().Count;
        try
        {
            // ProcessTerminationTimeout null: SIGINT/SIGTERM are the run's own (SuiteRunner writes what was measured).
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout ?? Console.Out, Error = err, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e) when (e is OutputException or OptionOutOfRangeException or InputException or UsageException)
        {
            // Bad input, a bad option or an output place that refuses: one line, exit 2 (paths and file strings made safe).
            err.WriteLine($"micro: {ConsoleText.OneLine(e.Message)}");
            return ExitCodes.Usage;
        }
        catch (CaseTimeoutException e)
        {
            err.WriteLine($"micro: {ConsoleText.OneLine(e.Message)}");
            return ExitCodes.Timeout;
        }
        finally
        {
            // Diagnostics on stderr: stdout may be data (memory --csv, compare --json).
            PrintLoadedLibraries(err, loadedBefore);
        }
    }

    /// <summary>
    /// Once per run: every native library this invocation loaded and the file it came from (rank 0 only under a launcher).
    /// </summary>
    private static void PrintLoadedLibraries(TextWriter output, int loadedBefore)
    {
        if (NativeLibraries.Loaded().Count == loadedBefore || LauncherDetection.LauncherRank() != 0) return;
        var loaded = NativeLibraries.Loaded();
        var described = GpuSession.LoadedLibraries();
        foreach (var lib in loaded)
            output.WriteLine($"library: {lib.Display} = {ConsoleText.OneLine(described.TryGetValue(lib.Display, out var d) ? d : lib.Path)}");
    }
}

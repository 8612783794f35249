using Micro.Cli;

namespace Micro.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output.</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Asserts exit 2 and exactly one stderr line, starting "micro: " and containing every expected piece.</summary>
    public static async Task<string> BadInput(string[] args, params string[] expected)
    {
        var (code, _, err) = await Run(args);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(code == ExitCodes.Usage, $"exit {code} for {string.Join(' ', args)}: {err}");
        var line = Assert.Single(lines);
        Assert.StartsWith("micro: ", line);
        foreach (var piece in expected) Assert.Contains(piece, line);
        return line;
    }

    public static string TempDir() => Directory.CreateTempSubdirectory("micro-cli-").FullName;
}

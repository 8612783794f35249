using System.Globalization;
using Micro.Suites.Collectives;

namespace Micro.Cli.Commands;

/// <summary>
/// The start-up of a collectives job (MPI_Init, the communicator) under the --timeout watchdog. MPI start-up waits for
/// every rank of the job; a rank that never starts (a stuck node, a launcher that lost it) would leave the ranks that
/// did start waiting with no word. Past the limit each waiting rank says so in one line and exits 3, and the launcher
/// ends the job. MPI is not up, so no rank can ask another which one is missing: with --out, each rank announces itself
/// first in a file (<see cref="StartupRoll"/>), and the line names the ranks that never did.
/// </summary>
internal sealed class StartupWatchdog : IDisposable
{
    private readonly Timer _timer;
    private readonly StartupRoll? _roll;
    private int _done;

    /// <param name="outDir">The job's --out folder (the ranks announce themselves under it), or null.</param>
    public StartupWatchdog(double seconds, string? outDir = null)
    {
        _roll = outDir is null ? null : StartupRoll.Announce(outDir);
        _timer = new Timer(_ => Fire(seconds), null, TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0)), Timeout.InfiniteTimeSpan);
    }

    private void Fire(double seconds)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        var size = LauncherDetection.LauncherSize();
        var rank = LauncherDetection.LauncherRank().ToString(CultureInfo.InvariantCulture);
        var missing = _roll is not null && size is { } n ? _roll.Missing(n) : null;
        CliApp.SafeWriteLine(Console.Error,
            $"micro: collectives: rank {rank}{(size is { } of ? " of " + of.ToString(CultureInfo.InvariantCulture) : "")}: the job did not start within --timeout " +
            $"{seconds.ToString("0.###", CultureInfo.InvariantCulture)} s (MPI start-up waits for every rank, and at least one never arrived; " +
            (missing is null
                ? "which cannot be known before MPI is up without --out"
                : $"{missing} (no start-up announcement in {Micro.Core.Text.ConsoleText.OneLine(_roll!.Folder)}; on a folder not shared by every node the ranks of other nodes show as missing too)") +
            "): ending this rank (exit 3)");
        // The main thread is inside MPI_Init: nothing can be unwound; nothing has been written yet.
        Environment.Exit(ExitCodes.Timeout);
    }

    /// <summary>Start-up finished: the watchdog stands down (a fire already under way still ends the process).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        _timer.Dispose();
        // Every rank has arrived (MPI start-up returns to none before): the announcements have served.
        _roll?.Withdraw();
    }
}

/// <summary>
/// The roll call of one launcher job's ranks before MPI is up: each rank creates an empty file named by its rank in
/// --out/.micro-startup/JOB (JOB: the launcher's id of the job, so a file left by another job never answers for this
/// one); a rank whose file is absent never got as far as starting. Best effort: a rank that cannot write its file is
/// named missing, so the line says where it looked. No launcher job id (PMIx, Open MPI, Slurm): no roll call.
/// </summary>
internal sealed class StartupRoll
{
    public const string FolderName = ".micro-startup";
    private readonly string _mine;

    private StartupRoll(string folder, string mine) => (Folder, _mine) = (folder, mine);

    public string Folder { get; }

    /// <summary>Announces this rank; null when the job has no id to key the roll by.</summary>
    public static StartupRoll? Announce(string outDir)
    {
        if (JobId() is not { } job) return null;
        // Never through a link (nor into a file of that name): then there is no roll call.
        if (Micro.Core.Input.FileKinds.Of(Path.Combine(outDir, FolderName)) is not (Micro.Core.Input.FileKind.Missing or Micro.Core.Input.FileKind.Directory)) return null;
        var folder = Path.Combine(outDir, FolderName, job);
        var mine = Path.Combine(folder, LauncherDetection.LauncherRank().ToString(CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(folder);
            using (new FileStream(mine, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return new StartupRoll(folder, mine);
    }

    /// <summary>"rank(s) 1, 3 never announced themselves" for the ranks of 0..size-1 with no file (at most 16 named), or null when all did.</summary>
    public string? Missing(int size)
    {
        var absent = Enumerable.Range(0, Math.Max(0, size)).Where(r => !File.Exists(Path.Combine(Folder, r.ToString(CultureInfo.InvariantCulture)))).ToList();
        if (absent.Count == 0) return null;
        var named = string.Join(", ", absent.Take(16));
        return $"missing: rank{(absent.Count == 1 ? "" : "s")} {named}{(absent.Count > 16 ? $" and {absent.Count - 16} more" : "")}";
    }

    /// <summary>Removes this rank's file, and the folders once empty (best effort).</summary>
    public void Withdraw()
    {
        try
        {
            File.Delete(_mine);
            if (!Directory.EnumerateFileSystemEntries(Folder).Any()) Directory.Delete(Folder);
            var parent = Path.GetDirectoryName(Folder)!;
            if (!Directory.EnumerateFileSystemEntries(parent).Any()) Directory.Delete(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>The launcher's id of this job, as a file name; null outside a launcher that gives one.</summary>
    private static string? JobId()
    {
        var slurm = Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { Length: > 0 } j
            ? j + "." + (Environment.GetEnvironmentVariable("SLURM_STEP_ID") ?? "0") : null;
        var id = Environment.GetEnvironmentVariable("PMIX_NAMESPACE") is { Length: > 0 } ns ? ns
            : Environment.GetEnvironmentVariable("OMPI_MCA_ess_base_jobid") is { Length: > 0 } ompi ? ompi : slurm;
        if (id is null) return null;
        var clean = new string(id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_').Take(64).ToArray());
        return clean.Length == 0 || clean.All(c => c == '.') ? null : clean;
    }
}

using System.Globalization;
using Micro.Suites.Collectives;

namespace Micro.Cli.Commands;

/// <summary>
/// The start-up of a collectives job (MPI_Init, the communicator) under the --timeout watchdog. MPI start-up waits for
/// every rank of the job; a rank that never starts (a stuck node, a launcher that lost it) would leave the ranks that
/// did start waiting with no word. Past the limit each waiting rank says so in one line and exits 3, and the launcher
/// ends the job. Which ranks are missing cannot be known here: MPI is not up, so no rank can ask another.
/// </summary>
internal sealed class StartupWatchdog : IDisposable
{
    private readonly Timer _timer;
    private int _done;

    public StartupWatchdog(double seconds)
    {
        _timer = new Timer(_ => Fire(seconds), null, TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0)), Timeout.InfiniteTimeSpan);
    }

    private void Fire(double seconds)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        var size = new[] { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS" }.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var rank = LauncherDetection.LauncherRank().ToString(CultureInfo.InvariantCulture);
        CliApp.SafeWriteLine(Console.Error,
            $"micro: collectives: rank {rank}{(size is null ? "" : " of " + Micro.Core.Text.ConsoleText.OneLine(size))}: the job did not start within --timeout " +
            $"{seconds.ToString("0.###", CultureInfo.InvariantCulture)} s (MPI start-up waits for every rank, and at least one never arrived; " +
            "which cannot be known before MPI is up): ending this rank (exit 3)");
        // The main thread is inside MPI_Init: nothing can be unwound; nothing has been written yet.
        Environment.Exit(ExitCodes.Timeout);
    }

    /// <summary>Start-up finished: the watchdog stands down (a fire already under way still ends the process).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0) _timer.Dispose();
    }
}

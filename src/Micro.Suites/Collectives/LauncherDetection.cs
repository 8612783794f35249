namespace Micro.Suites.Collectives;

/// <summary>
/// Whether this process was started by an MPI launcher (mpirun/mpiexec, srun). `micro run` initialises MPI for its
/// one-rank NCCL suite only then. A bare `micro run` on the H100 (2026-11-22) had not finished this suite when the
/// check's time cap stopped it; singleton MPI_Init and NCCL init are outside the watchdog, and every device run that
/// finished used `mpirun -np 1`. So a bare `micro run` skips the suite and names the command to use instead.
/// </summary>
public static class LauncherDetection
{
    private static readonly string[] LauncherVariables =
        ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK", "MPI_LOCALNRANKS", "SLURM_STEP_ID"];

    public static bool UnderLauncher(Func<string, string?> getEnv) =>
        LauncherVariables.Any(v => !string.IsNullOrEmpty(getEnv(v)));

    public static bool UnderLauncher() => UnderLauncher(Environment.GetEnvironmentVariable);

    private static readonly string[] RankVariables = ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"];

    /// <summary>This process's rank as the launcher set it (before MPI is initialised); 0 when not under a launcher.</summary>
    public static int LauncherRank(Func<string, string?> getEnv)
    {
        foreach (var v in RankVariables)
            if (int.TryParse(getEnv(v), out var r)) return r;
        return 0;
    }

    public static int LauncherRank() => LauncherRank(Environment.GetEnvironmentVariable);

    private static readonly string[] SizeVariables = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"];

    /// <summary>The job's rank count as the launcher set it (before MPI is initialised); null when not under a launcher.</summary>
    public static int? LauncherSize(Func<string, string?> getEnv)
    {
        foreach (var v in SizeVariables)
            if (int.TryParse(getEnv(v), out var n)) return n;
        return null;
    }

    public static int? LauncherSize() => LauncherSize(Environment.GetEnvironmentVariable);
}

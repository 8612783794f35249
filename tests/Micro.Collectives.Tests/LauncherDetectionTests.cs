using Micro.Suites.Collectives;

namespace Micro.Collectives.Tests;

public class LauncherDetectionTests
{
    [Theory]
    [InlineData("OMPI_COMM_WORLD_SIZE", "4")]
    [InlineData("PMI_SIZE", "2")]
    [InlineData("PMIX_RANK", "0")]
    [InlineData("SLURM_STEP_ID", "0")]
    public void AnyLauncherVariableCounts(string name, string value) =>
        Assert.True(LauncherDetection.UnderLauncher(v => v == name ? value : null));

    [Theory]
    [InlineData("OMPI_COMM_WORLD_SIZE", "4", 4)]
    [InlineData("PMI_SIZE", "2", 2)]
    [InlineData("SLURM_NTASKS", "8", 8)]
    [InlineData("PMI_SIZE", "two", null)]
    [InlineData("PMIX_RANK", "0", null)]
    public void TheLaunchersSizeIsItsFirstNumericSizeVariable(string name, string value, int? expected) =>
        Assert.Equal(expected, LauncherDetection.LauncherSize(v => v == name ? value : null));

    [Fact]
    public void ABareProcessIsNotUnderALauncher()
    {
        // SLURM_JOB_ID alone is set inside an sbatch script before srun starts the step: not a launcher.
        Assert.False(LauncherDetection.UnderLauncher(v => v == "SLURM_JOB_ID" ? "123" : v == "PMI_SIZE" ? "" : null));
    }
}

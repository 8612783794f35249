namespace Micro.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A measurement failed verification or a suite failed.</summary>
    public const int Failed = 1;
    /// <summary>Bad command line or bad input file.</summary>
    public const int Usage = 2;
    /// <summary>A case or collective exceeded its watchdog budget.</summary>
    public const int Timeout = 3;
}

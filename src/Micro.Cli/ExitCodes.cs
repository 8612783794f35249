namespace Micro.Cli;

/// <summary>The exit codes of every verb (README "Exit codes" lists the same table).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A measurement failed verification or a suite failed.</summary>
    public const int Failed = 1;
    /// <summary>Bad command line, bad option value or bad input file (one line naming file/option, field and reason).</summary>
    public const int Usage = 2;
    /// <summary>A case, collective or rank exceeded its watchdog budget.</summary>
    public const int Timeout = 3;
    /// <summary>Nothing could be measured here: every suite/backend asked for was skipped (the reasons are printed).</summary>
    public const int NothingMeasured = 4;
    /// <summary>Stopped by SIGINT (128 + 2), after writing what was measured.</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM (128 + 15), after writing what was measured.</summary>
    public const int Terminated = 143;
}

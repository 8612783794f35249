namespace Micro.EndToEnd.Prediction;

/// <summary>
/// What a run's stated `median_ttft_ms` is compared with in the simulation. vLLM's own files mean the median; tables
/// derived from other reports may not say which statistic they hold (--runs-ttft-stat).
/// </summary>
public enum RunsTtftStatistic
{
    /// <summary>The simulated median TTFT (vLLM's meaning of median_ttft_ms).</summary>
    Median,
    /// <summary>The simulated mean TTFT: a closed loop's start-up burst weighs on it far more than on the median.</summary>
    Mean,
    /// <summary>Calibrate both ways and keep the one whose calibration runs fit better (a calibration file's choice when
    /// only applying one; else the median).</summary>
    Auto,
}

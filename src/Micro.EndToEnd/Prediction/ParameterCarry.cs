using System.Globalization;

namespace Micro.EndToEnd.Prediction;

/// <summary>How one parameter was carried to a target profile: the canonical value, the value used there, and why.</summary>
public sealed record CarriedParameter(string Name, double Canonical, double Used, string How);

/// <summary>
/// Calibrated parameters are kept in one canonical form (fractions of a datasheet profile), so runs on different GPUs and
/// profiles are fitted together and a calibration applies to any target: each spec's <see cref="CarryRule"/> says how a
/// value reaches a profile (as is; a fraction rescaled by the ratio of the measured and datasheet priors; or replaced by
/// the profile's own measurement).
/// </summary>
public static class ParameterCarry
{
    /// <summary>The values the step model uses on <paramref name="device"/>, from canonical (datasheet-kind) values.</summary>
    public static PhysicalParameters ForProfile(PhysicalParameters canonical, DeviceProfile device)
    {
        if (!device.Measured && device.KernelLaunch is null) return canonical;
        var v = (double[])canonical.Values.Clone();
        for (var i = 0; i < v.Length; i++) v[i] = Used(i, canonical.Values[i], device).Value;
        return new PhysicalParameters { Values = v };
    }

    /// <summary>Each parameter's carry to <paramref name="device"/>, for the output.</summary>
    public static IReadOnlyList<CarriedParameter> Describe(PhysicalParameters canonical, DeviceProfile device) =>
        PhysicalParameters.Specs.Select((s, i) =>
        {
            var (value, how) = Used(i, canonical.Values[i], device);
            return new CarriedParameter(s.Name, canonical.Values[i], value, how);
        }).ToList();

    private static double Ratio(int i) => PhysicalParameters.FractionPrior(i, true) / PhysicalParameters.FractionPrior(i, false);

    private static (double Value, string How) Used(int i, double canonical, DeviceProfile device)
    {
        var spec = PhysicalParameters.Specs[i];
        switch (spec.Carry)
        {
            case CarryRule.FractionOfProfile when device.Measured && Ratio(i) != 1:
                var r = Ratio(i);
                return (Math.Clamp(canonical * r, spec.Min, spec.Max), $"rescaled x{r.ToString("0.###", CultureInfo.InvariantCulture)} (a fraction of a measured profile: measured prior / datasheet prior)");
            case CarryRule.MeasuredElseAsIs when i == PhysicalParameters.KernelLaunch && device.KernelLaunch is { } k:
                return (k.Value, $"replaced by the profile's measurement ({k.Source})");
            case CarryRule.MeasuredElseAsIs when i is PhysicalParameters.CollectiveLatency or PhysicalParameters.CollectiveLatencyPerDoubling && device.Collectives.Count > 0:
                return (canonical, "as is where the profile has no measured collective of that rank count; measured collectives replace it where it has");
            default:
                return (canonical, "as is");
        }
    }
}

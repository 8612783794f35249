namespace Micro.Suites.Running;

/// <summary>An option value this machine cannot honour (e.g. --size beyond the device's memory): bad input, exit 2.</summary>
public sealed class OptionOutOfRangeException(string option, string reason) : Exception($"{option}: {reason}")
{
    public string Option { get; } = option;
}

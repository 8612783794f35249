using System.CommandLine;
using Micro.Suites.Link;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>
/// The shared shape of the native GPU verbs (link, gemm, launch): the measuring options plus --device, and each verb's
/// own options bound into its suite's typed record; run through the one SuiteRunner (results, ceilings, libraries).
/// </summary>
internal static class GpuSuiteCommand
{
    /// <param name="bind">Binds the verb's own options (added by <paramref name="addOptions"/>) onto the record holding --device.</param>
    public static Command Build<TOptions>(string verb, string description, Func<ISuite<TOptions>> suite, TOptions defaults,
        Action<Command>? addOptions = null, Func<ParseResult, TOptions, TOptions>? bind = null)
        where TOptions : GpuSuiteOptions
    {
        var cmd = new Command(verb, description);
        var measure = new MeasureOptions();
        var device = CommonOptions.Device();
        measure.AddTo(cmd);
        cmd.Options.Add(device);
        addOptions?.Invoke(cmd);
        cmd.SetAction(parse =>
        {
            var request = measure.Request(parse);
            var options = defaults with { Device = CommonOptions.Range(parse.GetValue(device), 0, GpuSuiteOptions.MaxDevice, "--device") };
            if (bind is not null) options = bind(parse, options);
            return SuiteRunner.Run(parse, [suite().With(options)], request, measure.OutDir(parse), new RunSettings(Verbose: parse.GetValue(measure.Verbose)));
        });
        return cmd;
    }
}

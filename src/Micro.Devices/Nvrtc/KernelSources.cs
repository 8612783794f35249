using System.Reflection;
using System.Text;

namespace Micro.Devices.Nvrtc;

/// <summary>
/// The kernel sources embedded in Micro.Devices (kernels/**/*.cu, *.h, *.hip as resources named "kernels/&lt;path&gt;"),
/// so the bundle carries them and NVRTC compiles them on the device machine.
/// </summary>
public static class KernelSources
{
    private static readonly Assembly Assembly = typeof(KernelSources).Assembly;

    /// <summary>Resource names, e.g. "kernels/stream.cu", "kernels/include/micro_cuda.h".</summary>
    public static IReadOnlyList<string> Names =>
        Assembly.GetManifestResourceNames().Where(n => n.StartsWith("kernels/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    /// <summary>The text of kernels/<paramref name="relativePath"/> (e.g. "stream.cu").</summary>
    public static string Read(string relativePath)
    {
        var name = "kernels/" + relativePath.Replace('\\', '/');
        using var s = Assembly.GetManifestResourceStream(name)
            ?? throw new FileNotFoundException($"kernel source {name} is not embedded in {Assembly.GetName().Name} (known: {string.Join(", ", Names)})");
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd();
    }

    /// <summary>Every embedded header as (include name, text): what NVRTC gets for `#include "micro_cuda.h"`.</summary>
    public static IReadOnlyList<(string IncludeName, string Text)> Headers() =>
        Names.Where(n => n.EndsWith(".h", StringComparison.Ordinal))
             .Select(n => (Path.GetFileName(n), Read(n["kernels/".Length..])))
             .ToList();
}

using System.Reflection;
using System.Runtime.InteropServices;

namespace Micro.Devices.Host;

/// <summary>
/// Resolves Micro's own native shims (libmicro_*.so): beside the assembly first, then in $MICRO_NATIVE_DIR.
/// A ResolvingUnmanagedDll handler (it runs only after the default search, and any DllImportResolver, found
/// nothing), not SetDllImportResolver: an assembly may have only one of those and the CUDA bindings own it.
/// </summary>
public static class NativeShims
{
    public const string EnvironmentVariable = "MICRO_NATIVE_DIR";
    private static readonly object Gate = new();
    private static bool _installed;

    public static void EnsureResolver()
    {
        lock (Gate)
        {
            if (_installed) return;
            System.Runtime.Loader.AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
            _installed = true;
        }
    }

    /// <summary>Candidate paths for a shim such as "micro_hoststream", in search order.</summary>
    public static IReadOnlyList<string> Candidates(string shim)
    {
        var file = $"lib{shim}.so";
        var dirs = new List<string> { AppContext.BaseDirectory };
        var asmDir = Path.GetDirectoryName(typeof(NativeShims).Assembly.Location);
        if (!string.IsNullOrEmpty(asmDir)) dirs.Add(asmDir);
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) dirs.Add(env);
        return dirs.Select(d => Path.GetFullPath(Path.Combine(d, file))).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The first existing candidate, or null.</summary>
    public static string? Locate(string shim) => Candidates(shim).FirstOrDefault(File.Exists);

    /// <summary>One line saying where a missing shim was looked for and how to build it.</summary>
    public static string MissingMessage(string shim) =>
        $"lib{shim}.so not found (looked beside the micro assembly and in ${EnvironmentVariable}" +
        (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } d ? $"={d}" : " (unset)") +
        "); build it with ./scripts/build";

    private static IntPtr Resolve(Assembly assembly, string name)
    {
        if (assembly != typeof(NativeShims).Assembly || !name.StartsWith("micro_", StringComparison.Ordinal)) return IntPtr.Zero;
        var found = Locate(name) ?? throw new DllNotFoundException(MissingMessage(name));
        return NativeLibrary.Load(found);
    }
}

namespace Micro.Devices.Native;

/// <summary>
/// The one search order for every native library Micro loads (docs/running.md, "Libraries: how Micro finds them"):
/// 1. $MICRO_&lt;LIB&gt;_PATH (a file or a folder); when set it is the only place looked at;
/// 2. Micro's own folders: beside the micro executable and its assemblies, then $MICRO_NATIVE_DIR;
/// 3. the bare sonames through the system loader (LD_LIBRARY_PATH, ldconfig);
/// 4. the CUDA toolkit and ROCm folders (/usr/local/cuda/lib64, /usr/local/cuda/targets/x86_64-linux/lib, /opt/rocm/lib);
/// 5. for the CUDA libraries NVIDIA ships as Python wheels, site-packages/nvidia/*/lib.
/// </summary>
public static class LibrarySearch
{
    /// <summary>The folder of Micro's own shims when they are not beside the executable (tests, scripts/build output).</summary>
    public const string NativeDirVariable = "MICRO_NATIVE_DIR";

    private static readonly string[] ToolkitDirectories = ["/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/opt/rocm/lib"];

    /// <summary>Step 2: beside the executable, beside Micro.Devices, then $MICRO_NATIVE_DIR.</summary>
    public static IEnumerable<string> MicroDirectories()
    {
        var dirs = new List<string> { AppContext.BaseDirectory };
        var asmDir = Path.GetDirectoryName(typeof(LibrarySearch).Assembly.Location);
        if (!string.IsNullOrEmpty(asmDir)) dirs.Add(asmDir);
        if (Environment.GetEnvironmentVariable(NativeDirVariable) is { Length: > 0 } env) dirs.Add(env);
        return dirs.Select(d => Path.GetFullPath(d)).Distinct(StringComparer.Ordinal);
    }

    /// <summary>Steps 4 and 5: toolkit folders, then the lib folders of NVIDIA's Python wheels.</summary>
    public static IEnumerable<string> VendorDirectories(bool pythonPackages)
    {
        foreach (var d in ToolkitDirectories) yield return d;
        if (!pythonPackages) yield break;
        foreach (var site in SitePackages())
        {
            var nvidia = Path.Combine(site, "nvidia");
            if (!Directory.Exists(nvidia)) continue;
            // CUDA 12 wheels: nvidia/<package>/lib; CUDA 13 wheels: nvidia/cu13/lib.
            string[] subdirs;
            try { subdirs = Directory.GetDirectories(nvidia); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            foreach (var pkg in subdirs.OrderByDescending(d => d, StringComparer.Ordinal))
            {
                var lib = Path.Combine(pkg, "lib");
                if (Directory.Exists(lib)) yield return lib;
            }
        }
    }

    /// <summary>site-packages / dist-packages folders of the Python installs Micro knows about ($MICRO_PYTHON_SITE first).</summary>
    public static IEnumerable<string> SitePackages()
    {
        var roots = new List<string>();
        var extra = Environment.GetEnvironmentVariable("MICRO_PYTHON_SITE");
        if (!string.IsNullOrEmpty(extra)) roots.AddRange(extra.Split(':', StringSplitOptions.RemoveEmptyEntries));
        var venv = Environment.GetEnvironmentVariable("VIRTUAL_ENV");
        foreach (var prefix in new[] { venv, "/opt/torch/.venv", "/usr/local", "/usr", Environment.GetEnvironmentVariable("HOME") is { } h ? Path.Combine(h, ".local") : null })
        {
            if (string.IsNullOrEmpty(prefix)) continue;
            var lib = Path.Combine(prefix, "lib");
            if (!Directory.Exists(lib)) continue;
            string[] pys;
            try { pys = Directory.GetDirectories(lib, "python3*"); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            foreach (var py in pys.OrderByDescending(p => p, StringComparer.Ordinal))
            {
                roots.Add(Path.Combine(py, "site-packages"));
                roots.Add(Path.Combine(py, "dist-packages"));
            }
        }
        return roots.Where(Directory.Exists).Distinct(StringComparer.Ordinal);
    }

    /// <summary>Candidates in the search order above. An explicit override (file or directory) is the only source when set.</summary>
    public static IReadOnlyList<string> Candidates(LibrarySpec spec, string? overrideValue)
    {
        var list = new List<string>();
        if (!string.IsNullOrEmpty(overrideValue))
        {
            if (Directory.Exists(overrideValue)) list.AddRange(spec.FileNames.Select(f => Path.Combine(overrideValue, f)));
            else list.Add(overrideValue);
            return list;
        }
        foreach (var dir in MicroDirectories())
            list.AddRange(spec.FileNames.Select(f => Path.Combine(dir, f)));
        // Bare sonames: the system loader honours LD_LIBRARY_PATH and ldconfig.
        list.AddRange(spec.FileNames);
        foreach (var dir in VendorDirectories(spec.SearchPythonPackages))
            list.AddRange(spec.FileNames.Select(f => Path.Combine(dir, f)));
        return list.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Where a failed search looked, for the one-line message.</summary>
    public static string Describe(LibrarySpec spec, string? overrideValue, string overrideName) =>
        !string.IsNullOrEmpty(overrideValue)
            ? $"{overrideName}={overrideValue}"
            : $"{string.Join(", ", spec.FileNames)} beside micro, in ${NativeDirVariable}, via the system loader, in /usr/local/cuda/lib64, /opt/rocm/lib"
              + (spec.SearchPythonPackages ? " and site-packages/nvidia/*/lib" : "");
}

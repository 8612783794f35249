namespace Micro.Devices.Native;

/// <summary>The ordered list of candidate files for a library: explicit override, system loader names, toolkit and Python package folders.</summary>
public static class LibrarySearch
{
    /// <summary>Directories where CUDA toolkits and NVIDIA's Python wheels put their .so files (existing ones only).</summary>
    public static IEnumerable<string> VendorDirectories(bool pythonPackages)
    {
        yield return "/usr/local/cuda/lib64";
        yield return "/usr/local/cuda/targets/x86_64-linux/lib";
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

    /// <summary>site-packages / dist-packages folders of the Python installs Micro knows about.</summary>
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

    /// <summary>Candidates in order. An explicit override (file or directory) comes first and, when set, is the only source.</summary>
    public static IReadOnlyList<string> Candidates(LibrarySpec spec, string? overrideValue)
    {
        var list = new List<string>();
        if (!string.IsNullOrEmpty(overrideValue))
        {
            if (Directory.Exists(overrideValue)) list.AddRange(spec.FileNames.Select(f => Path.Combine(overrideValue, f)));
            else list.Add(overrideValue);
            return list;
        }
        // Bare sonames first: the system loader honours LD_LIBRARY_PATH and ldconfig.
        list.AddRange(spec.FileNames);
        foreach (var dir in VendorDirectories(spec.SearchPythonPackages))
            list.AddRange(spec.FileNames.Select(f => Path.Combine(dir, f)));
        return list;
    }
}

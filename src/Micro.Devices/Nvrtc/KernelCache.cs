using System.Security.Cryptography;
using System.Text;

namespace Micro.Devices.Nvrtc;

/// <summary>
/// On-disk cache of compiled kernel images: $MICRO_CACHE_DIR or ~/.cache/micro/kernels, one file per
/// name/arch/hash. The hash covers the source, every header, the arch, the options and the NVRTC version, so a
/// changed input never reuses a stale image. A cache that cannot be read or written is skipped, never fatal.
/// </summary>
public static class KernelCache
{
    public static string Directory
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("MICRO_CACHE_DIR");
            if (!string.IsNullOrEmpty(env)) return Path.Combine(env, "kernels");
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".cache");
            return Path.Combine(root, "micro", "kernels");
        }
    }

    public static string Hash(string source, IReadOnlyList<(string IncludeName, string Text)> headers, string arch,
        IReadOnlyList<string> options, string compilerVersion)
    {
        var sb = new StringBuilder();
        sb.Append(compilerVersion).Append('\n').Append(arch).Append('\n').AppendJoin('\u0001', options).Append('\n');
        foreach (var (inc, text) in headers.OrderBy(h => h.IncludeName, StringComparer.Ordinal))
            sb.Append(inc).Append('\u0002').Append(text).Append('\u0003');
        sb.Append(source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
    }

    public static string PathFor(string name, string arch, string hash, string kind) =>
        Path.Combine(Directory, $"{Path.GetFileNameWithoutExtension(name)}-{arch}-{hash}.{kind}");

    public static bool TryRead(string name, string arch, string hash, out byte[] image, out string kind)
    {
        foreach (var k in new[] { "cubin", "ptx" })
        {
            var p = PathFor(name, arch, hash, k);
            try
            {
                if (File.Exists(p))
                {
                    image = File.ReadAllBytes(p);
                    kind = k;
                    if (image.Length > 0) return true;
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        image = [];
        kind = "";
        return false;
    }

    public static void Write(string name, string arch, string hash, byte[] image, string kind)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var final = PathFor(name, arch, hash, kind);
            var tmp = final + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(tmp, image);
            File.Move(tmp, final, overwrite: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

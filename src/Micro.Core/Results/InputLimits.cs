namespace Micro.Core.Results;

/// <summary>Bounds on untrusted input files so a huge or hostile file fails cleanly instead of exhausting memory.</summary>
public static class InputLimits
{
    public const long MaxFileBytes = 2L << 30;      // 2 GiB
    public const int MaxLineBytes = 64 << 20;       // 64 MiB for one JSON line (detailed vLLM files are one object)
    public const int MaxJsonDepth = 64;

    public static void CheckFileSize(string path, long max = MaxFileBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InputException(path, null, "file not found");
        if (info.Length > max) throw new InputException(path, null, $"file is {info.Length} bytes, more than the {max}-byte limit");
    }
}

using System.Runtime.InteropServices;

namespace Micro.Core.Input;

/// <summary>What a path is, without opening it (opening a FIFO blocks until a writer comes; following a symlink writes
/// wherever it points). .NET's FileInfo reports a FIFO, a device and an empty file alike, so this asks lstat/stat through
/// the runtime's own native shim (libSystem.Native, shipped with every .NET), whose mode bits are the same on every Unix.</summary>
public enum FileKind { Missing, Regular, Directory, Symlink, Fifo, CharacterDevice, BlockDevice, Socket, Unknown }

public static class FileKinds
{
    /// <summary>The kind of <paramref name="path"/> itself (a symlink is Symlink) or, with follow, of what it points to.</summary>
    public static FileKind Of(string path, bool follow = false)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return Fallback(path);
        var status = new byte[256];
        int rc;
        try { rc = follow ? Stat(path, status) : LStat(path, status); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return Fallback(path); }
        if (rc != 0) return FileKind.Missing;
        return (BitConverter.ToInt32(status, 4) & 0xF000) switch
        {
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x4000 => FileKind.Directory,
            0x6000 => FileKind.BlockDevice,
            0x8000 => FileKind.Regular,
            0xA000 => FileKind.Symlink,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
    }

    /// <summary>"a FIFO", "a symbolic link": the kind in words, for a message.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Symlink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    private static FileKind Fallback(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return FileKind.Symlink;
        if (Directory.Exists(path)) return FileKind.Directory;
        return info.Exists ? FileKind.Regular : FileKind.Missing;
    }

    // SystemNative_Stat/LStat fill a FileStatus whose second int32 is the mode (S_IFMT bits as in POSIX).
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);
}

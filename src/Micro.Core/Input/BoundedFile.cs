using System.Text;
using Micro.Core.Results;

namespace Micro.Core.Input;

/// <summary>
/// The one way Micro reads an input file: a regular file is checked by size first; anything (a device such as
/// /dev/zero, a pipe, a FIFO, a /proc file that states no size) is read through a counting stream that stops at the
/// limit and fails with one line. Limits are lowered by MICRO_INPUT_LIMIT_BYTES (InputLimits.Effective).
/// </summary>
public static class BoundedFile
{
    /// <summary>Pipes read once (process substitution, /dev/stdin): a second reader of the same path gets the same bytes.</summary>
    private static readonly Dictionary<string, byte[]> Pipes = new(StringComparer.Ordinal);

    public static Stream OpenRead(string path, long limit)
    {
        var max = InputLimits.Effective(limit);
        InputLimits.CheckFileSize(path, max);
        var kind = FileKinds.Of(path, follow: true);
        if (kind is FileKind.Fifo or FileKind.Socket)
        {
            // A pipe gives its bytes once: a reader that looks at the head first (compare) and then reads the whole file
            // must not find it empty the second time.
            byte[]? cached;
            lock (Pipes) Pipes.TryGetValue(path, out cached);
            if (cached is null)
            {
                if (!path.StartsWith("/dev/", StringComparison.Ordinal) && !path.StartsWith("/proc/", StringComparison.Ordinal))
                    Console.Error.WriteLine($"micro: {Text.ConsoleText.OneLine(path)} is a FIFO: reading it (waiting for a writer if none has opened it yet)");
                using var once = Open(path, max);
                var buffer = new MemoryStream();
                once.CopyTo(buffer);
                cached = buffer.ToArray();
                lock (Pipes) Pipes[path] = cached;
            }
            if (cached.Length > max) throw new InputException(path, null, $"grew past the {InputLimits.Describe(max)} input limit while being read");
            return new LimitedStream(new MemoryStream(cached, writable: false), path, max, cached.Length);
        }
        return Open(path, max);
    }

    private static LimitedStream Open(string path, long max)
    {
        FileStream fs;
        try { fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16); }
        catch (UnauthorizedAccessException) { throw new InputException(path, null, "permission denied"); }
        catch (IOException e) { throw new InputException(path, null, "cannot be opened (" + e.Message + ")", e); }
        long stated = 0;
        try { if (fs.CanSeek) stated = fs.Length; }
        catch (IOException) { }
        return new LimitedStream(fs, path, max, stated);
    }

    /// <summary>The whole file; a buffer never grows past the limit (+1 byte to detect "more"), so /dev/zero costs at most 1.5 x the limit.</summary>
    public static byte[] ReadAllBytes(string path, long limit)
    {
        using var s = (LimitedStream)OpenRead(path, limit);
        var max = s.Max;
        var buffer = new byte[(int)Math.Min(s.StatedLength > 0 ? s.StatedLength : 1 << 16, Math.Min(max, Array.MaxLength))];
        var length = 0;
        Span<byte> probe = stackalloc byte[1];
        while (true)
        {
            if (length == buffer.Length)
            {
                // Full: a regular file read to its stated size ends here without a copy.
                var extra = s.Read(probe);
                if (extra == 0) return buffer;
                var grown = new byte[(int)Math.Min(Math.Max(2L * buffer.Length, 1 << 16), Math.Min(max + 1, Array.MaxLength))];
                buffer.AsSpan().CopyTo(grown);
                grown[length++] = probe[0];
                buffer = grown;
            }
            var n = s.Read(buffer, length, buffer.Length - length);
            if (n == 0) break;
            length += n;
        }
        return length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
    }

    public static string ReadAllText(string path, long limit)
    {
        var bytes = ReadAllBytes(path, limit);
        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        return Encoding.UTF8.GetString(span);
    }

    /// <summary>Lines read one at a time (never the whole file), each at most maxLine characters.</summary>
    public static IEnumerable<string> ReadLines(string path, long limit, int maxLine = InputLimits.MaxLineBytes)
    {
        using var reader = new StreamReader(OpenRead(path, limit), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        var lineNo = 0;
        while (ReadLine(reader, path, ++lineNo, maxLine) is { } line) yield return line;
    }

    /// <summary>One line ('\n' or "\r\n"), refused past maxLine characters so a file without newlines cannot grow one string.</summary>
    public static string? ReadLine(TextReader reader, string path, int lineNo, int maxLine = InputLimits.MaxLineBytes)
    {
        maxLine = InputLimits.Effective(maxLine);
        var sb = new StringBuilder();
        int c;
        var any = false;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (c == '\n') break;
            sb.Append((char)c);
            if (sb.Length > maxLine) throw new InputException(path, $"line {lineNo}", $"line longer than the {InputLimits.Describe(maxLine)} limit");
        }
        if (!any) return null;
        if (sb.Length > 0 && sb[^1] == '\r') sb.Length--;
        return sb.ToString();
    }

    /// <summary>Counts what is read and fails one byte past the limit, whatever the file says its size is.</summary>
    private sealed class LimitedStream(Stream inner, string path, long max, long stated) : Stream
    {
        private long _read;
        public long StatedLength => stated;
        public long Max => max;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var allowed = (int)Math.Min(buffer.Length, max + 1 - _read);
            int n;
            try { n = inner.Read(buffer[..Math.Max(allowed, 1)]); }
            catch (IOException e) { throw new InputException(path, null, "read failed (" + e.Message + ")", e); }
            _read += n;
            if (_read > max)
                throw new InputException(path, null, stated == 0
                    ? $"not a regular file (a device, pipe or FIFO states no size) and it gave more than the {InputLimits.Describe(max)} input limit; stopped reading there"
                    : $"grew past the {InputLimits.Describe(max)} input limit while being read");
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

namespace Micro.Suites.Gemm;

/// <summary>
/// Which operand set the next GEMM uses, and which sets hold a computed C since the last poison. The cursor carries
/// over between timed iterations: restarting at set 0 every iteration left the last sets unwritten whenever one
/// iteration ran fewer GEMMs than there are sets (bf16 1024^3 on H100: 7 repetitions, 8 sets, one set never computed).
/// </summary>
public sealed class OperandRotation
{
    private readonly bool[] _written;
    private int _next;

    public OperandRotation(int sets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sets, 1);
        _written = new bool[sets];
    }

    public int Sets => _written.Length;

    /// <summary>The set for the next GEMM; it counts as written from here on.</summary>
    public int Next()
    {
        var s = _next;
        _next = (_next + 1) % _written.Length;
        _written[s] = true;
        return s;
    }

    /// <summary>Every C was just refilled with NaN: nothing is written any more.</summary>
    public void Poisoned() => Array.Clear(_written);

    /// <summary>The sets whose C a GEMM wrote since the last poison: the only ones Verify may check.</summary>
    public IReadOnlyList<int> Written => Enumerable.Range(0, _written.Length).Where(i => _written[i]).ToArray();
}

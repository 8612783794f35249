using ILGPU;
using ILGPU.Runtime;

namespace Micro.Suites.Attention.Ilgpu;

public struct DecodeArgs
{
    public int HeadsQ, HeadsKv, HeadDim, Context, BlockSize, BlocksPerSequence, Splits, SplitLen, DType;
    public float Scale;
}

public struct CombineArgs
{
    public int Splits, Width;
}

/// <summary>
/// GQA decode (flash-decoding). One group per (sequence, KV head, split), one warp per query head of the KV head's
/// group (the warps read the same K/V rows: L1 reuse). Tiles of 32 tokens: lane j scores token j against q held in
/// shared memory (8-byte loads of 16-bit K, dot hand-unrolled by 8), the tile max and probabilities go through shared
/// memory, then lane L accumulates V for its HeadDim/32 consecutive dims (one 8-byte load per row for D = 128).
/// No warp shuffles: two group barriers per 32 tokens, which also keeps the CPU emulator (where every
/// synchronization is a thread rendezvous) fast enough for CI. Online softmax in fp32.
/// With one split the kernel writes O; with several, normalized partials plus log-sum-exp for Combine.
/// </summary>
public static class DecodeKernels
{
    public const int Tile = 32;
    public const int MaxWarps = 16;
    public const int MaxHeadDim = 128;

    public static void Decode(DecodeArgs a, ArrayView<float> q, ArrayView<float> kf, ArrayView<ushort> kh,
        ArrayView<float> vf, ArrayView<ushort> vh, ArrayView<int> table,
        ArrayView<float> partO, ArrayView<float> partLse, ArrayView<float> o)
    {
        var qs = SharedMemory.Allocate<float>(MaxWarps * MaxHeadDim);
        var ss = SharedMemory.Allocate<float>(MaxWarps * Tile);
        var ps = SharedMemory.Allocate<float>(MaxWarps * Tile);
        // Row indices are double-buffered: the next tile writes them while slower lanes may still read this tile's.
        var rs = SharedMemory.Allocate<int>(2 * MaxWarps * Tile);
        int g = Grid.IdxX;
        int split = g % a.Splits;
        int bk = g / a.Splits;
        int kvh = bk % a.HeadsKv;
        int b = bk / a.HeadsKv;
        int warp = Group.IdxX >> 5;
        int lane = Group.IdxX & 31;
        int h = kvh * (a.HeadsQ / a.HeadsKv) + warp;
        int d = a.HeadDim;
        int n = d >> 5;
        int d0 = lane * n;
        int qOff = warp * MaxHeadDim;
        int tOff = warp * Tile;

        long row = (long)b * a.HeadsQ + h;
        for (int i = lane; i < d; i += 32) qs[qOff + i] = q[row * d + i] * a.Scale;
        Group.Barrier();

        long rowStride = (long)a.HeadsKv * d;
        long headOff = (long)kvh * d;
        float m = float.NegativeInfinity, l = 0f, o0 = 0f, o1 = 0f, o2 = 0f, o3 = 0f;
        int start = split * a.SplitLen;
        int end = Math.Min(a.Context, start + a.SplitLen);
        for (int tile = start, iter = 0; tile < end; tile += Tile, iter++)
        {
            int rOff = ((iter & 1) * MaxWarps + warp) * Tile;
            int t = tile + lane;
            float s = float.NegativeInfinity;
            if (t < end)
            {
                int r = table[b * a.BlocksPerSequence + t / a.BlockSize] * a.BlockSize + t % a.BlockSize;
                rs[rOff + lane] = r;
                s = KvLoad.Dot(qs, qOff, kf, kh, r * rowStride + headOff, d, a.DType);
            }
            ss[tOff + lane] = s;
            Group.Barrier();
            float mn = KvLoad.Max32(ss, tOff, m);
            float c = KvLoad.Rescale(m, mn);
            ps[tOff + lane] = KvLoad.Prob(s, mn);
            Group.Barrier();
            l *= c; o0 *= c; o1 *= c; o2 *= c; o3 *= c;
            int count = Math.Min(Tile, end - tile);
            int j = 0;
            for (; j + 1 < count; j += 2)
            {
                float p0 = ps[tOff + j], p1 = ps[tOff + j + 1];
                long i0 = rs[rOff + j] * rowStride + headOff + d0;
                long i1 = rs[rOff + j + 1] * rowStride + headOff + d0;
                Lane(vf, vh, i0, n, a.DType, out var v00, out var v01, out var v02, out var v03);
                Lane(vf, vh, i1, n, a.DType, out var v10, out var v11, out var v12, out var v13);
                l += p0 + p1;
                o0 += p0 * v00 + p1 * v10;
                o1 += p0 * v01 + p1 * v11;
                o2 += p0 * v02 + p1 * v12;
                o3 += p0 * v03 + p1 * v13;
            }
            if (j < count)
            {
                float p0 = ps[tOff + j];
                Lane(vf, vh, rs[rOff + j] * rowStride + headOff + d0, n, a.DType, out var v00, out var v01, out var v02, out var v03);
                l += p0;
                o0 += p0 * v00; o1 += p0 * v01; o2 += p0 * v02; o3 += p0 * v03;
            }
            m = mn;
        }

        float inv = 1f / l;
        long oi = a.Splits == 1 ? row * d + d0 : (row * a.Splits + split) * d + d0;
        var dst = a.Splits == 1 ? o : partO;
        dst[oi] = o0 * inv;
        if (n > 1) dst[oi + 1] = o1 * inv;
        if (n > 2) { dst[oi + 2] = o2 * inv; dst[oi + 3] = o3 * inv; }
        if (a.Splits > 1 && lane == 0) partLse[row * a.Splits + split] = m + MathF.Log(l);
    }

    /// <summary>A lane's n (1, 2 or 4) consecutive V elements at i; the rest zero.</summary>
    private static void Lane(ArrayView<float> f, ArrayView<ushort> h, long i, int n, int dtype,
        out float x0, out float x1, out float x2, out float x3)
    {
        if (n == 4)
        {
            KvLoad.Four(f, h, i, dtype, out x0, out x1, out x2, out x3);
            return;
        }
        x2 = 0f; x3 = 0f;
        x0 = KvLoad.One(f, h, i, dtype);
        x1 = n > 1 ? KvLoad.One(f, h, i + 1, dtype) : 0f;
    }

    /// <summary>Merges split partials: O = sum_s exp(lse_s - M) O_s / sum_s exp(lse_s - M). One thread per output element.</summary>
    public static void Combine(Index1D i, CombineArgs a, ArrayView<float> partO, ArrayView<float> partLse, ArrayView<float> o)
    {
        long row = i / a.Width;
        int d = (int)(i % a.Width);
        float mx = float.NegativeInfinity;
        for (int s = 0; s < a.Splits; s++) mx = Math.Max(mx, partLse[row * a.Splits + s]);
        float wsum = 0f, acc = 0f;
        for (int s = 0; s < a.Splits; s++)
        {
            float w = MathF.Exp(partLse[row * a.Splits + s] - mx);
            wsum += w;
            acc += w * partO[(row * a.Splits + s) * a.Width + d];
        }
        o[i] = acc / wsum;
    }
}

using ILGPU;

namespace Micro.Suites.Attention.Ilgpu;

public struct PrefillArgs
{
    public int SeqLen, HeadsQ, HeadsKv, HeadDim, Causal, DType, Tiles;
    public float Scale;
}

/// <summary>
/// Prefill attention, online-softmax tiled: one group of 8 warps per (sequence, query head, 8 query rows), one warp per
/// query row. Per tile of 32 keys the group stages K (row stride HeadDim + 1: conflict-free column reads) and V as fp32
/// in shared memory; lane j scores key j against the warp's q (shared), the tile max and probabilities pass through
/// shared memory, and lane L accumulates V for its HeadDim/32 consecutive dims. No warp shuffles (four group barriers
/// per key tile). Causal rows mask keys past their own position. HeadDim <= 128 and a multiple of 32.
/// This is the portable CUDA-core path; the native kernel uses tensor cores.
/// </summary>
public static class PrefillKernels
{
    public const int RowsPerGroup = 8;
    public const int Tile = 32;
    public const int MaxHeadDim = 128;

    public static void Prefill(PrefillArgs a, ArrayView<float> q, ArrayView<float> kf, ArrayView<ushort> kh,
        ArrayView<float> vf, ArrayView<ushort> vh, ArrayView<float> o)
    {
        var ks = SharedMemory.Allocate<float>(Tile * (MaxHeadDim + 1));
        var vs = SharedMemory.Allocate<float>(Tile * MaxHeadDim);
        var qs = SharedMemory.Allocate<float>(RowsPerGroup * MaxHeadDim);
        var ss = SharedMemory.Allocate<float>(RowsPerGroup * Tile);
        var ps = SharedMemory.Allocate<float>(RowsPerGroup * Tile);
        int g = Grid.IdxX;
        int tile = g % a.Tiles;
        int bh = g / a.Tiles;
        int h = bh % a.HeadsQ;
        int b = bh / a.HeadsQ;
        int kvh = h / (a.HeadsQ / a.HeadsKv);
        int warp = Group.IdxX >> 5;
        int lane = Group.IdxX & 31;
        int d = a.HeadDim;
        int kStride = d + 1;
        int n = d >> 5;
        int d0 = lane * n;
        int qRow = tile * RowsPerGroup + warp;
        bool valid = qRow < a.SeqLen;
        int qOff = warp * MaxHeadDim;
        int tOff = warp * Tile;

        long qBase = (((long)b * a.SeqLen + qRow) * a.HeadsQ + h) * d;
        for (int i = lane; i < d; i += 32) qs[qOff + i] = valid ? q[qBase + i] * a.Scale : 0f;

        int lastRow = Math.Min(a.SeqLen, (tile + 1) * RowsPerGroup);
        int keyEnd = a.Causal != 0 ? lastRow : a.SeqLen;
        int rowKeys = !valid ? 0 : a.Causal != 0 ? qRow + 1 : a.SeqLen;
        float m = float.NegativeInfinity, l = 0f, o0 = 0f, o1 = 0f, o2 = 0f, o3 = 0f;
        for (int kt = 0; kt < keyEnd; kt += Tile)
        {
            Group.Barrier();
            for (int e = Group.IdxX; e < Tile * d; e += Group.DimX)
            {
                int key = kt + e / d;
                int dim = e % d;
                long src = (((long)b * a.SeqLen + key) * a.HeadsKv + kvh) * d + dim;
                bool inRange = key < a.SeqLen;
                ks[(e / d) * kStride + dim] = inRange ? KvLoad.One(kf, kh, src, a.DType) : 0f;
                vs[e] = inRange ? KvLoad.One(vf, vh, src, a.DType) : 0f;
            }
            Group.Barrier();

            float s = float.NegativeInfinity;
            if (kt + lane < rowKeys)
            {
                int kOff = lane * kStride;
                float s0 = 0f, s1 = 0f;
                for (int i = 0; i < d; i += 4)
                {
                    s0 += qs[qOff + i] * ks[kOff + i] + qs[qOff + i + 1] * ks[kOff + i + 1];
                    s1 += qs[qOff + i + 2] * ks[kOff + i + 2] + qs[qOff + i + 3] * ks[kOff + i + 3];
                }
                s = s0 + s1;
            }
            ss[tOff + lane] = s;
            Group.Barrier();
            float mn = KvLoad.Max32(ss, tOff, m);
            float c = KvLoad.Rescale(m, mn);
            ps[tOff + lane] = KvLoad.Prob(s, mn);
            Group.Barrier();

            l *= c; o0 *= c; o1 *= c; o2 *= c; o3 *= c;
            int count = Math.Max(0, Math.Min(Tile, rowKeys - kt));
            int j = 0;
            for (; j + 1 < count; j += 2)
            {
                float p0 = ps[tOff + j], p1 = ps[tOff + j + 1];
                int e0 = j * d + d0, e1 = e0 + d;
                l += p0 + p1;
                o0 += p0 * vs[e0] + p1 * vs[e1];
                if (n > 1) o1 += p0 * vs[e0 + 1] + p1 * vs[e1 + 1];
                if (n > 2)
                {
                    o2 += p0 * vs[e0 + 2] + p1 * vs[e1 + 2];
                    o3 += p0 * vs[e0 + 3] + p1 * vs[e1 + 3];
                }
            }
            if (j < count)
            {
                float p0 = ps[tOff + j];
                int e0 = j * d + d0;
                l += p0;
                o0 += p0 * vs[e0];
                if (n > 1) o1 += p0 * vs[e0 + 1];
                if (n > 2) { o2 += p0 * vs[e0 + 2]; o3 += p0 * vs[e0 + 3]; }
            }
            m = mn;
        }
        if (!valid) return;
        float inv = 1f / l;
        long oi = qBase + d0;
        o[oi] = o0 * inv;
        if (n > 1) o[oi + 1] = o1 * inv;
        if (n > 2) { o[oi + 2] = o2 * inv; o[oi + 3] = o3 * inv; }
    }
}

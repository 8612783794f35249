using ILGPU;

namespace Micro.Suites.Attention.Ilgpu;

public struct MlaArgs
{
    public int Heads, LatentRank, RopeDim, Context, BlockSize, BlocksPerSequence, Splits, SplitLen, DType, HeadBlocks;
    public float Scale;
}

/// <summary>
/// MLA decode with absorbed queries. One group of 4 warps per (sequence, 4 heads, split); all warps read the same latent
/// rows (one shared KV "head"). Tiles of 32 tokens: lane j scores token j over the whole row (latent + rope, 8-byte
/// loads) against the warp's q in shared memory; probabilities pass through shared memory; lane L accumulates its
/// kv_lora_rank/32 consecutive latent dims (<= 16, kept in a local array: ILGPU places it in local memory, so this is
/// the portable reference path, not the fast one). Row widths must be multiples of 8, kv_lora_rank of 128.
/// </summary>
public static class MlaKernels
{
    public const int WarpsPerGroup = 4;
    public const int Tile = 32;
    public const int MaxLatentPerLane = 16;
    public const int MaxRow = 32 * MaxLatentPerLane + 64;

    public static void Decode(MlaArgs a, ArrayView<float> qLat, ArrayView<float> qRope, ArrayView<float> cf,
        ArrayView<ushort> ch, ArrayView<int> table, ArrayView<float> partO, ArrayView<float> partLse, ArrayView<float> o)
    {
        var qs = SharedMemory.Allocate<float>(WarpsPerGroup * MaxRow);
        var ss = SharedMemory.Allocate<float>(WarpsPerGroup * Tile);
        var ps = SharedMemory.Allocate<float>(WarpsPerGroup * Tile);
        // Row indices are double-buffered: the next tile writes them while slower lanes may still read this tile's.
        var rs = SharedMemory.Allocate<int>(2 * WarpsPerGroup * Tile);
        int g = Grid.IdxX;
        int split = g % a.Splits;
        int rest = g / a.Splits;
        int hb = rest % a.HeadBlocks;
        int b = rest / a.HeadBlocks;
        int warp = Group.IdxX >> 5;
        int lane = Group.IdxX & 31;
        int h = hb * WarpsPerGroup + warp;
        bool valid = h < a.Heads;
        int width = a.LatentRank + a.RopeDim;
        int qOff = warp * MaxRow;
        int tOff = warp * Tile;
        long row = (long)b * a.Heads + h;
        for (int i = lane; i < width; i += 32)
            qs[qOff + i] = !valid ? 0f : i < a.LatentRank ? qLat[row * a.LatentRank + i] * a.Scale : qRope[row * a.RopeDim + i - a.LatentRank] * a.Scale;
        Group.Barrier();

        int nl = a.LatentRank >> 5;
        int d0 = lane * nl;
        var acc = LocalMemory.Allocate<float>(MaxLatentPerLane);
        for (int i = 0; i < MaxLatentPerLane; i++) acc[i] = 0f;
        float m = float.NegativeInfinity, l = 0f;
        int start = split * a.SplitLen;
        int end = Math.Min(a.Context, start + a.SplitLen);
        for (int tile = start, iter = 0; tile < end; tile += Tile, iter++)
        {
            int rOff = ((iter & 1) * WarpsPerGroup + warp) * Tile;
            int t = tile + lane;
            float s = float.NegativeInfinity;
            if (t < end)
            {
                int r = table[b * a.BlocksPerSequence + t / a.BlockSize] * a.BlockSize + t % a.BlockSize;
                rs[rOff + lane] = r;
                s = KvLoad.Dot(qs, qOff, cf, ch, (long)r * width, width, a.DType);
            }
            ss[tOff + lane] = s;
            Group.Barrier();
            float mn = KvLoad.Max32(ss, tOff, m);
            float c = KvLoad.Rescale(m, mn);
            ps[tOff + lane] = KvLoad.Prob(s, mn);
            Group.Barrier();
            l *= c;
            for (int i = 0; i < nl; i++) acc[i] *= c;
            int count = Math.Min(Tile, end - tile);
            for (int j = 0; j < count; j++)
            {
                float p = ps[tOff + j];
                long ci = (long)rs[rOff + j] * width + d0;
                l += p;
                for (int i = 0; i < nl; i += 4)
                {
                    KvLoad.Four(cf, ch, ci + i, a.DType, out var x0, out var x1, out var x2, out var x3);
                    acc[i] += p * x0; acc[i + 1] += p * x1; acc[i + 2] += p * x2; acc[i + 3] += p * x3;
                }
            }
            m = mn;
        }
        if (!valid) return;
        float inv = 1f / l;
        long oi = a.Splits == 1 ? row * a.LatentRank + d0 : (row * a.Splits + split) * a.LatentRank + d0;
        var dst = a.Splits == 1 ? o : partO;
        for (int i = 0; i < nl; i++) dst[oi + i] = acc[i] * inv;
        if (a.Splits > 1 && lane == 0) partLse[row * a.Splits + split] = m + MathF.Log(l);
    }
}

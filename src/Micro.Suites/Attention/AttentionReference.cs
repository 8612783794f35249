namespace Micro.Suites.Attention;

/// <summary>
/// CPU reference in double precision, one output row at a time (so large runs can check sampled rows).
/// Reads the same stored values (fp32, or decoded fp16/bf16 bits) the kernels read.
/// </summary>
public static class AttentionReference
{
    /// <summary>Decode row (b, h): softmax(q . K^T * scale) V over the sequence's context, through its block table.</summary>
    public static double[] DecodeRow(DecodeShape s, HostTensor q, HostTensor k, HostTensor v, int[] table, int b, int h)
    {
        var d = s.HeadDim;
        var kvh = h / s.Group;
        var scale = 1.0 / Math.Sqrt(d);
        var qOff = ((long)b * s.HeadsQ + h) * d;
        var scores = new double[s.Context];
        for (var t = 0; t < s.Context; t++)
        {
            var kOff = (Row(table, s.BlocksPerSequence, s.EffectiveBlockSize, b, t) * s.HeadsKv + kvh) * d;
            double dot = 0;
            for (var i = 0; i < d; i++) dot += q[qOff + i] * k[kOff + i];
            scores[t] = dot * scale;
        }
        return Combine(scores, t => (Row(table, s.BlocksPerSequence, s.EffectiveBlockSize, b, t) * s.HeadsKv + kvh) * d, v, d);
    }

    /// <summary>MLA row (b, h): score = q_lat . c[:R] + q_rope . c[R:], output = softmax . c[:R].</summary>
    public static double[] MlaRow(MlaDecodeShape s, HostTensor qLat, HostTensor qRope, HostTensor cache, int[] table, int b, int h)
    {
        var r = s.LatentRank;
        var qo = ((long)b * s.Heads + h) * r;
        var qr = ((long)b * s.Heads + h) * s.RopeDim;
        var scores = new double[s.Context];
        for (var t = 0; t < s.Context; t++)
        {
            var c = Row(table, s.BlocksPerSequence, s.EffectiveBlockSize, b, t) * s.RowWidth;
            double dot = 0;
            for (var i = 0; i < r; i++) dot += qLat[qo + i] * cache[c + i];
            for (var i = 0; i < s.RopeDim; i++) dot += qRope[qr + i] * cache[c + r + i];
            scores[t] = dot * s.SoftmaxScale;
        }
        return Combine(scores, t => Row(table, s.BlocksPerSequence, s.EffectiveBlockSize, b, t) * s.RowWidth, cache, r);
    }

    /// <summary>Prefill row (b, position i, h); causal rows see keys 0..i.</summary>
    public static double[] PrefillRow(PrefillShape s, HostTensor q, HostTensor k, HostTensor v, int b, int i, int h)
    {
        var d = s.HeadDim;
        var kvh = h / s.Group;
        var scale = 1.0 / Math.Sqrt(d);
        var qOff = (((long)b * s.SeqLen + i) * s.HeadsQ + h) * d;
        var keys = s.Causal ? i + 1 : s.SeqLen;
        var scores = new double[keys];
        for (var t = 0; t < keys; t++)
        {
            var kOff = (((long)b * s.SeqLen + t) * s.HeadsKv + kvh) * d;
            double dot = 0;
            for (var j = 0; j < d; j++) dot += q[qOff + j] * k[kOff + j];
            scores[t] = dot * scale;
        }
        return Combine(scores, t => (((long)b * s.SeqLen + t) * s.HeadsKv + kvh) * d, v, d);
    }

    private static long Row(int[] table, int blocksPerSequence, int blockSize, int b, int t) =>
        (long)table[b * blocksPerSequence + t / blockSize] * blockSize + t % blockSize;

    private static double[] Combine(double[] scores, Func<int, long> valueOffset, HostTensor v, int width)
    {
        var max = scores.Max();
        double sum = 0;
        var o = new double[width];
        for (var t = 0; t < scores.Length; t++)
        {
            var p = Math.Exp(scores[t] - max);
            sum += p;
            var off = valueOffset(t);
            for (var i = 0; i < width; i++) o[i] += p * v[off + i];
        }
        for (var i = 0; i < width; i++) o[i] /= sum;
        return o;
    }
}

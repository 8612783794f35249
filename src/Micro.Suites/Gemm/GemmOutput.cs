using System.Runtime.InteropServices;

namespace Micro.Suites.Gemm;

/// <summary>Reads GEMM outputs copied back from the device, in the output type of the precision (fp8 GEMMs write bf16).</summary>
public static class GemmOutput
{
    public static float Read(byte[] host, long index, GemmDType t) => t.OutputStorage switch
    {
        Devices.Cublas.CudaDataType.R16BF => BFloat16.ToFloat(BitConverter.ToUInt16(host, checked((int)(index * 2)))),
        Devices.Cublas.CudaDataType.R16F => (float)BitConverter.ToHalf(host, checked((int)(index * 2))),
        _ => BitConverter.ToSingle(host, checked((int)(index * 4))),
    };

    /// <summary>Outputs that are NaN or infinite: with C poisoned to NaN first, each is one the GEMM never wrote.</summary>
    public static long CountNonFinite(byte[] host, GemmDType t)
    {
        long n = 0;
        if (t.OutputBytes == 2)
        {
            // bf16 and fp16 alike: all exponent bits set (bf16 0x7F80, fp16 0x7C00) means inf or NaN.
            var mask = t.OutputStorage == Devices.Cublas.CudaDataType.R16BF ? (ushort)0x7F80 : (ushort)0x7C00;
            foreach (var h in MemoryMarshal.Cast<byte, ushort>(host)) if ((h & mask) == mask) n++;
        }
        else
            foreach (var f in MemoryMarshal.Cast<byte, float>(host)) if (!float.IsFinite(f)) n++;
        return n;
    }
}

using Micro.Suites.Memory;
using Micro.Suites.Memory.Backends;

namespace Micro.Gpu.Tests;

/// <summary>The PTX check clang-16's and NVRTC's output of kernels/stream.cu must both pass.</summary>
internal static class StreamPtx
{
    /// <summary>Every variant the tuner may pick exists, and its array loads and stores are all 16-byte (only the per-block partial is a scalar store).</summary>
    public static void AssertVectorAccesses(string ptx)
    {
        foreach (var k in Enum.GetValues<StreamKernel>())
        foreach (var config in NativeStreamConfig.CandidatesFor(k).DistinctBy(c => c.FunctionName(k)))
        {
            var kernel = config.FunctionName(k);
            var start = ptx.IndexOf($".entry {kernel}(", StringComparison.Ordinal);
            Assert.True(start >= 0, kernel);
            var end = ptx.IndexOf(".entry ", start + 7, StringComparison.Ordinal);
            var body = end < 0 ? ptx[start..] : ptx[start..end];
            Assert.DoesNotMatch(@"ld\.global(\.nc)?\.(f32|v2)", body);
            if (k != StreamKernel.Write) Assert.Matches(@"ld\.global(\.nc)?\.v4\.f32", body);
            if (k is not (StreamKernel.Read or StreamKernel.Dot))
            {
                Assert.Contains(config.Stores == NativeStores.Streaming ? "st.global.cs.v4.f32" : "st.global.v4.f32", body);
                Assert.DoesNotContain("st.global.f32", body);
            }
        }
    }
}

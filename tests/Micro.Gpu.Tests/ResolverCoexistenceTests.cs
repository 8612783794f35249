using Micro.Devices.Cuda;
using Micro.Devices.Host;
using Micro.Devices.Native;
using Micro.Devices.Nvrtc;

namespace Micro.Gpu.Tests;

/// <summary>The vendor-library resolution must coexist with the native-shim resolver of the same assembly, in either order.</summary>
public class ResolverCoexistenceTests
{
    [Fact]
    public void Vendor_bindings_work_after_the_shim_resolver_is_installed()
    {
        NativeShims.EnsureResolver();
        NativeLibraries.EnsureRegistered();
        NativeShims.EnsureResolver();
        // Goes through a [LibraryImport] of micro-cuda: resolves to libcuda, or falls back to a name when it is absent.
        var (name, _) = Cu.Describe(2);
        Assert.False(string.IsNullOrEmpty(name));
        // Likewise micro-nvrtc: the library's own name for code 6 when present, the nvrtc.h name otherwise.
        Assert.Contains("COMPILATION", NvrtcCompiler.Describe(6), StringComparison.OrdinalIgnoreCase);
    }
}

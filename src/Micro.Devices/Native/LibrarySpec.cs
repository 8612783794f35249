namespace Micro.Devices.Native;

/// <summary>
/// How to find one vendor library at run time.
/// </summary>
/// <param name="Logical">The name used in [LibraryImport] (e.g. "micro-cuda").</param>
/// <param name="Display">What a person calls it ("CUDA driver", "NVRTC").</param>
/// <param name="FileNames">Sonames to try in order (e.g. libnvrtc.so.13 then libnvrtc.so.12).</param>
/// <param name="PathVariable">Environment variable holding an explicit file or directory (e.g. MICRO_NVRTC_PATH).</param>
/// <param name="SearchPythonPackages">Also look in site-packages/nvidia/*/lib of the Python installs on this machine.</param>
/// <param name="Companions">Libraries loaded from the same directory first (cuBLASLt before cuBLAS, NVRTC builtins).</param>
public sealed record LibrarySpec(
    string Logical,
    string Display,
    IReadOnlyList<string> FileNames,
    string PathVariable,
    bool SearchPythonPackages,
    IReadOnlyList<string> Companions);

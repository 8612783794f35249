namespace Micro.Devices.Native;

/// <summary>
/// How to find one native library at run time (a vendor library or one of Micro's own libmicro_* shims).
/// </summary>
/// <param name="Logical">The name used in [LibraryImport] (e.g. "micro-cuda", "micro_coll").</param>
/// <param name="Display">What a person calls it ("CUDA driver", "NVRTC").</param>
/// <param name="FileNames">Sonames to try in order (e.g. libnvrtc.so.13 then libnvrtc.so.12).</param>
/// <param name="PathVariable">Environment variable holding an explicit file or directory: MICRO_&lt;LIB&gt;_PATH.</param>
/// <param name="SearchPythonPackages">Also look in site-packages/nvidia/*/lib of the Python installs on this machine.</param>
/// <param name="Companions">Libraries loaded from the same directory first (cuBLASLt before cuBLAS, NVRTC builtins).</param>
/// <param name="EntryPoint">A function every genuine library of this kind exports: an override without it is not this library.</param>
public sealed record LibrarySpec(
    string Logical,
    string Display,
    IReadOnlyList<string> FileNames,
    string PathVariable,
    bool SearchPythonPackages,
    IReadOnlyList<string> Companions,
    string EntryPoint);

/// <summary>One library this process loaded: which one, and the file it came from.</summary>
public sealed record LoadedLibrary(string Logical, string Display, string Path);

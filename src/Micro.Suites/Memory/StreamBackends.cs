using Micro.Suites.Memory.Backends;

namespace Micro.Suites.Memory;

/// <summary>The stream backends `micro memory --backend` chooses from; a new backend adds one line here.</summary>
public static class StreamBackends
{
    public static readonly IReadOnlyList<IStreamBackendProvider> Providers =
    [
        new HostStreamProvider(),
        new IlgpuStreamProvider(),
        new NativeStreamProvider(),
    ];

    public static IStreamBackendProvider? Find(string name) =>
        Providers.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", Providers.Select(p => p.Name));
}

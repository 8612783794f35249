using Micro.Suites.Memory;
using Micro.Suites.Running;

namespace Micro.Suites;

/// <summary>Every suite `micro run` runs, in order; a new suite adds one line here.</summary>
public static class SuiteCatalog
{
    public static IReadOnlyList<ISuite> All { get; } =
    [
        new MemorySuite(),
        new Link.LinkSuite(),
        new Gemm.GemmSuite(),
        new Launch.LaunchSuite(),
        // Default shapes on a GPU; without one, the tiny emulator shapes (seconds, labelled "emulator, not a ceiling").
        new Attention.AttentionSuite(),
        new Collectives.CollectivesSuite(),
    ];

    public static ISuite? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", All.Select(s => s.Name));
}

namespace Micro.Core.Hardware;

/// <summary>
/// The GPUs that one scale-up interconnect joins in the system a datasheet entry describes (an HGX or OAM baseboard: 8;
/// an NVL72 rack: 72; an NVLink bridge: 2), with where that figure comes from. A collective over more ranks leaves it:
/// over PCIe between the cards of one server, or over the network between servers, which no datasheet states.
/// </summary>
public sealed record ScaleUpDomain(int Gpus, string Source)
{
    /// <summary>Cards one PCIe server holds at most, for parts without a scale-up interconnect or past their bridge:
    /// an assumption (4 to 10 is common), stated wherever it decides anything.</summary>
    public const int PcieServerGpus = 8;
}

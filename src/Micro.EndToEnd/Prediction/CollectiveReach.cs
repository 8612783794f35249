using System.Globalization;
using Micro.Core.Hardware;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// The link an unmeasured collective over some ranks runs at: the datasheet's scale-up interconnect inside its domain
/// (an HGX baseboard's 8 GPUs, an NVL72 rack), PCIe between the cards of one server past it, else nothing: the network
/// between servers is on no datasheet, so such a collective needs measured points (Refusal says which), as does any
/// collective of a device with no datasheet entry.
/// </summary>
public sealed record CollectiveReach(SourcedFigure? Link, string? Refusal)
{
    public static CollectiveReach For(DeviceProfile device, int ranks)
    {
        if (ranks <= 1) return new(device.InterconnectGBps, null);
        if (device.DatasheetKey is null)
            return new(null, string.Create(CultureInfo.InvariantCulture,
                $"no datasheet entry states the interconnect of {device.Hardware.Name}: measure the collective over {ranks} ranks into the --ceilings profile's folder (`micro collectives`, or `micro collectives import` of an nccl-tests log)"));
        var scaleUp = device.ScaleUp;
        if (scaleUp is not null && ranks <= scaleUp.Gpus) return new(device.InterconnectGBps, null);
        // Past a domain smaller than a server (or none), the cards of one server still share PCIe.
        var pcieServer = scaleUp is null || scaleUp.Gpus < ScaleUpDomain.PcieServerGpus;
        if (pcieServer && ranks <= ScaleUpDomain.PcieServerGpus && device.PcieGBps is { } pcie)
        {
            var past = scaleUp is null ? $"{device.DatasheetKey} has no scale-up interconnect" : $"past the {scaleUp.Gpus} GPUs its interconnect joins ({scaleUp.Source})";
            return new(pcie with { Source = $"PCIe, not measured: {device.DatasheetKey} cards in one server ({past}; a server is assumed to hold at most {ScaleUpDomain.PcieServerGpus}): {pcie.Source}" }, null);
        }
        return new(null, string.Create(CultureInfo.InvariantCulture,
            $"{ranks} ranks span more than {Domain(device)}, and no datasheet states the network between servers: measure the collective over {ranks} ranks into the --ceilings profile's folder (`micro collectives` under mpirun, or `micro collectives import` of an nccl-tests log)"));
    }

    /// <summary>What the datasheet's links reach for a device with a datasheet entry: its scale-up domain where that spans a
    /// server or more (an HGX board, an NVL72 rack), else one PCIe server.</summary>
    public static string Domain(DeviceProfile device) => device.ScaleUp is { Gpus: >= ScaleUpDomain.PcieServerGpus } su
        ? $"the {su.Gpus} GPUs that one {device.DatasheetKey} interconnect joins ({su.Source})"
        : $"one PCIe server (assumed to hold at most {ScaleUpDomain.PcieServerGpus} {device.DatasheetKey} cards)";
}

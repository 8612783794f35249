namespace Micro.EndToEnd.Prediction;

/// <summary>
/// The per-GPU link a disaggregated deployment's KV cache crosses from the prefill pool to the decode pool. Where every
/// GPU of both pools shares one link (<see cref="CollectiveReach"/>: the scale-up interconnect inside its domain, PCIe
/// between the cards of one server) the transfer runs at it. Pools spanning servers cross the network, which no
/// datasheet states; a NIC sits behind the card's PCIe link, so PCIe (else the interconnect) is taken as an optimistic
/// bound and Source says so. With no link figure at all (a device with no datasheet entry) the transfer is not priced,
/// and Source says that too: GBps 0 means free.
/// </summary>
public sealed record KvTransferLink(double GBps, string Source)
{
    public static KvTransferLink For(DeviceProfile device, int gpus)
    {
        if (CollectiveReach.For(device, gpus).Link is { Value: > 0 } shared)
            return new(shared.Value, $"per-GPU KV of the prompt at {shared.Value:0.#} GB/s ({shared.Source})");
        var bound = device.PcieGBps is { Value: > 0 } pcie ? pcie : device.InterconnectGBps is { Value: > 0 } ic ? ic : null;
        var apart = device.DatasheetKey is null
            ? $"no datasheet entry states the links of {device.Hardware.Name}"
            : $"the pools' {gpus} GPUs span more than {CollectiveReach.Domain(device)}, so the KV crosses the network between servers, which no datasheet states";
        return bound is null
            ? new(0, $"not priced: {apart}, and no link figure is at hand: TTFT lacks the transfer (a lower bound)")
            : new(bound.Value, $"per-GPU KV of the prompt at {bound.Value:0.#} GB/s: {apart}; taken at " + (bound == device.PcieGBps
                ? $"PCIe ({bound.Source}), an optimistic bound: the NIC sits behind it"
                : $"the interconnect ({bound.Source}), an optimistic bound"));
    }
}

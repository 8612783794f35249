using Micro.Devices.Cuda;
using Micro.Devices.Discovery;

namespace Micro.Gpu.Tests;

public class DeviceCatalogTests
{
    [Fact]
    public void The_catalog_probes_the_cuda_driver_before_nvml_and_ilgpu()
    {
        var names = DeviceCatalog.Probes.Select(p => p.Name).ToList();
        Assert.Contains("cuda-driver", names);
        Assert.Contains("nvml", names);
        Assert.True(names.IndexOf("cuda-driver") < names.IndexOf("nvml") && names.IndexOf("nvml") < names.IndexOf("ilgpu"));
    }

    [Fact]
    public void Without_a_driver_the_cuda_probe_is_one_reason_line()
    {
        if (CudaDriver.TryInitialize(out _)) Assert.Skip("a CUDA driver is present");
        var (_, result) = DeviceCatalog.ProbeAll().Single(x => x.Probe.Name == "cuda-driver");
        Assert.Empty(result.Devices);
        Assert.StartsWith("no CUDA driver", result.Unavailable);
        Assert.DoesNotContain('\n', result.Unavailable!);
    }

    [Fact]
    public void On_a_gpu_box_the_cuda_probe_lists_each_device_with_sms_and_l2()
    {
        if (!CudaDriver.TryInitialize(out var why)) Assert.Skip(why);
        var (_, result) = DeviceCatalog.ProbeAll().Single(x => x.Probe.Name == "cuda-driver");
        Assert.NotEmpty(result.Devices);
        Assert.All(result.Devices, d => Assert.True(d.ComputeUnits > 0 && d.LastLevelCacheBytes > 0));
    }
}

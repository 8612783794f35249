namespace Micro.Core.Hardware;

/// <summary>The one datasheet table shared by the suites and the end-to-end module.</summary>
public static class Datasheet
{
    public static readonly IReadOnlyList<GpuSpec> All =
    [
        new()
        {
            Key = "h100-sxm", DisplayName = "NVIDIA H100 SXM5 80GB", Vendor = "NVIDIA", NamePatterns = ["h100 80gb hbm3", "h100-sxm", "h100 sxm", "h100_sxm"],
            MemoryGB = 80, DeviceMemoryGB = 85.899, DeviceMemorySource = "80 GiB as ai-dynamo/aiconfigurator systems/h100_sxm.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 3350, L2MB = 50, Bf16Tflops = 989.4, Fp16Tflops = 989.4, Fp8Tflops = 1978.9,
            Tf32Tflops = 494.7, Fp32Tflops = 66.9, InterconnectGBps = 900, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(8, "HGX H100 8-GPU: eight SXM5 GPUs on four NVSwitch chips (NVIDIA DGX H100 datasheet)"),
            Source = "NVIDIA H100 Tensor Core GPU datasheet (nvidia.com/en-us/data-center/h100), SXM column; dense = half the sparsity figures",
        },
        new()
        {
            Key = "h100-pcie", DisplayName = "NVIDIA H100 PCIe 80GB", Vendor = "NVIDIA", NamePatterns = ["h100 pcie"],
            MemoryGB = 80, DeviceMemoryGB = 85.899, DeviceMemorySource = "80 GiB as ai-dynamo/aiconfigurator systems/h100_pcie.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 2000, L2MB = 50, Bf16Tflops = 756, Fp16Tflops = 756, Fp8Tflops = 1513,
            Tf32Tflops = 378, Fp32Tflops = 51.2, InterconnectGBps = 600, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(2, "an NVLink bridge joins two cards (NVIDIA H100 datasheet, PCIe column: NVLink 600 GB/s, 2-way bridge)"),
            Source = "NVIDIA H100 Tensor Core GPU datasheet, PCIe column; dense = half the sparsity figures",
        },
        new()
        {
            Key = "h100-nvl", DisplayName = "NVIDIA H100 NVL 94GB", Vendor = "NVIDIA", NamePatterns = ["h100 nvl"],
            MemoryGB = 94, MemoryBandwidthGBps = 3900, L2MB = 50, Bf16Tflops = 835.5, Fp16Tflops = 835.5, Fp8Tflops = 1670.5,
            Tf32Tflops = 417.5, Fp32Tflops = 60, InterconnectGBps = 600, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(2, "an NVLink bridge joins the two cards of a pair (NVIDIA H100 datasheet, H100 NVL column: NVLink 600 GB/s)"),
            Source = "NVIDIA H100 Tensor Core GPU datasheet, H100 NVL column; dense = half the sparsity figures",
        },
        new()
        {
            Key = "h200", DisplayName = "NVIDIA H200 SXM 141GB", Vendor = "NVIDIA", NamePatterns = ["h200"],
            MemoryGB = 141, DeviceMemoryGB = 151.398, DeviceMemorySource = "141 GiB as ai-dynamo/aiconfigurator systems/h200_sxm.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 4800, L2MB = 60, Bf16Tflops = 989.4, Fp16Tflops = 989.4, Fp8Tflops = 1978.9,
            Tf32Tflops = 494.7, Fp32Tflops = 66.9, InterconnectGBps = 900, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(8, "HGX H200 8-GPU: eight SXM GPUs on NVSwitch (NVIDIA H200 datasheet, SXM column)"),
            Source = "NVIDIA H200 Tensor Core GPU datasheet (nvidia.com/en-us/data-center/h200), SXM column; L2 as reported by the driver (60 MB)",
        },
        new()
        {
            Key = "b200", DisplayName = "NVIDIA B200 180GB", Vendor = "NVIDIA", NamePatterns = ["b200"],
            MemoryGB = 180, DeviceMemoryGB = 193.274, DeviceMemorySource = "180 GiB as ai-dynamo/aiconfigurator systems/b200_sxm.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 7700, Bf16Tflops = 2250, Fp16Tflops = 2250, Fp8Tflops = 4500, Fp4Tflops = 9000,
            Tf32Tflops = 1100, Fp32Tflops = 75, InterconnectGBps = 1800, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(8, "DGX / HGX B200: eight GPUs on two NVLink 5 switch chips (NVIDIA DGX B200 datasheet; ai-dynamo/aiconfigurator systems/b200_sxm.yaml num_gpus_per_node 8)"),
            Source = "NVIDIA DGX B200 / HGX B200 datasheet (per GPU = system / 8; dense = half the sparsity figures)",
        },
        new()
        {
            Key = "b300", DisplayName = "NVIDIA B300 288GB", Vendor = "NVIDIA", NamePatterns = ["b300"],
            MemoryGB = 288, DeviceMemoryGB = 288.4, DeviceMemorySource = "275040 MiB reported by nvidia-smi as ai-dynamo/aiconfigurator systems/b300_sxm.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 7750, Bf16Tflops = 2250, Fp16Tflops = 2250, Fp8Tflops = 4500, Fp4Tflops = 14000,
            InterconnectGBps = 1800, HostLinkGBps = 128, HostLink = "PCIe Gen6 x16",
            ScaleUp = new(8, "HGX B300: eight GPUs on NVLink 5 switches (ai-dynamo/aiconfigurator systems/b300_sxm.yaml @095f58a, num_gpus_per_node 8)"),
            Source = "HGX B300 per GPU as ai-dynamo/aiconfigurator systems/b300_sxm.yaml states it (@095f58a: 62 TB/s / 8, dense rates, NVLink 1.8 TB/s bidirectional, PCIe Gen6)",
        },
        new()
        {
            Key = "gb200", DisplayName = "NVIDIA GB200 (Blackwell GPU) 186GB", Vendor = "NVIDIA", NamePatterns = ["gb200"],
            MemoryGB = 186, DeviceMemoryGB = 198.675, DeviceMemorySource = "189471 MiB reported by nvidia-smi as ai-dynamo/aiconfigurator systems/gb200.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 8000, Bf16Tflops = 2500, Fp16Tflops = 2500, Fp8Tflops = 5000, Fp4Tflops = 10000,
            InterconnectGBps = 1800,
            ScaleUp = new(72, "GB200 NVL72: 72 GPUs in one NVLink domain (ai-dynamo/aiconfigurator systems/gb200.yaml @095f58a, num_gpus_per_rack 72)"),
            Source = "GB200 NVL72 per GPU as ai-dynamo/aiconfigurator systems/gb200.yaml states it (@095f58a: 8 TB/s, dense rates, NVLink 1.8 TB/s bidirectional); memory 13.4 TB / 72",
        },
        new()
        {
            Key = "gb300", DisplayName = "NVIDIA GB300 (Blackwell Ultra GPU) 288GB", Vendor = "NVIDIA", NamePatterns = ["gb300"],
            MemoryGB = 288, DeviceMemoryGB = 298.014, DeviceMemorySource = "284208 MiB reported by nvidia-smi as ai-dynamo/aiconfigurator systems/gb300.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 8000, Bf16Tflops = 2500, Fp16Tflops = 2500, Fp8Tflops = 5000, Fp4Tflops = 15000,
            InterconnectGBps = 1800,
            ScaleUp = new(72, "GB300 NVL72: 72 GPUs in one NVLink domain (NVIDIA GB300 NVL72)"),
            Source = "GB300 NVL72 per GPU as ai-dynamo/aiconfigurator systems/gb300.yaml states it (@095f58a: 8 TB/s, dense rates, NVLink 1.8 TB/s bidirectional)",
        },
        new()
        {
            Key = "h20", DisplayName = "NVIDIA H20 96GB", Vendor = "NVIDIA", NamePatterns = ["h20 ", "h20_sxm", "h20-sxm"],
            MemoryGB = 96, DeviceMemoryGB = 103.079, DeviceMemorySource = "96 GiB as ai-dynamo/aiconfigurator systems/h20_sxm.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 4000, Bf16Tflops = 148, Fp16Tflops = 148, Fp8Tflops = 296,
            InterconnectGBps = 900, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(8, "HGX H20: eight SXM GPUs on NVSwitch"),
            Source = "H20 as ai-dynamo/aiconfigurator systems/h20_sxm.yaml states it (@18aac73: 4 TB/s, dense rates, NVLink 450 GB/s per direction)",
        },
        new()
        {
            Key = "rtx-pro-6000", DisplayName = "NVIDIA RTX PRO 6000 Blackwell Server 96GB", Vendor = "NVIDIA", NamePatterns = ["rtx pro 6000", "rtx_pro_6000"],
            MemoryGB = 96, DeviceMemoryGB = 102.642, DeviceMemorySource = "97887 MiB reported by nvidia-smi as ai-dynamo/aiconfigurator systems/rtx_pro_6000_server.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 1792, Bf16Tflops = 467.8, Fp16Tflops = 467.8, Fp8Tflops = 935.6, Fp4Tflops = 1871.2,
            HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            Source = "RTX PRO 6000 Blackwell Server Edition as ai-dynamo/aiconfigurator systems/rtx_pro_6000_server.yaml states it (@095f58a: GDDR7 1.792 TB/s, dense rates at 2430 MHz; no NVLink: collectives over PCIe)",
        },
        new()
        {
            Key = "a100-sxm-80", DisplayName = "NVIDIA A100 SXM4 80GB", Vendor = "NVIDIA", NamePatterns = ["a100-sxm4-80gb", "a100 80gb", "a100-sxm-80gb"],
            MemoryGB = 80, DeviceMemoryGB = 85.899, DeviceMemorySource = "80 GiB as ai-dynamo/aiconfigurator systems/a100_sxm.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 2039, L2MB = 40, Bf16Tflops = 312, Fp16Tflops = 312, Tf32Tflops = 156, Fp32Tflops = 19.5,
            InterconnectGBps = 600, HostLinkGBps = 32, HostLink = "PCIe Gen4 x16",
            ScaleUp = new(8, "HGX / DGX A100 8-GPU: eight SXM4 GPUs on six NVSwitch chips (NVIDIA DGX A100 datasheet)"),
            Source = "NVIDIA A100 Tensor Core GPU datasheet (nvidia.com/en-us/data-center/a100), 80GB SXM column",
        },
        new()
        {
            Key = "a100-sxm-40", DisplayName = "NVIDIA A100 SXM4 40GB", Vendor = "NVIDIA", NamePatterns = ["a100-sxm4-40gb", "a100 40gb"],
            MemoryGB = 40, MemoryBandwidthGBps = 1555, L2MB = 40, Bf16Tflops = 312, Fp16Tflops = 312, Tf32Tflops = 156, Fp32Tflops = 19.5,
            InterconnectGBps = 600, HostLinkGBps = 32, HostLink = "PCIe Gen4 x16",
            ScaleUp = new(8, "HGX / DGX A100 8-GPU: eight SXM4 GPUs on six NVSwitch chips (NVIDIA DGX A100 datasheet)"),
            Source = "NVIDIA A100 Tensor Core GPU datasheet, 40GB SXM column",
        },
        new()
        {
            Key = "l40s", DisplayName = "NVIDIA L40S 48GB", Vendor = "NVIDIA", NamePatterns = ["l40s"],
            MemoryGB = 48, DeviceMemoryGB = 48.306, DeviceMemorySource = "46068 MiB as ai-dynamo/aiconfigurator systems/l40s.yaml states it (mem_capacity)",
            MemoryBandwidthGBps = 864, L2MB = 96, Bf16Tflops = 362.05, Fp16Tflops = 362.05, Fp8Tflops = 733,
            Tf32Tflops = 183, Fp32Tflops = 91.6, HostLinkGBps = 32, HostLink = "PCIe Gen4 x16",
            Source = "NVIDIA L40S datasheet (nvidia.com/en-us/data-center/l40s); dense = half the sparsity figures",
        },
        new()
        {
            Key = "mi300x", DisplayName = "AMD Instinct MI300X 192GB", Vendor = "AMD", NamePatterns = ["mi300x"],
            MemoryGB = 192, MemoryBandwidthGBps = 5300, L2MB = 256, Bf16Tflops = 1307.4, Fp16Tflops = 1307.4, Fp8Tflops = 2614.9,
            Tf32Tflops = 653.7, Fp32Tflops = 163.4, InterconnectGBps = 896, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(8, "AMD Instinct MI300X platform: eight OAM GPUs fully connected by Infinity Fabric (AMD Instinct MI300X data sheet)"),
            Source = "AMD Instinct MI300X data sheet (amd.com); L2MB is the 256 MB Infinity Cache (the LLC)",
        },
        new()
        {
            Key = "mi325x", DisplayName = "AMD Instinct MI325X 256GB", Vendor = "AMD", NamePatterns = ["mi325x"],
            MemoryGB = 256, MemoryBandwidthGBps = 6000, L2MB = 256, Bf16Tflops = 1307.4, Fp16Tflops = 1307.4, Fp8Tflops = 2614.9,
            Tf32Tflops = 653.7, Fp32Tflops = 163.4, InterconnectGBps = 896, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(8, "AMD Instinct MI325X platform: eight OAM GPUs fully connected by Infinity Fabric (AMD Instinct MI325X data sheet)"),
            Source = "AMD Instinct MI325X data sheet (amd.com); L2MB is the 256 MB Infinity Cache (the LLC)",
        },
        new()
        {
            Key = "mi350x", DisplayName = "AMD Instinct MI350X 288GB", Vendor = "AMD", NamePatterns = ["mi350x"],
            MemoryGB = 288, MemoryBandwidthGBps = 8000, L2MB = 256, Bf16Tflops = 2307.2, Fp16Tflops = 2307.2, Fp8Tflops = 4614.4,
            Fp4Tflops = 9228.8, Fp32Tflops = 144.2, InterconnectGBps = 1075, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(8, "AMD Instinct MI350 series platform: eight GPUs fully connected by Infinity Fabric (AMD Instinct MI350X data sheet)"),
            Source = "AMD Instinct MI350X data sheet (amd.com, 2025); dense figures; L2MB is the 256 MB Infinity Cache (the LLC)",
        },
        new()
        {
            Key = "mi355x", DisplayName = "AMD Instinct MI355X 288GB", Vendor = "AMD", NamePatterns = ["mi355x"],
            MemoryGB = 288, MemoryBandwidthGBps = 8000, L2MB = 256, Bf16Tflops = 2516.6, Fp16Tflops = 2516.6, Fp8Tflops = 5033.2,
            Fp4Tflops = 10066.3, Fp32Tflops = 157.3, InterconnectGBps = 1075, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            ScaleUp = new(8, "AMD Instinct MI350 series platform: eight GPUs fully connected by Infinity Fabric (AMD Instinct MI355X data sheet)"),
            Source = "AMD Instinct MI355X data sheet (amd.com, 2025); dense figures; L2MB is the 256 MB Infinity Cache (the LLC)",
        },
        new()
        {
            Key = "gaudi3", DisplayName = "Intel Gaudi 3 128GB", Vendor = "Intel", NamePatterns = ["gaudi 3", "gaudi3", "hl-325"],
            MemoryGB = 128, MemoryBandwidthGBps = 3700, L2MB = 96, Bf16Tflops = 1835, Fp8Tflops = 1835, HostLinkGBps = 64, HostLink = "PCIe Gen5 x16",
            InterconnectGBps = 1200,
            ScaleUp = new(8, "Gaudi 3 baseboard: eight accelerators all-to-all over 21 of each one's 24 200GbE ports (Intel Gaudi 3 white paper)"),
            Source = "Intel Gaudi 3 AI Accelerator white paper (intel.com, 2024): 1835 TFLOPS BF16/FP8 matrix, 3.7 TB/s HBM2e, 96 MB SRAM, 24x200GbE",
        },
    ];

    public static GpuSpec? ByKey(string key) =>
        All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why a name matched no entry, for a one-line refusal: the entries it could mean ("H100": h100-sxm, h100-pcie,
    /// h100-nvl), else every key.</summary>
    public static string NoMatchReason(string name)
    {
        var n = name.Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
        var could = n.Length < 2 ? [] : All.Where(s => s.Key.StartsWith(n + "-", StringComparison.Ordinal)).Select(s => s.Key).ToArray();
        return could.Length > 0
            ? $"names more than one datasheet entry ({string.Join(", ", could)}): give one of them"
            : $"names no datasheet entry (known: {string.Join(", ", All.Select(s => s.Key))})";
    }

    /// <summary>Finds the entry for a device name as the driver reports it ("NVIDIA H100 80GB HBM3"), or a key.</summary>
    public static GpuSpec? Match(string deviceNameOrKey)
    {
        if (ByKey(deviceNameOrKey) is { } byKey) return byKey;
        // A trailing space lets a pattern end at a word ("h20 " names the H20, not the H200).
        var n = deviceNameOrKey.ToLowerInvariant() + " ";
        // Longer, more specific patterns first so "h100 pcie" beats a generic match.
        return All.SelectMany(s => s.NamePatterns.Select(p => (s, p)))
                  .OrderByDescending(x => x.p.Length)
                  .FirstOrDefault(x => n.Contains(x.p, StringComparison.Ordinal)).s;
    }
}

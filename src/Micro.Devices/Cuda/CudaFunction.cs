namespace Micro.Devices.Cuda;

/// <summary>A kernel in a loaded module (CUfunction; owned by its module, not freed separately).</summary>
public sealed unsafe class CudaFunction(IntPtr raw, string name)
{
    public IntPtr Raw { get; } = raw;
    public string Name { get; } = name;

    public int Attribute(int attribute)
    {
        int v;
        Cu.Check(CudaApi.cuFuncGetAttribute(&v, attribute, Raw), $"cuFuncGetAttribute({Name})");
        return v;
    }

    public void SetAttribute(int attribute, int value) =>
        Cu.Check(CudaApi.cuFuncSetAttribute(Raw, attribute, value), $"cuFuncSetAttribute({Name})");

    public int MaxActiveBlocksPerSm(int blockSize, int dynamicSharedBytes = 0)
    {
        int blocks;
        Cu.Check(CudaApi.cuOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, Raw, blockSize, (nuint)dynamicSharedBytes),
            $"cuOccupancyMaxActiveBlocksPerMultiprocessor({Name})");
        return blocks;
    }

    /// <summary>cuLaunchKernel on a 1-D grid; <paramref name="args"/> supplies the void** array of pointers to each argument.</summary>
    public void Launch(uint grid, uint block, CudaStream stream, KernelArgs args, uint sharedBytes = 0) =>
        Cu.Check(CudaApi.cuLaunchKernel(Raw, grid, 1, 1, block, 1, 1, sharedBytes, stream.Raw, args.Pointers, null),
            $"cuLaunchKernel({Name}, grid={grid}, block={block})");
}

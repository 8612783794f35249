using System.Runtime.InteropServices;

namespace Micro.Devices.Cuda;

/// <summary>
/// The kernelParams of cuLaunchKernel: an array of pointers, one per kernel argument, each pointing at that
/// argument's value. Each value lives in its own 8-byte slot of unmanaged memory, so the array stays valid
/// across repeated launches and graph capture. Arguments must be added in the kernel's parameter order with
/// the kernel's parameter types (pointer/u64 = 8 bytes, float/int/unsigned = 4 bytes).
/// </summary>
public sealed unsafe class KernelArgs : IDisposable
{
    private readonly ulong* _slots;
    private readonly void** _pointers;
    private readonly int _capacity;
    public int Count { get; private set; }

    public KernelArgs(int capacity = 8)
    {
        _capacity = capacity;
        _slots = (ulong*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(ulong)));
        _pointers = (void**)NativeMemory.AllocZeroed((nuint)(Math.Max(1, capacity) * sizeof(void*)));
    }

    internal void** Pointers => Count == 0 ? null : _pointers;

    private void* Next()
    {
        if (Count == _capacity) throw new InvalidOperationException($"KernelArgs holds at most {_capacity} arguments");
        var slot = _slots + Count;
        *slot = 0;
        _pointers[Count++] = slot;
        return slot;
    }

    public KernelArgs Pointer(ulong devicePointer) { *(ulong*)Next() = devicePointer; return this; }
    public KernelArgs Pointer(DeviceMemory memory) => Pointer(memory.Pointer);
    public KernelArgs U64(ulong value) { *(ulong*)Next() = value; return this; }
    public KernelArgs F32(float value) { *(float*)Next() = value; return this; }
    public KernelArgs U32(uint value) { *(uint*)Next() = value; return this; }
    public KernelArgs I32(int value) { *(int*)Next() = value; return this; }

    /// <summary>The bytes of slot <paramref name="index"/> (for tests of the packing).</summary>
    public ulong SlotBits(int index) => index < Count ? _slots[index] : throw new ArgumentOutOfRangeException(nameof(index));
    public bool PointsAtSlot(int index) => index < Count && _pointers[index] == _slots + index;

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        NativeMemory.Free(_slots);
        NativeMemory.Free(_pointers);
        GC.SuppressFinalize(this);
    }
}

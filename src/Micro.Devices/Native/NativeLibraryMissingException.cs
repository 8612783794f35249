namespace Micro.Devices.Native;

/// <summary>A vendor library is not on this machine: one line naming it, where Micro looked and how to point at it.</summary>
public sealed class NativeLibraryMissingException(string message) : Exception(message);

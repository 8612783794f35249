global using Micro.Devices.Collectives;
global using Micro.Tests.Shared;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

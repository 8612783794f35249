global using Micro.Tests.Shared;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

using BenchmarkDotNet.Running;

// Host-side overhead benchmarks: dotnet run -c Release --project src/Micro.HostBench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;

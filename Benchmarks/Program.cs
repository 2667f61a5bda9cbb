using BenchmarkDotNet.Running;

// Run every suite, or pick one: dotnet run -c Release --project Benchmarks -- --filter '*ChannelPolicy*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

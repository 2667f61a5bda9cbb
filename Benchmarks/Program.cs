using BenchmarkDotNet.Running;
using PartnerGuard.Benchmarks.Reassignment;
using PartnerGuard.Benchmarks.Statements;

// The reassignment harness (Reassignment/, one long measured run per scenario) and its child processes (the emulator,
// and one console command per application user):
//   dotnet run -c Release --project Benchmarks -- reassignment   (options: Reassignment/ReassignmentHarness.cs, Benchmarks/README.md)
//   dotnet run -c Release --project Benchmarks -- statements     (options: Statements/StatementHarness.cs, Benchmarks/README.md)
// Everything else is BenchmarkDotNet. Run every suite, or pick one:
//   dotnet run -c Release --project Benchmarks -- --filter '*ChannelPolicy*'
switch (args.FirstOrDefault())
{
    case ReassignmentHarness.Mode:
        return await ReassignmentHarness.RunAsync(args);
    case StatementHarness.Mode:
        return await StatementHarness.RunAsync(args);
    case EmulatorProcess.Mode:
        return await EmulatorProcess.ServeAsync(args);
    case ConsoleProcess.Mode:
        return await ConsoleProcess.MainAsync(args);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(ReassignmentHarness).Assembly).Run(args);
        return 0;
}

// The `dotnet build solution` entry: packs solution/src (see PartnerGuard.Solution.csproj and README.md).
return PartnerGuard.Packer.PackCommand.Run(args, Console.Out, Console.Error);

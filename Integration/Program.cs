using PartnerGuard.Integration.Cli;

return await PartnerGuardCli.InvokeAsync(args, CliContext.ForConsole());

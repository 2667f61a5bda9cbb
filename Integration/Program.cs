using PartnerGuard.Integration.Commands;

return await PartnerGuardCli.InvokeAsync(args, CliContext.ForConsole());

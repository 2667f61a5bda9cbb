namespace PartnerGuard.Integration.App;

/// <summary>The accounts-per-partner lines shown before a run is confirmed and after a dry run.</summary>
internal static class RunBreakdown
{
    /// <summary>Accounts per target partner, largest first (bounded by the number of partners).</summary>
    public static async Task WriteAsync(TextWriter output, IReadOnlyDictionary<Guid, int> accountsPerPartner)
    {
        var byPartner = accountsPerPartner.OrderByDescending(p => p.Value).ThenBy(p => p.Key).ToList();
        foreach (var (id, count) in byPartner.Take(10))
        {
            var partner = id != Guid.Empty ? $"partner {id:D}" : "no partner";
            await output.WriteLineAsync($"  {count,6} accounts -> {partner}").ConfigureAwait(false);
        }

        if (byPartner.Count > 10)
        {
            await output.WriteLineAsync($"  … and {byPartner.Count - 10} more partners (see the report).").ConfigureAwait(false);
        }
    }
}

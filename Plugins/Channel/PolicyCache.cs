using System.Collections.Concurrent;
using PartnerGuard.Policy;

namespace PartnerGuard.Plugins;

/// <summary>
/// The one piece of shared mutable state in the plug-in assembly (STYLE.md names it as the exception to
/// "no mutable statics"): the parsed settings, the compiled direct sales rules, bypass-team memberships and
/// currency exchange rates, keyed by organization id, each kept for <see cref="Duration"/>.
///
/// Why it exists: the platform reuses plug-in instances and their AppDomain across executions, so the
/// settings and rules, which change rarely, would otherwise cost two extra service calls on every save.
/// With the cache, an opportunity save costs ONE call in steady state (the facts query).
///
/// Cold (nothing cached for the organization, or the entry is older than <see cref="Duration"/>): settings
/// are loaded first (one call); the rules are loaded only when the decision needs them, i.e. no valid
/// partner is named and none is attached automatically (<see cref="ChannelPolicy.NeedsRules"/>). So a cold
/// save through a partner costs two calls, and a cold save that needs the rules costs three, once per
/// worker per <see cref="Duration"/>: Dataverse offers no supported single query over the environment
/// variable tables and the rules table.
///
/// A deal in a currency other than the base currency, decided by a deal-size rule, also needs the
/// currency's exchange rate: one more call the first time per currency per <see cref="Duration"/>.
///
/// Staleness: an admin's change to a setting, a rule, the bypass team or an exchange rate takes effect within
/// <see cref="Duration"/> (two minutes) on every worker.
///
/// Thread safety: entries are immutable and replaced atomically in concurrent dictionaries; two threads may
/// load the same entry at once, and the last one wins (both are correct). Failed loads are never cached.
/// "Now" is the operation's time (<c>OperationCreatedOn</c>), never the machine clock; an entry whose time
/// differs from now by more than <see cref="Duration"/> in either direction counts as stale.
/// </summary>
internal sealed class PolicyCache
{
    /// <summary>How long a loaded entry is used before it is read again.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);

    /// <summary>Bypass memberships kept at most; past that the membership cache starts afresh.</summary>
    public const int MaxMemberships = 10_000;

    /// <summary>The process-wide instance the plug-ins use.</summary>
    public static readonly PolicyCache Shared = new();

    private readonly ConcurrentDictionary<Guid, Entry<ChannelSettings>> _settings = new();
    private readonly ConcurrentDictionary<Guid, Entry<CompiledRuleSet>> _rules = new();
    private readonly ConcurrentDictionary<EntryKey, Entry<bool>> _memberships = new();
    private readonly ConcurrentDictionary<EntryKey, Entry<decimal?>> _exchangeRates = new();

    public ChannelSettings Settings(Guid organizationId, DateTime now, Func<ChannelSettings> load) =>
        GetOrLoad(_settings, organizationId, now, load);

    public CompiledRuleSet Rules(Guid organizationId, DateTime now, Func<CompiledRuleSet> load) =>
        GetOrLoad(_rules, organizationId, now, load);

    public bool IsMember(Guid organizationId, Guid teamId, Guid userId, DateTime now, Func<bool> load)
    {
        if (_memberships.Count >= MaxMemberships)
        {
            _memberships.Clear();
        }

        return GetOrLoad(_memberships, new EntryKey(organizationId, teamId, userId), now, load);
    }

    /// <summary>
    /// The exchange rate of one currency (units of it per unit of base currency), or null when the currency
    /// row has none. Read only when a deal-size rule needs the deal's base value; a rate an admin changes
    /// takes effect within <see cref="Duration"/>, like every other entry.
    /// </summary>
    public decimal? ExchangeRate(Guid organizationId, Guid currencyId, DateTime now, Func<decimal?> load) =>
        GetOrLoad(_exchangeRates, new EntryKey(organizationId, currencyId, Guid.Empty), now, load);

    private static T GetOrLoad<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> entries, TKey key, DateTime now, Func<T> load)
        where TKey : notnull
    {
        if (entries.TryGetValue(key, out var entry) && entry.IsFresh(now))
        {
            return entry.Value;
        }

        var value = load();
        entries[key] = new Entry<T>(value, now);
        return value;
    }

    private sealed class Entry<T>
    {
        public Entry(T value, DateTime loadedAt)
        {
            Value = value;
            LoadedAt = loadedAt;
        }

        public T Value { get; }

        public DateTime LoadedAt { get; }

        public bool IsFresh(DateTime now)
        {
            var age = now - LoadedAt;
            return age < Duration && age > -Duration;
        }
    }

    /// <summary>Organization, then the entry's own ids (team and user, or currency and <see cref="Guid.Empty"/>).</summary>
    private readonly record struct EntryKey(Guid OrganizationId, Guid First, Guid Second);
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Statements;

/// <summary>Builds the <see cref="RulesPublication"/> from the rules and settings as read (the `rules export` canonical form and order).</summary>
internal static class RulesPublisher
{
    /// <summary>The format name hashed with the rules; change it when the meaning of the stamp changes.</summary>
    public const string StampFormat = "partnerguard-rules-publication/1";

    /// <summary>
    /// Builds the publication. <paramref name="date"/> is the date printed and the day "in force" and "scheduled"
    /// are judged on: the caller passes <c>--date</c>, else the newest modification date of the rules (see
    /// <see cref="DefaultDate"/>).
    /// </summary>
    public static RulesPublication Build(IReadOnlyList<DirectSalesRuleDraft> rules, ChannelSettings settings, DateOnly date)
    {
        var day = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var active = RulesDocument.Order(rules.Where(r => r.IsActive).Select(RulesDocument.Canonical)).ToList();
        var published = new List<PublishedRule>();
        var expired = new List<PublishedRule>();
        foreach (var rule in active)
        {
            var isExpired = rule.EffectiveTo is { } to && to.Date < day;
            var status = isExpired ? "Expired"
                : rule.EffectiveFrom is { } from && from.Date > day ? "Scheduled"
                : "In force";
            var entry = new PublishedRule(
                0,
                rule.Id,
                rule.Name ?? "(unnamed rule)",
                rule.Kind ?? "(no kind)",
                Covers(rule),
                rule.EffectiveFrom is { } f ? RulesDocument.Day(f) : null,
                rule.EffectiveTo is { } t ? RulesDocument.Day(t) : null,
                status,
                rule.Description);
            if (isExpired)
            {
                expired.Add(entry with { Order = expired.Count + 1 });
            }
            else
            {
                published.Add(entry with { Order = published.Count + 1 });
            }
        }

        var stamp = Stamp(rules, settings);
        return new RulesPublication(date, stamp, settings.Mode.ToString(), published, expired, Sections(settings));
    }

    /// <summary>
    /// The version stamp: the first 16 hex digits of SHA-256 over the active rules in the `rules export` form
    /// (canonical, ordered) and the settings the document describes. Inactive rules and modification dates are
    /// not part of it: they do not change what a partner is told.
    /// </summary>
    public static string Stamp(IReadOnlyList<DirectSalesRuleDraft> rules, ChannelSettings settings)
    {
        var text = new StringBuilder()
            .Append(StampFormat).Append('\n')
            .Append(RulesDocument.Write(rules.Where(r => r.IsActive).Select(RulesDocument.Canonical)))
            .Append("mode=").Append(settings.Mode).Append('\n')
            .Append("conflict=").Append(settings.ConflictPolicy).Append('\n')
            .Append("autoattach=").Append(settings.AutoAttachAssignedPartner ? "true" : "false").Append('\n')
            .Append("partnertypes=").Append(string.Join(",", settings.PartnerRelationshipTypes.Order())).Append('\n')
            .Append("bypass=").Append(settings.BypassTeamId is null ? "none" : "team").Append('\n')
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>
    /// The publication's date when none is given: the newest modification day of the direct sales rules (any
    /// state), so publishing the same rules again gives the same bytes; with no rules, the given fallback.
    /// </summary>
    public static DateOnly DefaultDate(DateTime? newestRuleModification, DateTime fallback) =>
        DateOnly.FromDateTime((newestRuleModification ?? fallback).ToUniversalTime());

    /// <summary>What the rule covers, in the policy's own terms (thresholds inclusive as the policy compares them).</summary>
    public static string Covers(DirectSalesRuleDraft rule)
    {
        var threshold = rule.Threshold is { } t ? t.ToString("#,##0.##", CultureInfo.InvariantCulture) : "?";
        var employees = rule.Measure == nameof(SizeMeasure.Employees);
        return rule.Kind switch
        {
            nameof(DirectSalesRuleKind.CustomerSizeAbove) => employees
                ? $"Customers with {threshold} or more employees."
                : $"Customers with annual revenue (base currency) of {threshold} or more.",
            nameof(DirectSalesRuleKind.CustomerSizeBelow) => employees
                ? $"Customers with fewer than {threshold} employees."
                : $"Customers with annual revenue (base currency) below {threshold}.",
            nameof(DirectSalesRuleKind.Geography) => Geography(rule),
            nameof(DirectSalesRuleKind.NamedAccount) =>
                $"The named account {rule.AccountName ?? rule.AccountId?.ToString("D") ?? "(not set)"}"
                + (rule.IncludeSubsidiaries is true ? " and all its subsidiaries (accounts below it in the account hierarchy)." : " only (its subsidiaries are not covered)."),
            nameof(DirectSalesRuleKind.DealSizeAbove) => $"Deals with an estimated value of {threshold} or more (base currency), whoever the customer.",
            _ => "(a kind this version does not know)",
        };
    }

    private static string Geography(DirectSalesRuleDraft rule)
    {
        var countries = RulesDocument.List(rule.Countries).Select(CountryName).ToList();
        var regions = RulesDocument.List(rule.Regions);
        var text = "Customers located in " + (countries.Count == 0 ? "(no country)" : string.Join(", ", countries));
        return regions.Count == 0 ? text + "." : text + ", in the states or provinces " + string.Join(", ", regions) + ".";
    }

    /// <summary>A country code as "Japan (JP)"; names come from the invariant region data, so they do not depend on the machine's culture.</summary>
    public static string CountryName(string code)
    {
        try
        {
            return new RegionInfo(code).EnglishName + " (" + code + ")";
        }
        catch (ArgumentException)
        {
            return code;
        }
    }

    private static List<PublishedSection> Sections(ChannelSettings settings) =>
    [
        new("The order rules are tried in",
        [
            "A rule is only consulted for a deal that names no partner and whose customer has no assigned partner that could be attached.",
            "Rules are tried by priority (lowest number first), then by name, then by id; the first rule that covers the deal decides, and the deal is recorded as Direct with that rule.",
            "A rule counts from its start date to its end date inclusive, judged on the day the deal is saved (UTC). A rule without dates always counts while it is active.",
        ]),
        new("When the deal's partner is not the customer's partner",
        [
            settings.ConflictPolicy == ConflictPolicy.Block
                ? "Conflicts are blocked: a deal that names a partner other than the customer's assigned partner cannot be saved until the partners agree or the assignment changes."
                : "Conflicts are allowed: a deal may name a partner other than the customer's assigned partner; it is recorded as Partner with the conflict in its reason, and both partners can see it in their statements.",
        ]),
        new("How customers are assigned to partners",
        [
            "Customers are assigned in waves. A wave picks active customers that have no partner and that no rule above covers, and assigns each to one partner by one of three strategies: a reviewed mapping table, the partner serving the customer's country, or balanced fair shares weighted by each partner's capacity.",
            "A partner's capacity is the most customers it takes; a wave never assigns past it, and a wave can cap how many customers each partner gets.",
            "Every wave is recorded with its run id, and each customer it assigns carries that run id and the date. A wave can be undone as a whole: customers go back to exactly what they had before, except those changed since.",
        ]),
        new("A deal without a partner",
        [
            settings.AutoAttachAssignedPartner
                ? "A deal that names no partner gets the customer's assigned partner automatically."
                : "A deal that names no partner is not given the customer's partner automatically.",
            "If no partner applies, a rule above may make the deal Direct. Otherwise "
                + (settings.Mode == EnforcementMode.Enforce
                    ? "the deal cannot be saved until a partner is named."
                    : "the deal is saved and recorded as Unresolved, and the channel team follows it up (rules are being rolled out in audit mode)."),
        ]),
    ];
}

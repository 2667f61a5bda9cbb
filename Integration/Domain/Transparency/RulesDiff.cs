using System.Globalization;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>One field that an import changes: its document name and the values before and after, as the document shows them.</summary>
internal sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>A rule of the file matched with the org: added (no match), changed (fields differ) or unchanged.</summary>
internal sealed record RuleChange(string Change, Guid Id, string Name, IReadOnlyList<FieldChange> Fields, DirectSalesRuleDraft? Incoming);

/// <summary>What importing a rules file would do. Rules in the org that the file lacks are reported in <see cref="Missing"/>.</summary>
internal sealed record RulesDiff(IReadOnlyList<RuleChange> Added, IReadOnlyList<RuleChange> Changed, IReadOnlyList<RuleChange> Unchanged, IReadOnlyList<RuleChange> Missing)
{
    public bool HasChanges => Added.Count > 0 || Changed.Count > 0;

    /// <summary>
    /// Matches each file rule with a stored one by id, else by name (case-insensitive), and compares them in
    /// the document's canonical form. A file rule without an id that matches nothing gets a new id, derived
    /// from its name so a repeated dry run shows the same id.
    /// </summary>
    public static RulesDiff Compute(IReadOnlyList<DirectSalesRuleDraft> file, IReadOnlyList<DirectSalesRuleDraft> stored)
    {
        var byId = stored.Where(s => s.Id != Guid.Empty).GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        var byName = stored.Where(s => !string.IsNullOrWhiteSpace(s.Name)).GroupBy(s => s.Name!.Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var matched = new HashSet<Guid>();
        var added = new List<RuleChange>();
        var changed = new List<RuleChange>();
        var unchanged = new List<RuleChange>();
        foreach (var rule in RulesDocument.Order(file))
        {
            var existing = rule.Id != Guid.Empty && byId.TryGetValue(rule.Id, out var sameId) ? sameId
                : byName.TryGetValue(rule.Name!.Trim(), out var sameName) && (rule.Id == Guid.Empty || !byId.ContainsKey(rule.Id)) ? sameName
                : null;
            if (existing is null || !matched.Add(existing.Id))
            {
                var id = rule.Id != Guid.Empty ? rule.Id : NameBasedId(rule.Name!);
                var incoming = rule with { Id = id };
                added.Add(new RuleChange("added", id, rule.Name!.Trim(), Fields(null, incoming), incoming));
                continue;
            }

            var update = rule with { Id = existing.Id };
            var fields = Fields(existing, update);
            (fields.Count == 0 ? unchanged : changed).Add(new RuleChange(fields.Count == 0 ? "unchanged" : "changed", existing.Id, rule.Name!.Trim(), fields, update));
        }

        var missing = RulesDocument.Order(stored)
            .Where(s => !matched.Contains(s.Id))
            .Select(s => new RuleChange("missing from file", s.Id, s.Name ?? "(unnamed rule)", [], null))
            .ToList();
        return new RulesDiff(added, changed, unchanged, missing);
    }

    /// <summary>The fields that differ, in document order; from null = every field the incoming rule sets.</summary>
    public static IReadOnlyList<FieldChange> Fields(DirectSalesRuleDraft? before, DirectSalesRuleDraft after)
    {
        var a = before is null ? null : Values(RulesDocument.Canonical(before));
        var b = Values(RulesDocument.Canonical(after));
        var changes = new List<FieldChange>();
        foreach (var (field, value) in b)
        {
            var old = a?.First(x => x.Field == field).Value;
            // The account's display name is informational: the lookup is compared by id.
            if (field == "accountName" || (a is null && value is null))
            {
                continue;
            }

            if (a is null || !string.Equals(old, value, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, old, value));
            }
        }

        return changes;
    }

    private static List<(string Field, string? Value)> Values(DirectSalesRuleDraft r) =>
    [
        ("name", r.Name),
        ("kind", r.Kind),
        ("measure", r.Measure),
        ("threshold", r.Threshold?.ToString(CultureInfo.InvariantCulture)),
        ("countries", r.Countries),
        ("regions", r.Regions),
        ("accountId", r.AccountId?.ToString("D")),
        ("accountName", r.AccountName),
        ("includeSubsidiaries", r.IncludeSubsidiaries is { } s ? (s ? "true" : "false") : null),
        ("description", r.Description),
        ("priority", r.Priority?.ToString(CultureInfo.InvariantCulture)),
        ("effectiveFrom", r.EffectiveFrom is { } f ? RulesDocument.Day(f) : null),
        ("effectiveTo", r.EffectiveTo is { } t ? RulesDocument.Day(t) : null),
        ("active", r.IsActive ? "true" : "false"),
    ];

    /// <summary>A stable id for a new rule (a name-based, version 5 style GUID over the lower-cased name).</summary>
    public static Guid NameBasedId(string name)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("partnerguard-rule:" + name.Trim().ToLowerInvariant()));
        var id = bytes.AsSpan(0, 16).ToArray();
        id[7] = (byte)((id[7] & 0x0F) | 0x50);
        id[8] = (byte)((id[8] & 0x3F) | 0x80);
        return new Guid(id);
    }
}

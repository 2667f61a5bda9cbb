using System.Globalization;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Policy;

/// <summary>
/// Turns the current values of the environment variables into <see cref="ChannelSettings"/>.
/// A missing or empty value means the built-in default. A bad value is never guessed at: it is
/// reported in <see cref="ChannelSettings.Problem"/>, naming the setting and the value, and a bad
/// enforcement mode counts as Enforce so that the guard fails closed.
/// </summary>
public static class ChannelSettingsParser
{
    private static readonly char[] ListSeparators = { ',', ';', ' ', '\t', '\r', '\n' };

    /// <param name="values">Current value per setting schema name (case-insensitive); absent or blank = default.</param>
    public static ChannelSettings Parse(IReadOnlyDictionary<string, string?> values)
    {
        if (values is null)
        {
            throw new ArgumentNullException(nameof(values));
        }

        var problems = new List<string>();
        var defaults = ChannelSettings.Default;

        var mode = defaults.Mode;
        var modeText = Find(values, SettingNames.EnforcementMode);
        if (modeText is not null)
        {
            if (Is(modeText, "Audit"))
            {
                mode = EnforcementMode.Audit;
            }
            else if (Is(modeText, "Enforce"))
            {
                mode = EnforcementMode.Enforce;
            }
            else
            {
                mode = EnforcementMode.Enforce;
                problems.Add(Notices.SettingValueInvalid(SettingNames.EnforcementMode, modeText, "Audit or Enforce"));
            }
        }

        var types = defaults.PartnerRelationshipTypes;
        var typesText = Find(values, SettingNames.PartnerRelationshipTypes);
        if (typesText is not null)
        {
            var parsed = new List<int>();
            foreach (var part in typesText.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var type))
                {
                    parsed.Add(type);
                }
                else
                {
                    problems.Add(Notices.SettingValueInvalid(
                        SettingNames.PartnerRelationshipTypes, typesText, "a list of relationship type numbers such as 5, 9"));
                    parsed.Clear();
                    break;
                }
            }

            if (parsed.Count > 0)
            {
                types = parsed.ToArray();
            }
        }

        var autoAttach = defaults.AutoAttachAssignedPartner;
        var autoAttachText = Find(values, SettingNames.AutoAttachAssignedPartner);
        if (autoAttachText is not null)
        {
            if (Is(autoAttachText, "yes") || Is(autoAttachText, "true") || Is(autoAttachText, "1"))
            {
                autoAttach = true;
            }
            else if (Is(autoAttachText, "no") || Is(autoAttachText, "false") || Is(autoAttachText, "0"))
            {
                autoAttach = false;
            }
            else
            {
                problems.Add(Notices.SettingValueInvalid(SettingNames.AutoAttachAssignedPartner, autoAttachText, "Yes or No"));
            }
        }

        var conflict = defaults.ConflictPolicy;
        var conflictText = Find(values, SettingNames.ConflictPolicy);
        if (conflictText is not null)
        {
            if (Is(conflictText, "Block"))
            {
                conflict = ConflictPolicy.Block;
            }
            else if (Is(conflictText, "Allow"))
            {
                conflict = ConflictPolicy.Allow;
            }
            else
            {
                problems.Add(Notices.SettingValueInvalid(SettingNames.ConflictPolicy, conflictText, "Block or Allow"));
            }
        }

        Guid? bypassTeam = null;
        var bypassText = Find(values, SettingNames.BypassTeamId);
        if (bypassText is not null)
        {
            if (Guid.TryParse(bypassText, out var teamId) && teamId != Guid.Empty)
            {
                bypassTeam = teamId;
            }
            else
            {
                problems.Add(Notices.SettingValueInvalid(SettingNames.BypassTeamId, bypassText, "the unique identifier of a team, or empty"));
            }
        }

        return new ChannelSettings
        {
            Mode = mode,
            PartnerRelationshipTypes = types,
            AutoAttachAssignedPartner = autoAttach,
            ConflictPolicy = conflict,
            BypassTeamId = bypassTeam,
            Problem = problems.Count == 0 ? null : Notices.SettingsProblem(problems),
        };
    }

    /// <summary>Settings that could not be read at all: fail closed (Enforce) with an admin-directed problem.</summary>
    public static ChannelSettings Unreadable(string detail) =>
        new() { Mode = EnforcementMode.Enforce, Problem = Notices.SettingsUnreadable(detail) };

    private static string? Find(IReadOnlyDictionary<string, string?> values, string name)
    {
        foreach (var pair in values)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return string.IsNullOrWhiteSpace(pair.Value) ? null : pair.Value!.Trim();
            }
        }

        return null;
    }

    private static bool Is(string text, string expected) => string.Equals(text, expected, StringComparison.OrdinalIgnoreCase);
}

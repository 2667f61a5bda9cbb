using System.Globalization;

namespace PartnerGuard.Policy;

/// <summary>
/// Checks that a rule is consistent for its kind and builds the typed record. Every problem names the
/// field, in the words the admin sees on the form. Parameters that do not belong to the kind must be
/// empty, so that a saved rule always means exactly what it shows.
/// </summary>
public static class DirectSalesRuleValidator
{
    private static readonly char[] ListSeparators = { ',', ';', '\r', '\n' };

    public static RuleValidationResult Validate(DirectSalesRuleDraft draft)
    {
        if (draft is null)
        {
            throw new ArgumentNullException(nameof(draft));
        }

        var errors = new List<RuleValidationError>();

        var name = draft.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(Error(DirectSalesRuleField.Name, Notices.RuleFieldRequired(DirectSalesRuleField.Name)));
        }
        else if (name!.Length > Schema.DirectSalesRuleColumns.NameMaxLength)
        {
            errors.Add(Error(DirectSalesRuleField.Name, Notices.RuleNameTooLong(name.Length, Schema.DirectSalesRuleColumns.NameMaxLength)));
        }

        if (draft.Priority is null)
        {
            errors.Add(Error(DirectSalesRuleField.Priority, Notices.RuleFieldRequired(DirectSalesRuleField.Priority)));
        }
        else if (draft.Priority < 0)
        {
            errors.Add(Error(DirectSalesRuleField.Priority, Notices.RulePriorityNegative(draft.Priority.Value)));
        }

        if (draft.EffectiveFrom is DateTime from && draft.EffectiveTo is DateTime to && to.Date < from.Date)
        {
            errors.Add(Error(DirectSalesRuleField.EffectiveTo, Notices.RuleDatesReversed(from, to)));
        }

        var kind = ParseKind(draft.Kind, errors);
        SizeMeasure? measure = null;
        IReadOnlyList<string> countries = Array.Empty<string>();
        IReadOnlyList<string> regions = Array.Empty<string>();

        switch (kind)
        {
            case DirectSalesRuleKind.CustomerSizeAbove:
            case DirectSalesRuleKind.CustomerSizeBelow:
                measure = ParseMeasure(draft.Measure, kind.Value, errors);
                CheckThreshold(draft, kind.Value, measure, errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Countries, !string.IsNullOrWhiteSpace(draft.Countries), errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Regions, !string.IsNullOrWhiteSpace(draft.Regions), errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Account, draft.AccountId is not null, errors);
                break;

            case DirectSalesRuleKind.Geography:
                countries = ParseCountries(draft.Countries, errors);
                regions = SplitList(draft.Regions);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Measure, !string.IsNullOrWhiteSpace(draft.Measure), errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Threshold, draft.Threshold is not null, errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Account, draft.AccountId is not null, errors);
                break;

            case DirectSalesRuleKind.NamedAccount:
                if (draft.AccountId is null || draft.AccountId == Guid.Empty)
                {
                    errors.Add(Error(DirectSalesRuleField.Account, Notices.RuleFieldRequiredForKind(DirectSalesRuleField.Account, kind.Value)));
                }

                MustBeEmpty(kind.Value, DirectSalesRuleField.Measure, !string.IsNullOrWhiteSpace(draft.Measure), errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Threshold, draft.Threshold is not null, errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Countries, !string.IsNullOrWhiteSpace(draft.Countries), errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Regions, !string.IsNullOrWhiteSpace(draft.Regions), errors);
                break;

            case DirectSalesRuleKind.DealSizeAbove:
                CheckThreshold(draft, kind.Value, null, errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Measure, !string.IsNullOrWhiteSpace(draft.Measure), errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Countries, !string.IsNullOrWhiteSpace(draft.Countries), errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Regions, !string.IsNullOrWhiteSpace(draft.Regions), errors);
                MustBeEmpty(kind.Value, DirectSalesRuleField.Account, draft.AccountId is not null, errors);
                break;
        }

        if (kind is not null && kind != DirectSalesRuleKind.NamedAccount && draft.IncludeSubsidiaries == true)
        {
            errors.Add(Error(DirectSalesRuleField.IncludeSubsidiaries, Notices.RuleFieldNotForKind(DirectSalesRuleField.IncludeSubsidiaries, kind.Value)));
        }

        if (errors.Count > 0 || kind is null || name is null || draft.Priority is null)
        {
            return new RuleValidationResult(null, errors);
        }

        var priority = draft.Priority.Value;
        DirectSalesRule rule = kind.Value switch
        {
            DirectSalesRuleKind.CustomerSizeAbove => new CustomerSizeAboveRule(draft.Id, name, priority, measure!.Value, draft.Threshold!.Value),
            DirectSalesRuleKind.CustomerSizeBelow => new CustomerSizeBelowRule(draft.Id, name, priority, measure!.Value, draft.Threshold!.Value),
            DirectSalesRuleKind.Geography => new GeographyRule(draft.Id, name, priority, countries, regions),
            DirectSalesRuleKind.NamedAccount => new NamedAccountRule(draft.Id, name, priority, draft.AccountId!.Value, draft.AccountName, draft.IncludeSubsidiaries == true),
            _ => new DealSizeAboveRule(draft.Id, name, priority, draft.Threshold!.Value),
        };

        return new RuleValidationResult(
            rule with
            {
                Description = string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description!.Trim(),
                EffectiveFrom = draft.EffectiveFrom?.Date,
                EffectiveTo = draft.EffectiveTo?.Date,
                IsActive = draft.IsActive,
            },
            errors);
    }

    private static DirectSalesRuleKind? ParseKind(string? text, List<RuleValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(Error(DirectSalesRuleField.Kind, Notices.RuleFieldRequired(DirectSalesRuleField.Kind)));
            return null;
        }

        if (TryParseEnum<DirectSalesRuleKind>(text!.Trim(), out var kind))
        {
            return kind;
        }

        errors.Add(Error(DirectSalesRuleField.Kind, Notices.RuleKindUnknown(text.Trim())));
        return null;
    }

    private static SizeMeasure? ParseMeasure(string? text, DirectSalesRuleKind kind, List<RuleValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(Error(DirectSalesRuleField.Measure, Notices.RuleFieldRequiredForKind(DirectSalesRuleField.Measure, kind)));
            return null;
        }

        if (TryParseEnum<SizeMeasure>(text!.Trim(), out var measure))
        {
            return measure;
        }

        errors.Add(Error(DirectSalesRuleField.Measure, Notices.RuleMeasureUnknown(text.Trim())));
        return null;
    }

    private static void CheckThreshold(DirectSalesRuleDraft draft, DirectSalesRuleKind kind, SizeMeasure? measure, List<RuleValidationError> errors)
    {
        if (draft.Threshold is not decimal threshold)
        {
            errors.Add(Error(DirectSalesRuleField.Threshold, Notices.RuleFieldRequiredForKind(DirectSalesRuleField.Threshold, kind)));
            return;
        }

        if (threshold < 0m || (kind == DirectSalesRuleKind.CustomerSizeBelow && threshold == 0m))
        {
            errors.Add(Error(DirectSalesRuleField.Threshold, Notices.RuleThresholdNotPositive(kind, threshold)));
        }
        else if (measure == SizeMeasure.Employees && decimal.Truncate(threshold) != threshold)
        {
            errors.Add(Error(DirectSalesRuleField.Threshold, Notices.RuleThresholdNotWhole(threshold)));
        }
    }

    private static IReadOnlyList<string> ParseCountries(string? text, List<RuleValidationError> errors)
    {
        var entries = SplitList(text);
        if (entries.Count == 0)
        {
            errors.Add(Error(DirectSalesRuleField.Countries, Notices.RuleFieldRequiredForKind(DirectSalesRuleField.Countries, DirectSalesRuleKind.Geography)));
            return entries;
        }

        var codes = new List<string>(entries.Count);
        foreach (var entry in entries)
        {
            if (CountryNormalizer.TryNormalize(entry, out var code))
            {
                if (!codes.Contains(code))
                {
                    codes.Add(code);
                }
            }
            else
            {
                errors.Add(Error(DirectSalesRuleField.Countries, Notices.RuleCountryUnknown(entry)));
            }
        }

        return codes;
    }

    private static IReadOnlyList<string> SplitList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Array.Empty<string>();
        }

        var result = new List<string>();
        foreach (var part in text!.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = part.Trim();
            if (trimmed.Length > 0)
            {
                result.Add(trimmed);
            }
        }

        return result;
    }

    private static void MustBeEmpty(DirectSalesRuleKind kind, DirectSalesRuleField field, bool isSet, List<RuleValidationError> errors)
    {
        if (isSet)
        {
            errors.Add(Error(field, Notices.RuleFieldNotForKind(field, kind)));
        }
    }

    private static bool TryParseEnum<TEnum>(string text, out TEnum value)
        where TEnum : struct
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (Enum.IsDefined(typeof(TEnum), number))
            {
                value = (TEnum)Enum.ToObject(typeof(TEnum), number);
                return true;
            }

            value = default;
            return false;
        }

        // Names only ("DealSizeAbove", "deal size above"): Enum.TryParse would also accept numbers and comma lists.
        var compact = text.Replace(" ", string.Empty).Replace("-", string.Empty);
        foreach (var name in Enum.GetNames(typeof(TEnum)))
        {
            if (string.Equals(name, compact, StringComparison.OrdinalIgnoreCase))
            {
                value = (TEnum)Enum.Parse(typeof(TEnum), name);
                return true;
            }
        }

        value = default;
        return false;
    }

    private static RuleValidationError Error(DirectSalesRuleField field, string message) => new(field, message);
}

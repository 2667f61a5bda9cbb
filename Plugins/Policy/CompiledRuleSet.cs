namespace PartnerGuard.Policy;

/// <summary>
/// The active direct sales rules, validated, normalised and sorted once (lowest priority first, then
/// name), so that each decision only compares numbers and short strings. Immutable and safe to share
/// between threads. A rule set that could not be loaded carries a <see cref="Problem"/> instead of rules.
/// </summary>
public sealed class CompiledRuleSet
{
    private readonly CompiledRule[] _rules;

    private CompiledRuleSet(CompiledRule[] rules, string? problem)
    {
        _rules = rules;
        Problem = problem;
        var sorted = new DirectSalesRule[rules.Length];
        for (var i = 0; i < rules.Length; i++)
        {
            sorted[i] = rules[i].Rule;
        }

        Rules = sorted;
        for (var i = 0; i < sorted.Length; i++)
        {
            ReadsDealValue |= sorted[i].Kind == DirectSalesRuleKind.DealSizeAbove;
        }
    }

    /// <summary>No rules: nothing is handled direct.</summary>
    public static CompiledRuleSet Empty { get; } = new(Array.Empty<CompiledRule>(), null);

    /// <summary>The active rules in the order they are tried.</summary>
    public IReadOnlyList<DirectSalesRule> Rules { get; }

    /// <summary>An admin-directed description of why the rules could not be used, or null.</summary>
    public string? Problem { get; }

    public int Count => _rules.Length;

    /// <summary>True when a rule compares the deal's value (a deal-size rule): only then is the value converted to base currency.</summary>
    public bool ReadsDealValue { get; }

    /// <summary>Compiles validated rules; inactive ones are left out.</summary>
    public static CompiledRuleSet Compile(IEnumerable<DirectSalesRule> rules)
    {
        if (rules is null)
        {
            throw new ArgumentNullException(nameof(rules));
        }

        var compiled = new List<CompiledRule>();
        foreach (var rule in rules)
        {
            if (rule is not null && rule.IsActive)
            {
                compiled.Add(new CompiledRule(rule));
            }
        }

        compiled.Sort(CompareRules);
        return new CompiledRuleSet(compiled.ToArray(), null);
    }

    /// <summary>
    /// Validates every draft and compiles the active ones. One invalid active rule makes the whole set
    /// unusable (an unknown kind is an error, not a skipped rule): the result carries a problem naming
    /// the rule and the field.
    /// </summary>
    public static CompiledRuleSet FromDrafts(IEnumerable<DirectSalesRuleDraft> drafts)
    {
        if (drafts is null)
        {
            throw new ArgumentNullException(nameof(drafts));
        }

        var rules = new List<DirectSalesRule>();
        var problems = new List<string>();
        foreach (var draft in drafts)
        {
            if (!draft.IsActive)
            {
                continue;
            }

            var result = DirectSalesRuleValidator.Validate(draft);
            if (result.Rule is not null)
            {
                rules.Add(result.Rule);
            }
            else
            {
                problems.Add(Notices.RuleInvalidInSet(draft.Name, result.Errors));
            }
        }

        return problems.Count == 0 ? Compile(rules) : Failed(Notices.RulesProblem(problems));
    }

    /// <summary>A rule set that could not be loaded; <paramref name="problem"/> is admin-directed.</summary>
    public static CompiledRuleSet Failed(string problem) => new(Array.Empty<CompiledRule>(), problem);

    internal CompiledRule? FindMatch(ChannelFacts facts, DateTime now, ref MatchState state)
    {
        var rules = _rules;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Matches(facts, now, ref state))
            {
                return rules[i];
            }
        }

        return null;
    }

    private static int CompareRules(CompiledRule left, CompiledRule right)
    {
        var byPriority = left.Rule.Priority.CompareTo(right.Rule.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byName = StringComparer.OrdinalIgnoreCase.Compare(left.Rule.Name, right.Rule.Name);
        if (byName != 0)
        {
            return byName;
        }

        var byExactName = StringComparer.Ordinal.Compare(left.Rule.Name, right.Rule.Name);
        return byExactName != 0 ? byExactName : left.Rule.Id.CompareTo(right.Rule.Id);
    }
}

/// <summary>Per-decision values computed at most once, whichever rules ask for them.</summary>
internal struct MatchState
{
    public bool CountryDone;
    public string? CountryCode;
    public bool RegionDone;
    public string? RegionKey;
}

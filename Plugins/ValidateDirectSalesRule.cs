using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Plugins;

/// <summary>
/// Rejects an inconsistent direct sales rule when an admin saves it (PreValidation, synchronous, Create and
/// Update; <see cref="PluginSteps"/>), with a message that names each wrong field. Makes no service call.
/// A save that leaves the rule inactive (a deactivation in the same update) is not checked: inactive rules are
/// never used, and an admin must always be able to switch off a rule that no longer makes sense. Activating
/// an inconsistent rule is rejected, and a rule activated some other way is caught when the rules are loaded
/// (PG-900 naming the rule).
/// </summary>
public sealed class ValidateDirectSalesRule : PluginBase
{
    private const string Check = "direct sales rule check";

    public ValidateDirectSalesRule()
        : base(nameof(ValidateDirectSalesRule), Check)
    {
    }

    /// <summary>The constructor the platform calls with a step's configuration; PartnerGuard uses none.</summary>
    public ValidateDirectSalesRule(string unsecureConfiguration, string secureConfiguration)
        : this()
    {
    }

    private protected override void Run(PluginRun run)
    {
        var step = run.RequireStep(PluginSteps.ValidateRuleOnCreate, PluginSteps.ValidateRuleOnUpdate);
        var state = new RecordState(run.Target(), run.PreImage(step));
        var stateCode = Values.Int(state.Value(DirectSalesRuleColumns.StateCode)) ?? DirectSalesRuleColumns.Active;
        if (stateCode != DirectSalesRuleColumns.Active)
        {
            run.Trace("{0}: decision valid=skipped state={1}", run.PluginName, stateCode);
            return;
        }

        var result = DirectSalesRuleValidator.Validate(DirectSalesRuleMapper.ToDraft(state));

        run.Trace("{0}: decision valid={1} errors={2}", run.PluginName, result.IsValid, string.Join(",", FieldsOf(result)));
        if (!result.IsValid)
        {
            throw new InvalidPluginExecutionException(Notices.RuleRejected(result.Errors));
        }
    }

    private static IEnumerable<string> FieldsOf(RuleValidationResult result)
    {
        foreach (var error in result.Errors)
        {
            yield return error.Field.ToString();
        }
    }
}

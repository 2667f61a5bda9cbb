using Microsoft.Xrm.Sdk;
using PartnerGuard.Plugins.Policy;

namespace PartnerGuard.Plugins;

/// <summary>
/// Rejects an inconsistent direct sales rule when an admin saves it (PreValidation, synchronous, Create and
/// Update; <see cref="PluginSteps"/>), with a message that names each wrong field. Makes no service call.
/// </summary>
public sealed class ValidateDirectSalesRule : IPlugin
{
    private const string Check = "direct sales rule check";

    public ValidateDirectSalesRule()
    {
    }

    /// <summary>The constructor the platform calls with a step's configuration; PartnerGuard uses none.</summary>
    public ValidateDirectSalesRule(string unsecureConfiguration, string secureConfiguration)
    {
    }

    public void Execute(IServiceProvider serviceProvider)
    {
        var run = PluginRun.Start(serviceProvider, nameof(ValidateDirectSalesRule), Check);
        try
        {
            var step = run.RequireStep(PluginSteps.ValidateRuleOnCreate, PluginSteps.ValidateRuleOnUpdate);
            var state = new RecordState(run.Target(), run.PreImage(step));
            var stateCode = Values.Int(state.Value(DirectSalesRuleColumns.StateCode)) ?? DirectSalesRuleColumns.Active;

            var result = DirectSalesRuleValidator.Validate(DirectSalesRuleMapper.ToDraft(state, stateCode == DirectSalesRuleColumns.Active));

            run.Trace("{0}: decision valid={1} errors={2}", run.PluginName, result.IsValid, string.Join(",", FieldsOf(result)));
            if (!result.IsValid)
            {
                throw new InvalidPluginExecutionException(Messages.RuleRejected(result.Errors));
            }
        }
        catch (InvalidPluginExecutionException)
        {
            throw;
        }
        catch (Exception exception)
        {
            throw run.Unexpected(exception);
        }
        finally
        {
            run.Exit();
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

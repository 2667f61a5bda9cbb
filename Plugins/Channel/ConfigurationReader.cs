using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Plugins;

/// <summary>Reads the settings (environment variables), the active direct sales rules, bypass-team membership and exchange rates.</summary>
internal static class ConfigurationReader
{
    private const string ValueAlias = "current";

    /// <summary>
    /// One query: the PartnerGuard environment variable definitions with an outer link to their value rows.
    /// The current value is the value row's when one exists, else the definition's default; a setting with
    /// neither gets the built-in default (<see cref="ChannelSettings.Default"/>).
    /// </summary>
    public static ChannelSettings ReadSettings(IOrganizationService service)
    {
        var query = new QueryExpression(EnvironmentVariableColumns.DefinitionTable)
        {
            ColumnSet = new ColumnSet(new[] { EnvironmentVariableColumns.SchemaName, EnvironmentVariableColumns.DefaultValue }),
        };
        var names = new object[SettingNames.All.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = SettingNames.All[i];
        }

        query.Criteria.AddCondition(EnvironmentVariableColumns.SchemaName, ConditionOperator.In, names);
        var value = query.AddLink(EnvironmentVariableColumns.ValueTable, EnvironmentVariableColumns.DefinitionId, EnvironmentVariableColumns.DefinitionId, JoinOperator.LeftOuter);
        value.EntityAlias = ValueAlias;
        value.Columns = new ColumnSet(new[] { EnvironmentVariableColumns.Value });

        var current = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in service.RetrieveMultiple(query).Entities)
        {
            // A definition has at most one value row (Dataverse enforces it), so each name comes once.
            var name = Values.Text(Values.Attribute(row, EnvironmentVariableColumns.SchemaName));
            if (name is not null)
            {
                var overridden = Values.Text(Values.Attribute(row, ValueAlias + "." + EnvironmentVariableColumns.Value));
                current[name] = overridden ?? Values.Text(Values.Attribute(row, EnvironmentVariableColumns.DefaultValue));
            }
        }

        return ChannelSettingsParser.Parse(current);
    }

    /// <summary>One query: every active rule. Validation happens here, once per load, not per decision.</summary>
    public static CompiledRuleSet ReadRules(IOrganizationService service)
    {
        var query = new QueryExpression(DirectSalesRuleColumns.Table)
        {
            ColumnSet = new ColumnSet(RuleQueryColumns()),
        };
        query.Criteria.AddCondition(DirectSalesRuleColumns.StateCode, ConditionOperator.Equal, DirectSalesRuleColumns.Active);

        var result = service.RetrieveMultiple(query);
        if (result.MoreRecords)
        {
            return CompiledRuleSet.Failed(Notices.RulesUnreadable("there are more active direct sales rules than one page holds (5,000); deactivate the ones no longer used"));
        }

        var drafts = new List<DirectSalesRuleDraft>(result.Entities.Count);
        foreach (var row in result.Entities)
        {
            drafts.Add(DirectSalesRuleMapper.ToDraft(new RecordState(row, null)));
        }

        return CompiledRuleSet.FromDrafts(drafts);
    }

    /// <summary>One query, made only when a decision would block and a bypass team is configured.</summary>
    public static bool IsTeamMember(IOrganizationService service, Guid teamId, Guid userId)
    {
        var query = new QueryExpression(TeamMembershipColumns.Table)
        {
            ColumnSet = new ColumnSet(new[] { TeamMembershipColumns.Id }),
            TopCount = 1,
        };
        query.Criteria.AddCondition(TeamMembershipColumns.TeamId, ConditionOperator.Equal, teamId);
        query.Criteria.AddCondition(TeamMembershipColumns.SystemUserId, ConditionOperator.Equal, userId);
        return service.RetrieveMultiple(query).Entities.Count > 0;
    }

    /// <summary>One call: the currency's exchange rate (units of it per base unit), or null when the row has none.</summary>
    public static decimal? ReadExchangeRate(IOrganizationService service, Guid currencyId)
    {
        var currency = service.Retrieve(TransactionCurrencyColumns.Table, currencyId, new ColumnSet(new[] { TransactionCurrencyColumns.ExchangeRate }));
        return Values.Decimal(Values.Attribute(currency, TransactionCurrencyColumns.ExchangeRate));
    }

    private static string[] RuleQueryColumns()
    {
        var columns = new string[DirectSalesRuleColumns.RuleColumns.Count + 1];
        columns[0] = DirectSalesRuleColumns.Id;
        for (var i = 0; i < DirectSalesRuleColumns.RuleColumns.Count; i++)
        {
            columns[i + 1] = DirectSalesRuleColumns.RuleColumns[i];
        }

        return columns;
    }
}

using Microsoft.Extensions.Time.Testing;
using System.Globalization;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Emulator.Tests.Queries;

/// <summary>
/// Every operator of Microsoft Learn's FetchXML condition-operator reference
/// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/operators, "Page" below), each run both
/// as FetchXML and as a QueryExpression with the matching ConditionOperator member, on a virtual clock. The reference
/// names the operators and data types; where it gives no bounds, the rows follow the platform's published measured
/// behaviour (see <c>RelativeDates</c>): last-x-… runs from midnight X periods back up to now, next-x-… from now to
/// midnight tonight plus X periods, weeks run Sunday through Saturday (the reference's last-week), the user's time
/// zone is UTC and the fiscal year starts on 1 January with quarterly periods (the emulator's documented defaults).
/// </summary>
public sealed class ConditionOperatorTests
{
    private const string Page = "learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/operators";

    /// <summary>Wednesday 13 May 2026, 13:30:00 UTC.</summary>
    private static readonly DateTimeOffset Now = new(2026, 5, 13, 13, 30, 0, TimeSpan.Zero);

    private static readonly (string Name, DateTime? When)[] Dated =
    {
        ("y2024", new DateTime(2024, 12, 31, 12, 0, 0, DateTimeKind.Utc)),
        ("y2025", new DateTime(2025, 6, 15, 12, 0, 0, DateTimeKind.Utc)),
        ("feb01", new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc)),
        ("apr20", new DateTime(2026, 4, 20, 9, 0, 0, DateTimeKind.Utc)),
        ("may09", new DateTime(2026, 5, 9, 23, 59, 59, DateTimeKind.Utc)),
        ("may10", new DateTime(2026, 5, 10, 0, 0, 0, DateTimeKind.Utc)),
        ("may12", new DateTime(2026, 5, 12, 10, 0, 0, DateTimeKind.Utc)),
        ("may13a", new DateTime(2026, 5, 13, 0, 0, 0, DateTimeKind.Utc)),
        ("may13b", new DateTime(2026, 5, 13, 12, 30, 0, DateTimeKind.Utc)),
        ("may13c", new DateTime(2026, 5, 13, 13, 29, 0, DateTimeKind.Utc)),
        ("may13d", new DateTime(2026, 5, 13, 14, 0, 0, DateTimeKind.Utc)),
        ("may14", new DateTime(2026, 5, 14, 9, 0, 0, DateTimeKind.Utc)),
        ("may16", new DateTime(2026, 5, 16, 23, 59, 59, DateTimeKind.Utc)),
        ("may17", new DateTime(2026, 5, 17, 0, 0, 0, DateTimeKind.Utc)),
        ("may24", new DateTime(2026, 5, 24, 0, 0, 0, DateTimeKind.Utc)),
        ("jun01", new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc)),
        ("aug15", new DateTime(2026, 8, 15, 0, 0, 0, DateTimeKind.Utc)),
        ("y2027", new DateTime(2027, 3, 1, 0, 0, 0, DateTimeKind.Utc)),
        ("undated", null),
    };

    private static readonly Lazy<DataverseOrg> DatedOrg = new(() =>
    {
        var org = DataverseOrg.Create(new DataverseOrgOptions { Clock = new FakeTimeProvider(Now) });
        foreach (var (name, when) in Dated)
        {
            var row = new Entity("opportunity") { ["name"] = name };
            if (when is { } date)
            {
                row["estimatedclosedate"] = date;
            }

            org.Seed(row);
        }

        return org;
    });

    // Each row: FetchXML operator, ConditionOperator member, values ('|'-separated), the rows it selects.
    [Theory]
    [InlineData("today", ConditionOperator.Today, "", "may13a may13b may13c may13d")]
    [InlineData("yesterday", ConditionOperator.Yesterday, "", "may12")]
    [InlineData("tomorrow", ConditionOperator.Tomorrow, "", "may14")]
    [InlineData("last-seven-days", ConditionOperator.Last7Days, "", "may09 may10 may12 may13a may13b may13c")]
    [InlineData("next-seven-days", ConditionOperator.Next7Days, "", "may13d may14 may16 may17")]
    [InlineData("this-week", ConditionOperator.ThisWeek, "", "may10 may12 may13a may13b may13c may13d may14 may16")]
    [InlineData("last-week", ConditionOperator.LastWeek, "", "may09")]
    [InlineData("next-week", ConditionOperator.NextWeek, "", "may17")]
    [InlineData("this-month", ConditionOperator.ThisMonth, "", "may09 may10 may12 may13a may13b may13c may13d may14 may16 may17 may24")]
    [InlineData("last-month", ConditionOperator.LastMonth, "", "apr20")]
    [InlineData("next-month", ConditionOperator.NextMonth, "", "jun01")]
    [InlineData("this-year", ConditionOperator.ThisYear, "", "feb01 apr20 may09 may10 may12 may13a may13b may13c may13d may14 may16 may17 may24 jun01 aug15")]
    [InlineData("last-year", ConditionOperator.LastYear, "", "y2025")]
    [InlineData("next-year", ConditionOperator.NextYear, "", "y2027")]
    [InlineData("last-x-hours", ConditionOperator.LastXHours, "1", "may13b may13c")]
    [InlineData("next-x-hours", ConditionOperator.NextXHours, "1", "may13d")]
    [InlineData("last-x-days", ConditionOperator.LastXDays, "1", "may12 may13a may13b may13c")]
    [InlineData("next-x-days", ConditionOperator.NextXDays, "1", "may13d may14")]
    [InlineData("last-x-weeks", ConditionOperator.LastXWeeks, "1", "may09 may10 may12 may13a may13b may13c")]
    [InlineData("next-x-weeks", ConditionOperator.NextXWeeks, "1", "may13d may14 may16 may17")]
    [InlineData("last-x-months", ConditionOperator.LastXMonths, "1", "apr20 may09 may10 may12 may13a may13b may13c")]
    [InlineData("next-x-months", ConditionOperator.NextXMonths, "1", "may13d may14 may16 may17 may24 jun01")]
    [InlineData("last-x-years", ConditionOperator.LastXYears, "1", "y2025 feb01 apr20 may09 may10 may12 may13a may13b may13c")]
    [InlineData("next-x-years", ConditionOperator.NextXYears, "1", "may13d may14 may16 may17 may24 jun01 aug15 y2027")]
    [InlineData("olderthan-x-minutes", ConditionOperator.OlderThanXMinutes, "30", "y2024 y2025 feb01 apr20 may09 may10 may12 may13a may13b")]
    [InlineData("olderthan-x-hours", ConditionOperator.OlderThanXHours, "1", "y2024 y2025 feb01 apr20 may09 may10 may12 may13a")]
    [InlineData("olderthan-x-days", ConditionOperator.OlderThanXDays, "1", "y2024 y2025 feb01 apr20 may09 may10")]
    [InlineData("olderthan-x-weeks", ConditionOperator.OlderThanXWeeks, "1", "y2024 y2025 feb01 apr20")]
    [InlineData("olderthan-x-months", ConditionOperator.OlderThanXMonths, "1", "y2024 y2025 feb01")]
    [InlineData("olderthan-x-years", ConditionOperator.OlderThanXYears, "1", "y2024")]
    [InlineData("on", ConditionOperator.On, "2026-05-13", "may13a may13b may13c may13d")]
    [InlineData("on-or-before", ConditionOperator.OnOrBefore, "2026-05-09", "y2024 y2025 feb01 apr20 may09")]
    [InlineData("on-or-after", ConditionOperator.OnOrAfter, "2026-05-16", "may16 may17 may24 jun01 aug15 y2027")]
    [InlineData("between", ConditionOperator.Between, "2026-05-10|2026-05-12T10:00:00Z", "may10 may12")]
    [InlineData("not-between", ConditionOperator.NotBetween, "2026-05-10|2026-05-12T10:00:00Z", "y2024 y2025 feb01 apr20 may09 may13a may13b may13c may13d may14 may16 may17 may24 jun01 aug15 y2027")]
    [InlineData("this-fiscal-year", ConditionOperator.ThisFiscalYear, "", "feb01 apr20 may09 may10 may12 may13a may13b may13c may13d may14 may16 may17 may24 jun01 aug15")]
    [InlineData("last-fiscal-year", ConditionOperator.LastFiscalYear, "", "y2025")]
    [InlineData("next-fiscal-year", ConditionOperator.NextFiscalYear, "", "y2027")]
    [InlineData("this-fiscal-period", ConditionOperator.ThisFiscalPeriod, "", "apr20 may09 may10 may12 may13a may13b may13c may13d may14 may16 may17 may24 jun01")]
    [InlineData("last-fiscal-period", ConditionOperator.LastFiscalPeriod, "", "feb01")]
    [InlineData("next-fiscal-period", ConditionOperator.NextFiscalPeriod, "", "aug15")]
    [InlineData("last-x-fiscal-years", ConditionOperator.LastXFiscalYears, "2", "y2024 y2025")]
    [InlineData("next-x-fiscal-years", ConditionOperator.NextXFiscalYears, "1", "y2027")]
    [InlineData("last-x-fiscal-periods", ConditionOperator.LastXFiscalPeriods, "2", "feb01")]
    [InlineData("next-x-fiscal-periods", ConditionOperator.NextXFiscalPeriods, "2", "aug15")]
    [InlineData("in-fiscal-year", ConditionOperator.InFiscalYear, "2025", "y2025")]
    [InlineData("in-fiscal-period", ConditionOperator.InFiscalPeriod, "2", "y2025 apr20 may09 may10 may12 may13a may13b may13c may13d may14 may16 may17 may24 jun01")]
    [InlineData("in-fiscal-period-and-year", ConditionOperator.InFiscalPeriodAndYear, "1|2026", "feb01")]
    [InlineData("in-or-before-fiscal-period-and-year", ConditionOperator.InOrBeforeFiscalPeriodAndYear, "1|2026", "y2024 y2025 feb01")]
    [InlineData("in-or-after-fiscal-period-and-year", ConditionOperator.InOrAfterFiscalPeriodAndYear, "3|2026", "aug15 y2027")]
    public void DatetimeOperators_SelectTheirWindow(string fetchOperator, ConditionOperator sdkOperator, string values, string expected)
    {
        var service = DatedOrg.Value.GetService();
        var valueList = values.Length == 0 ? Array.Empty<string>() : values.Split('|');
        var fetchRows = Names(service, Fetch("opportunity", "estimatedclosedate", fetchOperator, valueList));

        var query = new QueryExpression("opportunity") { ColumnSet = new ColumnSet("name") };
        query.Criteria.AddCondition("estimatedclosedate", sdkOperator, valueList.Select(Typed).ToArray());
        var sdkRows = Names(service, query);

        var want = expected.Split(' ').Order(StringComparer.Ordinal).ToList();
        Assert.True(want.SequenceEqual(fetchRows), $"{fetchOperator} ({Page}) as FetchXML: expected [{string.Join(' ', want)}], got [{string.Join(' ', fetchRows)}]");
        Assert.True(want.SequenceEqual(sdkRows), $"{sdkOperator} ({Page}) as QueryExpression: expected [{string.Join(' ', want)}], got [{string.Join(' ', sdkRows)}]");
    }

    // The bounds move with the virtual clock: one minute later, a row 30 minutes old becomes "older than 30 minutes".
    [Fact]
    public void RelativeOperators_ReadTheOrgClock()
    {
        var clock = new FakeTimeProvider(Now);
        var org = DataverseOrg.Create(new DataverseOrgOptions { Clock = clock });
        org.Seed(new Entity("opportunity") { ["name"] = "edge", ["estimatedclosedate"] = Now.UtcDateTime.AddMinutes(-30) });
        var fetch = Fetch("opportunity", "estimatedclosedate", "olderthan-x-minutes", new[] { "30" });

        Assert.Empty(Names(org.GetService(), fetch));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new[] { "edge" }, Names(org.GetService(), fetch));
    }

    // The fiscal settings come from DataverseOrgOptions: with a fiscal year starting in April and monthly periods,
    // 20 April 2026 is period 1 of FY2026 and 1 February 2026 is period 11 of FY2025.
    [Fact]
    public void FiscalOperators_FollowTheOrgsFiscalSettings()
    {
        var org = DataverseOrg.Create(new DataverseOrgOptions { Clock = new FakeTimeProvider(Now), FiscalYearStartMonth = 4, FiscalPeriodsPerYear = 12 });
        org.Seed(new Entity("opportunity") { ["name"] = "feb01", ["estimatedclosedate"] = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc) });
        org.Seed(new Entity("opportunity") { ["name"] = "apr20", ["estimatedclosedate"] = new DateTime(2026, 4, 20, 0, 0, 0, DateTimeKind.Utc) });
        var service = org.GetService();

        Assert.Equal(new[] { "apr20" }, Names(service, Fetch("opportunity", "estimatedclosedate", "in-fiscal-period-and-year", new[] { "1", "2026" })));
        Assert.Equal(new[] { "feb01" }, Names(service, Fetch("opportunity", "estimatedclosedate", "in-fiscal-period-and-year", new[] { "11", "2025" })));
        Assert.Equal(new[] { "feb01" }, Names(service, Fetch("opportunity", "estimatedclosedate", "last-fiscal-year", Array.Empty<string>())));
    }

    // Fiscal settings the emulator cannot represent are refused when the org is created, not at query time.
    [Theory]
    [InlineData(0, 4)]
    [InlineData(13, 4)]
    [InlineData(1, 13)]
    [InlineData(1, 3)]
    public void FiscalSettings_OutOfRange_AreRefusedAtCreate(int startMonth, int periods)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DataverseOrg.Create(new DataverseOrgOptions { FiscalYearStartMonth = startMonth, FiscalPeriodsPerYear = periods }));
    }

    // Text, number, choice, null and hierarchy operators of the same page, on the shared query data set.
    [Theory]
    [InlineData("eq", ConditionOperator.Equal, "address1_country", "US", "Contoso|Fabrikam|Northwind_Traders")]
    [InlineData("ne", ConditionOperator.NotEqual, "numberofemployees", "10", "Contoso|Contoso Europe")]
    [InlineData("neq", ConditionOperator.NotEqual, "numberofemployees", "10", "Contoso|Contoso Europe")]
    [InlineData("gt", ConditionOperator.GreaterThan, "revenue", "250000", "Contoso|Contoso Europe")]
    [InlineData("ge", ConditionOperator.GreaterEqual, "revenue", "250000", "Contoso|Contoso Europe|Fabrikam")]
    [InlineData("lt", ConditionOperator.LessThan, "numberofemployees", "50", "Fabrikam|Northwind_Traders")]
    [InlineData("le", ConditionOperator.LessEqual, "numberofemployees", "50", "Contoso Europe|Fabrikam|Northwind_Traders")]
    [InlineData("like", ConditionOperator.Like, "name", "%works", "Adventure Works")]
    [InlineData("not-like", ConditionOperator.NotLike, "name", "C%", "Adventure Works|Fabrikam|Northwind_Traders")]
    [InlineData("begins-with", ConditionOperator.BeginsWith, "name", "contoso ", "Contoso Berlin|Contoso Europe")]
    [InlineData("not-begin-with", ConditionOperator.DoesNotBeginWith, "name", "contoso", "Adventure Works|Café Olé|Fabrikam|Northwind_Traders")]
    [InlineData("ends-with", ConditionOperator.EndsWith, "name", "ole", "Café Olé")]
    [InlineData("not-end-with", ConditionOperator.DoesNotEndWith, "name", "e", "Adventure Works|Contoso|Contoso Berlin|Fabrikam|Northwind_Traders")]
    [InlineData("in", ConditionOperator.In, "address1_country", "DE|GB", "Adventure Works|Contoso Berlin|Contoso Europe")]
    [InlineData("not-in", ConditionOperator.NotIn, "address1_country", "US|DE", "Adventure Works|Café Olé")]
    [InlineData("null", ConditionOperator.Null, "revenue", "", "Café Olé|Contoso Berlin|Northwind_Traders")]
    [InlineData("not-null", ConditionOperator.NotNull, "parentaccountid", "", "Contoso Berlin|Contoso Europe")]
    [InlineData("between", ConditionOperator.Between, "revenue", "0|250000", "Adventure Works|Fabrikam")]
    [InlineData("not-between", ConditionOperator.NotBetween, "revenue", "0|250000", "Contoso|Contoso Europe")]
    [InlineData("eq", ConditionOperator.Equal, "customertypecode", "5", "Adventure Works|Fabrikam")]
    [InlineData("under", ConditionOperator.Under, "accountid", "@Contoso", "Contoso Berlin|Contoso Europe")]
    [InlineData("eq-or-under", ConditionOperator.UnderOrEqual, "accountid", "@Contoso Europe", "Contoso Berlin|Contoso Europe")]
    [InlineData("not-under", ConditionOperator.NotUnder, "accountid", "@Contoso Europe", "Adventure Works|Café Olé|Contoso|Contoso Europe|Fabrikam|Northwind_Traders")]
    [InlineData("above", ConditionOperator.Above, "accountid", "@Contoso Berlin", "Contoso|Contoso Europe")]
    [InlineData("eq-or-above", ConditionOperator.AboveOrEqual, "accountid", "@Contoso Berlin", "Contoso|Contoso Berlin|Contoso Europe")]
    public void ValueOperators_SelectTheirRows(string fetchOperator, ConditionOperator sdkOperator, string attribute, string values, string expected)
    {
        var data = SharedData.Value;
        var service = data.Org.GetService();
        var valueList = values.Length == 0 ? Array.Empty<string>() : values.Split('|')
            .Select(v => v.StartsWith('@') ? data.Ids[v[1..]].ToString() : v).ToArray();

        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
        query.Criteria.AddCondition(attribute, sdkOperator, valueList.Cast<object>().ToArray());

        var want = expected.Split('|').Order(StringComparer.Ordinal).ToList();
        Assert.True(want.SequenceEqual(Names(service, Fetch("account", attribute, fetchOperator, valueList))), $"{fetchOperator} ({Page}) as FetchXML");
        Assert.True(want.SequenceEqual(Names(service, query)), $"{sdkOperator} ({Page}) as QueryExpression");
    }

    // The user-relative operators of the page compare with the calling user (here Uma, member of Team), her teams and
    // her business unit. The emulator has no manager hierarchy, so the "user hierarchy" operators see Uma (and teams).
    [Theory]
    [InlineData("eq-userid", ConditionOperator.EqualUserId, "ownerid", "ByUma")]
    [InlineData("ne-userid", ConditionOperator.NotEqualUserId, "ownerid", "ByOtto ByTeam ByUgo")]
    [InlineData("eq-userteams", ConditionOperator.EqualUserTeams, "ownerid", "ByTeam")]
    [InlineData("eq-useroruserteams", ConditionOperator.EqualUserOrUserTeams, "ownerid", "ByTeam ByUma")]
    [InlineData("eq-useroruserhierarchy", ConditionOperator.EqualUserOrUserHierarchy, "ownerid", "ByUma")]
    [InlineData("eq-useroruserhierarchyandteams", ConditionOperator.EqualUserOrUserHierarchyAndTeams, "ownerid", "ByTeam ByUma")]
    [InlineData("eq-businessid", ConditionOperator.EqualBusinessId, "owningbusinessunit", "ByTeam ByUgo ByUma")]
    [InlineData("ne-businessid", ConditionOperator.NotEqualBusinessId, "owningbusinessunit", "ByOtto")]
    [InlineData("eq-userlanguage", ConditionOperator.EqualUserLanguage, "numberofemployees", "ByUgo")]
    public void UserOperators_CompareWithTheCaller(string fetchOperator, ConditionOperator sdkOperator, string attribute, string expected)
    {
        var (org, uma) = UserOrg.Value;
        var service = org.GetService(uma);
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
        query.Criteria.AddCondition(attribute, sdkOperator);

        var want = expected.Split(' ').Order(StringComparer.Ordinal).ToList();
        Assert.True(want.SequenceEqual(Names(service, Fetch("account", attribute, fetchOperator, Array.Empty<string>()))), $"{fetchOperator} ({Page}) as FetchXML");
        Assert.True(want.SequenceEqual(Names(service, query)), $"{sdkOperator} ({Page}) as QueryExpression");
    }

    // contain-values / not-contain-values apply to multi-select choices, which the emulator does not have: a clear fault.
    [Theory]
    [InlineData("contain-values")]
    [InlineData("not-contain-values")]
    public void MultiSelectOperators_AreRefusedClearly(string fetchOperator)
    {
        var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
            SharedData.Value.Org.GetService().RetrieveMultiple(new FetchExpression(Fetch("account", "customertypecode", fetchOperator, new[] { "5" }))));
        Assert.Contains("multi-select", fault.Detail.Message);
    }

    private static readonly Lazy<QueryData> SharedData = new(() => new QueryData());

    private static readonly Lazy<(DataverseOrg Org, Guid Uma)> UserOrg = new(() =>
    {
        var org = DataverseOrg.Create(new DataverseOrgOptions { Clock = new FakeTimeProvider(Now) });
        var otherUnit = org.Seed(new Entity("businessunit") { ["name"] = "Elsewhere", ["parentbusinessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId) });
        var uma = RoleAssignments.CreateAdministrator(org, "Uma");
        var ugo = RoleAssignments.CreateAdministrator(org, "Ugo");
        var otto = RoleAssignments.CreateAdministrator(org, "Otto", otherUnit);
        var team = org.CreateTeam("Team", uma);
        org.GetService(uma).Create(new Entity("account") { ["name"] = "ByUma" });
        org.GetService(ugo).Create(new Entity("account") { ["name"] = "ByUgo", ["numberofemployees"] = 1033 });
        org.GetService(otto).Create(new Entity("account") { ["name"] = "ByOtto" });
        org.GetService(uma).Create(new Entity("account") { ["name"] = "ByTeam", ["ownerid"] = new EntityReference("team", team) });
        return (org, uma);
    });

    private static string Fetch(string table, string attribute, string op, IReadOnlyList<string> values)
    {
        var inner = values.Count == 0 ? "/>" : ">" + string.Concat(values.Select(v => $"<value>{System.Security.SecurityElement.Escape(v)}</value>")) + "</condition>";
        return $"<fetch><entity name='{table}'><attribute name='name'/><filter><condition attribute='{attribute}' operator='{op}'{inner}</filter></entity></fetch>";
    }

    private static List<string> Names(IOrganizationService service, string fetch) => Names(service, new FetchExpression(fetch));

    private static List<string> Names(IOrganizationService service, QueryBase query)
        => service.RetrieveMultiple(query).Entities.Select(e => (string)e["name"]).Order(StringComparer.Ordinal).ToList();

    /// <summary>What an SDK caller passes: whole numbers as int, dates as DateTime.</summary>
    private static object Typed(string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}

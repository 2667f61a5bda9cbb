using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.Query;

/// <summary>
/// The date/time window each relative date operator of the FetchXML condition-operator reference
/// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/operators) selects, as a half-open
/// range [From, To) in UTC, the emulator's assumed user time zone.
/// <list type="bullet">
/// <item>today/yesterday/tomorrow, this/last/next-week (Sunday through Saturday, as the reference says of last-week),
/// this/last/next-month and -year: whole calendar days, weeks, months and years.</item>
/// <item>last-x-days/-weeks/-months/-years and last-seven-days: from midnight today back X whole periods, up to now;
/// next-x-…/next-seven-days: from now up to midnight tonight plus X whole periods (exclusive). The reference says only
/// "within the last/next X days"; these bounds are the platform's as measured and published (markcarrington.dev
/// 2020-08-25 "FetchXML Date Filtering"; gonzaloruizcrm.blogspot.com 2012-07 "Date and Time operators in CRM
/// explained").</item>
/// <item>last-x-hours: from the start of the current hour back X hours, up to now; next-x-hours: now to now + X hours
/// (same sources).</item>
/// <item>olderthan-x-minutes/-hours: before now minus X; olderthan-x-days/-weeks/-months/-years: before midnight today
/// minus X whole periods.</item>
/// <item>Fiscal operators use <see cref="FiscalCalendar"/>.</item>
/// </list>
/// </summary>
internal static class RelativeDates
{
    /// <summary>True for the operators that need one whole number X.</summary>
    public static bool TakesCount(ConditionOperator op) => op is ConditionOperator.LastXHours or ConditionOperator.NextXHours
        or ConditionOperator.LastXDays or ConditionOperator.NextXDays or ConditionOperator.LastXWeeks or ConditionOperator.NextXWeeks
        or ConditionOperator.LastXMonths or ConditionOperator.NextXMonths or ConditionOperator.LastXYears or ConditionOperator.NextXYears
        or ConditionOperator.OlderThanXMinutes or ConditionOperator.OlderThanXHours or ConditionOperator.OlderThanXDays
        or ConditionOperator.OlderThanXWeeks or ConditionOperator.OlderThanXMonths or ConditionOperator.OlderThanXYears
        or ConditionOperator.LastXFiscalYears or ConditionOperator.LastXFiscalPeriods
        or ConditionOperator.NextXFiscalYears or ConditionOperator.NextXFiscalPeriods;

    /// <summary>True for the operators <see cref="Range"/> answers.</summary>
    public static bool IsRelative(ConditionOperator op) => TakesCount(op) || op is ConditionOperator.Today or ConditionOperator.Yesterday
        or ConditionOperator.Tomorrow or ConditionOperator.Last7Days or ConditionOperator.Next7Days
        or ConditionOperator.ThisWeek or ConditionOperator.LastWeek or ConditionOperator.NextWeek
        or ConditionOperator.ThisMonth or ConditionOperator.LastMonth or ConditionOperator.NextMonth
        or ConditionOperator.ThisYear or ConditionOperator.LastYear or ConditionOperator.NextYear
        or ConditionOperator.ThisFiscalYear or ConditionOperator.LastFiscalYear or ConditionOperator.NextFiscalYear
        or ConditionOperator.ThisFiscalPeriod or ConditionOperator.LastFiscalPeriod or ConditionOperator.NextFiscalPeriod;

    /// <summary>The [From, To) window of a relative operator at <paramref name="now"/> (UTC), X being its count when it takes one.</summary>
    public static (DateTime From, DateTime To) Range(ConditionOperator op, DateTime now, int x, FiscalCalendar fiscal)
    {
        var today = now.Date;
        var tonight = today.AddDays(1);
        var justAfterNow = now.AddTicks(1);
        var week = today.AddDays(-(int)today.DayOfWeek);
        var month = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var year = new DateTime(today.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var fiscalYear = fiscal.YearStart(fiscal.FiscalYearOf(today));
        var fiscalPeriod = fiscal.PeriodStart(today);
        return op switch
        {
            ConditionOperator.Today => (today, tonight),
            ConditionOperator.Yesterday => (today.AddDays(-1), today),
            ConditionOperator.Tomorrow => (tonight, tonight.AddDays(1)),
            ConditionOperator.Last7Days => (today.AddDays(-7), justAfterNow),
            ConditionOperator.Next7Days => (now, tonight.AddDays(7)),
            ConditionOperator.ThisWeek => (week, week.AddDays(7)),
            ConditionOperator.LastWeek => (week.AddDays(-7), week),
            ConditionOperator.NextWeek => (week.AddDays(7), week.AddDays(14)),
            ConditionOperator.ThisMonth => (month, month.AddMonths(1)),
            ConditionOperator.LastMonth => (month.AddMonths(-1), month),
            ConditionOperator.NextMonth => (month.AddMonths(1), month.AddMonths(2)),
            ConditionOperator.ThisYear => (year, year.AddYears(1)),
            ConditionOperator.LastYear => (year.AddYears(-1), year),
            ConditionOperator.NextYear => (year.AddYears(1), year.AddYears(2)),
            ConditionOperator.LastXHours => (hour.AddHours(-x), justAfterNow),
            ConditionOperator.NextXHours => (now, now.AddHours(x).AddTicks(1)),
            ConditionOperator.LastXDays => (today.AddDays(-x), justAfterNow),
            ConditionOperator.NextXDays => (now, tonight.AddDays(x)),
            ConditionOperator.LastXWeeks => (today.AddDays(-7 * x), justAfterNow),
            ConditionOperator.NextXWeeks => (now, tonight.AddDays(7 * x)),
            ConditionOperator.LastXMonths => (today.AddMonths(-x), justAfterNow),
            ConditionOperator.NextXMonths => (now, tonight.AddMonths(x)),
            ConditionOperator.LastXYears => (today.AddYears(-x), justAfterNow),
            ConditionOperator.NextXYears => (now, tonight.AddYears(x)),
            ConditionOperator.OlderThanXMinutes => (DateTime.MinValue, now.AddMinutes(-x)),
            ConditionOperator.OlderThanXHours => (DateTime.MinValue, now.AddHours(-x)),
            ConditionOperator.OlderThanXDays => (DateTime.MinValue, today.AddDays(-x)),
            ConditionOperator.OlderThanXWeeks => (DateTime.MinValue, today.AddDays(-7 * x)),
            ConditionOperator.OlderThanXMonths => (DateTime.MinValue, today.AddMonths(-x)),
            ConditionOperator.OlderThanXYears => (DateTime.MinValue, today.AddYears(-x)),
            ConditionOperator.ThisFiscalYear => (fiscalYear, fiscalYear.AddYears(1)),
            ConditionOperator.LastFiscalYear => (fiscalYear.AddYears(-1), fiscalYear),
            ConditionOperator.NextFiscalYear => (fiscalYear.AddYears(1), fiscalYear.AddYears(2)),
            ConditionOperator.LastXFiscalYears => (fiscalYear.AddYears(-x), fiscalYear),
            ConditionOperator.NextXFiscalYears => (fiscalYear.AddYears(1), fiscalYear.AddYears(1 + x)),
            ConditionOperator.ThisFiscalPeriod => (fiscalPeriod, fiscalPeriod.AddMonths(fiscal.MonthsPerPeriod)),
            ConditionOperator.LastFiscalPeriod => (fiscalPeriod.AddMonths(-fiscal.MonthsPerPeriod), fiscalPeriod),
            ConditionOperator.NextFiscalPeriod => (fiscalPeriod.AddMonths(fiscal.MonthsPerPeriod), fiscalPeriod.AddMonths(2 * fiscal.MonthsPerPeriod)),
            ConditionOperator.LastXFiscalPeriods => (fiscalPeriod.AddMonths(-x * fiscal.MonthsPerPeriod), fiscalPeriod),
            ConditionOperator.NextXFiscalPeriods => (fiscalPeriod.AddMonths(fiscal.MonthsPerPeriod), fiscalPeriod.AddMonths((1 + x) * fiscal.MonthsPerPeriod)),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a relative date operator."),
        };
    }
}

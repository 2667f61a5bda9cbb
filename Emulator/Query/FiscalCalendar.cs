using System.Globalization;

namespace PartnerGuard.Emulator.Query;

/// <summary>
/// The organization's fiscal year settings as the fiscal operators and the fiscal date groupings read them: the month
/// the fiscal year starts in and how many periods it has (1 annual, 2 semesters, 4 quarters, 12 months). A fiscal year
/// is named after the calendar year it starts in. The emulator's default is a fiscal year starting on 1 January with
/// quarterly periods, which is what Microsoft Learn's "Aggregate data using FetchXml" example shows (a row created on
/// 25 March 2023 groups as "Quarter 1 FY2023", one created on 27 August 2023 as "Quarter 3 FY2023"). Dataverse's
/// 4-week-period template (13 periods) is not emulated.
/// </summary>
internal sealed class FiscalCalendar
{
    public FiscalCalendar(int startMonth, int periodsPerYear)
    {
        if (startMonth is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(startMonth), startMonth, "The fiscal year's first month must be 1 to 12.");
        }

        if (periodsPerYear is not (1 or 2 or 4 or 12))
        {
            throw new ArgumentOutOfRangeException(nameof(periodsPerYear), periodsPerYear, "Fiscal periods per year must be 1, 2, 4 or 12.");
        }

        StartMonth = startMonth;
        PeriodsPerYear = periodsPerYear;
    }

    public int StartMonth { get; }

    public int PeriodsPerYear { get; }

    public int MonthsPerPeriod => 12 / PeriodsPerYear;

    public int FiscalYearOf(DateTime date) => date.Month >= StartMonth ? date.Year : date.Year - 1;

    public DateTime YearStart(int fiscalYear) => new(fiscalYear, StartMonth, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The 1-based fiscal period of a date within its fiscal year.</summary>
    public int PeriodOf(DateTime date)
    {
        var monthsIn = ((date.Year * 12) + date.Month - 1) - ((FiscalYearOf(date) * 12) + StartMonth - 1);
        return (monthsIn / MonthsPerPeriod) + 1;
    }

    /// <summary>The first instant of the fiscal period a date falls in.</summary>
    public DateTime PeriodStart(DateTime date) => PeriodStart(FiscalYearOf(date), PeriodOf(date));

    public DateTime PeriodStart(int fiscalYear, int period) => YearStart(fiscalYear).AddMonths((period - 1) * MonthsPerPeriod);

    /// <summary>How the platform labels a fiscal period ("Quarter 1 FY2023", "Month 3 FY2023", "Semester 2 FY2023", "FY2023").</summary>
    public string PeriodLabel(DateTime date)
    {
        var year = YearLabel(date);
        return PeriodsPerYear switch
        {
            12 => $"Month {PeriodOf(date).ToString(CultureInfo.InvariantCulture)} {year}",
            4 => $"Quarter {PeriodOf(date).ToString(CultureInfo.InvariantCulture)} {year}",
            2 => $"Semester {PeriodOf(date).ToString(CultureInfo.InvariantCulture)} {year}",
            _ => year,
        };
    }

    public string YearLabel(DateTime date) => "FY" + FiscalYearOf(date).ToString(CultureInfo.InvariantCulture);
}

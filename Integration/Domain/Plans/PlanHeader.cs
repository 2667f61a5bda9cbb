using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>What a plan says about itself before its rows: the run, when it was made, how.</summary>
internal sealed record PlanHeader(
    string RunId,
    DateTimeOffset CreatedOn,
    string Strategy,
    IReadOnlyDictionary<string, string> Parameters);

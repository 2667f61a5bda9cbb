namespace PartnerGuard.Plugins;

/// <summary>
/// The <c>pg_CheckChannel</c> Custom API as the solution defines it (solution/src/customapis/pg_CheckChannel) and
/// <see cref="CheckChannel"/> runs it: an unbound function whose main operation (stage 30) is the plug-in.
/// The solution tests check the customapi.xml files against these names.
/// </summary>
public static class CheckChannelApi
{
    public const string UniqueName = "pg_CheckChannel";

    /// <summary>The primary entity the platform gives an unbound (global) Custom API's context.</summary>
    public const string Unbound = "none";

    /// <summary>The main operation: the only stage a Custom API's own plug-in type runs in.</summary>
    public const int MainOperation = 30;

    public const string Customer = "Customer";
    public const string Partner = "Partner";
    public const string EstimatedValue = "EstimatedValue";
    public const string TransactionCurrency = "TransactionCurrency";

    public const string Outcome = "Outcome";
    public const string Code = "Code";
    public const string Reason = "Reason";
    public const string PartnerName = "PartnerName";
    public const string DirectSalesRule = "DirectSalesRule";

    private static readonly string[] None = Array.Empty<string>();

    /// <summary>The execution <see cref="CheckChannel"/> accepts (a Custom API has no step of its own to register).</summary>
    public static ExpectedStep Execution { get; } = new(
        typeof(CheckChannel).FullName!, UniqueName, Unbound, MainOperation, PluginSteps.Synchronous, None, null, None);

    /// <summary>Request parameters in the order the form script names them: unique name, Custom API type code, optional.</summary>
    public static IReadOnlyList<CustomApiField> RequestParameters { get; } = new[]
    {
        new CustomApiField(Customer, 5, false), new CustomApiField(Partner, 5, true),
        new CustomApiField(EstimatedValue, 8, true), new CustomApiField(TransactionCurrency, 5, true),
    };

    /// <summary>Response properties: unique name and Custom API type code (5 EntityReference, 10 String); never optional.</summary>
    public static IReadOnlyList<CustomApiField> ResponseProperties { get; } = new[]
    {
        new CustomApiField(Outcome, 10, false), new CustomApiField(Code, 10, false), new CustomApiField(Reason, 10, false),
        new CustomApiField(Partner, 5, false), new CustomApiField(PartnerName, 10, false), new CustomApiField(DirectSalesRule, 5, false),
    };
}

/// <summary>A Custom API request parameter or response property: unique name, type code (Microsoft Learn, customapirequestparameter.type), optional.</summary>
public sealed record CustomApiField(string Name, int Type, bool Optional);

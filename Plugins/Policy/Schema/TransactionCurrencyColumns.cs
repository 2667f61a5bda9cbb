namespace PartnerGuard.Policy.Schema;

/// <summary>
/// Logical names on the transactioncurrency table: a deal's value is in its currency, and the currency's
/// exchange rate is how many units of it make one unit of the organization's base currency.
/// </summary>
public static class TransactionCurrencyColumns
{
    public const string Table = "transactioncurrency";
    public const string Id = "transactioncurrencyid";
    public const string ExchangeRate = "exchangerate";
}

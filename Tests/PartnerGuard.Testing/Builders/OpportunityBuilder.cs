using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Testing.Builders;

/// <summary>Opportunity rows as a seller's client sends them: only the columns set are present.</summary>
public sealed class OpportunityBuilder
{
    private readonly Entity _row;

    private OpportunityBuilder(Guid id) => _row = new Entity("opportunity", id);

    /// <summary>A new opportunity row (with the id given, or a new one).</summary>
    public static OpportunityBuilder AnOpportunity(Guid? id = null) => new(id ?? Guid.NewGuid());

    /// <summary>Sets the customer (an account or a contact row).</summary>
    public OpportunityBuilder For(Entity? customer) { _row["customerid"] = customer?.ToEntityReference(); return this; }

    public OpportunityBuilder WithParentAccount(Entity? account) { _row["parentaccountid"] = account?.ToEntityReference(); return this; }

    /// <summary>Sets the partner; null sets an explicit null (the seller cleared it).</summary>
    public OpportunityBuilder WithPartner(Entity? partner) { _row["pg_partnerid"] = partner?.ToEntityReference(); return this; }

    /// <summary>Sets the estimated value and, when given, its base-currency value and the exchange rate.</summary>
    public OpportunityBuilder WithValue(decimal? value, decimal? baseValue = null, decimal? exchangeRate = null)
    {
        _row["estimatedvalue"] = value is decimal v ? new Money(v) : null;
        if (baseValue is decimal b)
        {
            _row["estimatedvalue_base"] = new Money(b);
        }

        if (exchangeRate is decimal rate)
        {
            _row["exchangerate"] = rate;
        }

        return this;
    }

    /// <summary>Sets any other column.</summary>
    public OpportunityBuilder With(string column, object? value) { _row[column] = value; return this; }

    public Entity Build() => _row;
}

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

    /// <summary>What a seller's client sends: the value and, optionally, its currency; never the base value or the rate.</summary>
    public OpportunityBuilder WithValue(decimal? value, Entity? currency = null)
    {
        _row["estimatedvalue"] = value is decimal v ? new Money(v) : null;
        if (currency is not null)
        {
            _row["transactioncurrencyid"] = currency.ToEntityReference();
        }

        return this;
    }

    /// <summary>What the platform stored on an earlier save, next to the value: the base value and the rate then in force.</summary>
    public OpportunityBuilder WithStoredBase(decimal baseValue, decimal exchangeRate)
    {
        _row["estimatedvalue_base"] = new Money(baseValue);
        _row["exchangerate"] = exchangeRate;
        return this;
    }

    /// <summary>Sets any other column.</summary>
    public OpportunityBuilder With(string column, object? value) { _row[column] = value; return this; }

    public Entity Build() => _row;
}

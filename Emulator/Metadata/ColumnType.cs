namespace PartnerGuard.Emulator.Metadata;

/// <summary>The column types the emulator stores, named after Dataverse attribute types.</summary>
public enum ColumnType
{
    /// <summary>Text (nvarchar) with a maximum length; SDK value <see cref="string"/>.</summary>
    String,
    /// <summary>Multiline text (ntext); SDK value <see cref="string"/>.</summary>
    Memo,
    /// <summary>Whole number; SDK value <see cref="int"/>.</summary>
    Integer,
    /// <summary>Big integer; SDK value <see cref="long"/>.</summary>
    BigInt,
    /// <summary>Decimal number; SDK value <see cref="decimal"/>.</summary>
    Decimal,
    /// <summary>Floating point number; SDK value <see cref="double"/>.</summary>
    Double,
    /// <summary>Currency; SDK value <c>Money</c>; has a <c>_base</c> companion.</summary>
    Money,
    /// <summary>Yes/no; SDK value <see cref="bool"/>.</summary>
    Boolean,
    /// <summary>Date and time (UTC); SDK value <see cref="DateTime"/>.</summary>
    DateTime,
    /// <summary>Lookup to one or more tables; SDK value <c>EntityReference</c>.</summary>
    Lookup,
    /// <summary>Customer lookup (account or contact); SDK value <c>EntityReference</c>.</summary>
    Customer,
    /// <summary>Owner lookup (systemuser or team); SDK value <c>EntityReference</c>.</summary>
    Owner,
    /// <summary>Choice; SDK value <c>OptionSetValue</c>.</summary>
    Picklist,
    /// <summary>Status (statecode); SDK value <c>OptionSetValue</c>.</summary>
    State,
    /// <summary>Status reason (statuscode); SDK value <c>OptionSetValue</c>.</summary>
    Status,
    /// <summary>Unique identifier column that is not the primary key; SDK value <see cref="Guid"/>.</summary>
    UniqueIdentifier,
    /// <summary>The table's primary key; SDK value <see cref="Guid"/>.</summary>
    PrimaryKey,
}

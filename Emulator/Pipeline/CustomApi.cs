using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Pipeline;

/// <summary>
/// A Custom API a loaded solution defines (customapis/&lt;uniquename&gt;/): a message of its own whose main operation
/// (stage 30) is the plug-in type the definition names, with typed request parameters and response properties.
/// </summary>
public sealed class CustomApi
{
    internal CustomApi(string uniqueName, bool isFunction, int bindingType, string? boundTable, PluginStep? mainOperation,
        IReadOnlyList<CustomApiField> requestParameters, IReadOnlyList<CustomApiField> responseProperties)
    {
        UniqueName = uniqueName;
        IsFunction = isFunction;
        BindingType = bindingType;
        BoundTable = boundTable;
        MainOperation = mainOperation;
        RequestParameters = requestParameters;
        ResponseProperties = responseProperties;
    }

    /// <summary>The message name (customapi.uniquename).</summary>
    public string UniqueName { get; }

    /// <summary>True for a function (a Web API GET), false for an action (POST).</summary>
    public bool IsFunction { get; }

    /// <summary>0 Global (unbound), 1 Entity, 2 EntityCollection.</summary>
    public int BindingType { get; }

    public string? BoundTable { get; }

    /// <summary>The plug-in type that is the main operation, as a stage-30 step; null when the definition names none (the API then answers its defaults).</summary>
    internal PluginStep? MainOperation { get; }

    public IReadOnlyList<CustomApiField> RequestParameters { get; }

    public IReadOnlyList<CustomApiField> ResponseProperties { get; }

    /// <summary>The privilege a caller needs to run the API (customapi.executeprivilegename); null when anyone may run it.</summary>
    public string? ExecutePrivilegeName { get; init; }
}

/// <summary>A request parameter or response property: unique name, type code (0 Boolean … 12 Guid), optional, table for the entity types.</summary>
public sealed record CustomApiField(string Name, int Type, bool IsOptional, string? LogicalEntityName)
{
    /// <summary>The SDK type a value of this field has in a ParameterCollection (Microsoft Learn, "Custom API data types").</summary>
    public Type ClrType => Type switch
    {
        0 => typeof(bool),
        1 => typeof(DateTime),
        2 => typeof(decimal),
        3 => typeof(Entity),
        4 => typeof(EntityCollection),
        5 => typeof(EntityReference),
        6 => typeof(double),
        7 => typeof(int),
        8 => typeof(Money),
        9 => typeof(OptionSetValue),
        10 => typeof(string),
        11 => typeof(string[]),
        12 => typeof(Guid),
        _ => typeof(object),
    };

    public string TypeName => Type is >= 0 and <= 12
        ? new[] { "Boolean", "DateTime", "Decimal", "Entity", "EntityCollection", "EntityReference", "Float", "Integer", "Money", "Picklist", "String", "StringArray", "Guid" }[Type]
        : "type " + Type;
}

using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Plugins;

/// <summary>Reads typed values out of attribute bags, whatever wrapper (Money, OptionSetValue, AliasedValue) holds them.</summary>
internal static class Values
{
    public static object? Unwrap(object? value) => value is AliasedValue aliased ? aliased.Value : value;

    public static decimal? Decimal(object? value) => Unwrap(value) switch
    {
        Money money => money.Value,
        decimal number => number,
        int number => number,
        long number => number,
        double number => (decimal)number,
        _ => null,
    };

    public static int? Int(object? value) => Unwrap(value) switch
    {
        int number => number,
        OptionSetValue option => option.Value,
        _ => null,
    };

    public static string? Text(object? value) => Unwrap(value) switch
    {
        string text => text,
        _ => null,
    };

    public static bool? Bool(object? value) => Unwrap(value) switch
    {
        bool flag => flag,
        _ => null,
    };

    public static DateTime? Date(object? value) => Unwrap(value) switch
    {
        DateTime date => date,
        _ => null,
    };

    public static EntityReference? Reference(object? value) => Unwrap(value) as EntityReference;

    public static object? Attribute(Entity row, string name) => row.Attributes.TryGetValue(name, out var value) ? value : null;
}

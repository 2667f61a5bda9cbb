using System.Reflection;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Surface;

/// <summary>
/// Two parts of a signature that xrm-sdk-api.txt does not encode: `params` and `virtual`. Both change what
/// source compiles (a params call, an override), so they are pinned here against the metadata dump summarised
/// in shared/reference/sdk-and-pipeline-notes.md (§0.1: the dump records params and virtual; §2.2 lists the
/// virtual members; §3 shows params on each signature).
/// </summary>
public sealed class ModifierTests
{
    /// <summary>Every params parameter of the official subset, as "Type.Method(parameter)" ("ctor" for constructors).</summary>
    private static readonly string[] ExpectedParams =
    [
        "Microsoft.Xrm.Sdk.DataCollection<T>.AddRange(items)",
        "Microsoft.Xrm.Sdk.DataCollection<TKey,TValue>.AddRange(items)",
        "Microsoft.Xrm.Sdk.ITracingService.Trace(args)",
        "Microsoft.Xrm.Sdk.PluginTelemetry.ILogger.BeginScope(args)",
        .. new[] { "Critical", "Debug", "Error", "Information", "Trace", "Warning" }
            .SelectMany(level => Enumerable.Repeat($"Microsoft.Xrm.Sdk.PluginTelemetry.ILogger.Log{level}(args)", 2)),
        "Microsoft.Xrm.Sdk.Query.ColumnSet.ctor(columns)",
        "Microsoft.Xrm.Sdk.Query.ColumnSet.AddColumns(columns)",
        "Microsoft.Xrm.Sdk.Query.ConditionExpression.ctor(values)",
        "Microsoft.Xrm.Sdk.Query.ConditionExpression.ctor(values)",
        "Microsoft.Xrm.Sdk.Query.FilterExpression.AddCondition(values)",
        "Microsoft.Xrm.Sdk.Query.FilterExpression.AddCondition(values)",
    ];

    /// <summary>Every virtual member the stand-in declares that is not an override or an interface member.</summary>
    private static readonly string[] ExpectedVirtuals =
    [
        "Microsoft.Xrm.Sdk.DataCollection<TKey,TValue>.get_IsReadOnly",
        "Microsoft.Xrm.Sdk.DataCollection<TKey,TValue>.get_Item",
        "Microsoft.Xrm.Sdk.DataCollection<TKey,TValue>.set_Item",
        "Microsoft.Xrm.Sdk.DataCollection<TKey,TValue>.GetEnumerator",
        "Microsoft.Xrm.Sdk.Entity.get_Id",
        "Microsoft.Xrm.Sdk.Entity.set_Id",
        "Microsoft.Xrm.Sdk.Entity.GetAttributeValue",
    ];

    [Fact]
    public void ParamsParameters_MatchTheOfficialSignatures()
    {
        List<string> actual = StandInMethods()
            .SelectMany(m => m.GetParameters().Where(p => p.IsDefined(typeof(ParamArrayAttribute), false)).Select(p => Describe(m, p.Name!)))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(ExpectedParams.OrderBy(s => s, StringComparer.Ordinal), actual);
    }

    [Fact]
    public void VirtualMembers_MatchTheOfficialSignatures()
    {
        List<string> actual = StandInMethods()
            .OfType<MethodInfo>()
            .Where(m => !m.DeclaringType!.IsInterface && m.IsVirtual && !m.IsFinal && m.GetBaseDefinition() == m)
            .Select(m => SurfaceFormatter.TypeName(m.DeclaringType!) + "." + m.Name)
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(ExpectedVirtuals.OrderBy(s => s, StringComparer.Ordinal), actual);
    }

    [Fact]
    public void EntityIndexer_IsNotVirtual()
    {
        // sdk-and-pipeline-notes.md §3.2: "object this[string attributeName] {get;set;} (not virtual)".
        MethodInfo getter = typeof(Entity).GetProperty("Item")!.GetGetMethod()!;

        Assert.False(getter.IsVirtual);
    }

    private static IEnumerable<MethodBase> StandInMethods() =>
        typeof(Entity).Assembly.GetExportedTypes().SelectMany(t =>
            t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Cast<MethodBase>()
                .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.Instance)));

    private static string Describe(MethodBase method, string parameter) =>
        SurfaceFormatter.TypeName(method.DeclaringType!) + "." + (method.IsConstructor ? "ctor" : method.Name) + "(" + parameter + ")";
}

using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Surface;

/// <summary>
/// The guard that keeps the stand-in a strict subset of the official surface. The reference file is
/// shared/reference/xrm-sdk-api.txt, dumped from the official Microsoft.Xrm.Sdk and Microsoft.Crm.Sdk.Proxy
/// 9.0.0.0 metadata (CoreAssemblies 9.0.2.56), copied next to this test, plus xrm-sdk-api.supplement.txt for
/// types the reference uses in listed members without listing them.
/// </summary>
public sealed class StandInSurfaceTests
{
    /// <summary>
    /// Official members the stand-in leaves out on purpose, each with its reason. A member missing from the
    /// stand-in but not listed here fails the omission test, so nothing disappears unnoticed.
    /// </summary>
    private static readonly Dictionary<string, string> KnownOmissions = new(StringComparer.Ordinal)
    {
        ["Microsoft.Xrm.Sdk.Query.ColumnSet: Microsoft.Xrm.Sdk.DataCollection<Microsoft.Xrm.Sdk.Query.XrmAttributeExpression> AttributeExpressions { get; set; }"] =
            "XrmAttributeExpression is not in the reference",
        ["Microsoft.Xrm.Sdk.Query.QueryExpression: Microsoft.Xrm.Sdk.Query.QueryExpression Accept(Microsoft.Xrm.Sdk.Query.IQueryExpressionVisitor visitor)"] =
            "IQueryExpressionVisitor is not in the reference",
        ["Microsoft.Xrm.Sdk.Query.QueryExpression: static System.Int32 SerializationDepthLimit { get; set; }"] =
            "serialization plumbing of the official assembly; the stand-in never serializes queries",
        ["Microsoft.Xrm.Sdk.Query.QueryExpression: static System.Int32 DeserializationDepthLimit { get; set; }"] =
            "serialization plumbing of the official assembly; the stand-in never serializes queries",
        ["Microsoft.Xrm.Sdk.Query.QueryExpression: static System.Void InternalResetSerializationCounters()"] =
            "serialization plumbing of the official assembly; the stand-in never serializes queries",
        ["Microsoft.Xrm.Sdk.Messages.RetrieveRequest: Microsoft.Xrm.Sdk.RelationshipQueryCollection RelatedEntitiesQuery { get; set; }"] =
            "RelationshipQueryCollection is not in the reference",
    };

    [Fact]
    public void StandIn_PublicSurface_IsStrictSubsetOfReference()
    {
        SurfaceReport report = SurfaceChecker.Compare(LoadReference(), StandInTypes());

        Assert.True(
            report.Mismatches.Count == 0,
            $"The stand-in differs from xrm-sdk-api.txt in {report.Mismatches.Count} place(s):{Environment.NewLine}"
                + string.Join(Environment.NewLine, report.Mismatches));
    }

    [Fact]
    public void StandIn_DeclaresEveryReferenceType()
    {
        SurfaceReport report = SurfaceChecker.Compare(LoadReference(), StandInTypes());

        Assert.True(
            report.OmittedTypes.Count == 0,
            "Types listed in xrm-sdk-api.txt that the stand-in does not declare:" + Environment.NewLine
                + string.Join(Environment.NewLine, report.OmittedTypes));
    }

    [Fact]
    public void StandIn_OmitsOnlyTheKnownMembers()
    {
        SurfaceReport report = SurfaceChecker.Compare(LoadReference(), StandInTypes());

        List<string> unexpected = report.OmittedMembers
            .Where(m => !KnownOmissions.ContainsKey(m) && !IsLoggerMemberUsingUndeclaredTypes(m))
            .ToList();
        List<string> stale = KnownOmissions.Keys.Where(k => !report.OmittedMembers.Contains(k)).ToList();

        Assert.True(
            unexpected.Count == 0 && stale.Count == 0,
            "Reference members the stand-in leaves out without a recorded reason:" + Environment.NewLine
                + string.Join(Environment.NewLine, unexpected) + Environment.NewLine
                + "Recorded omissions that the stand-in now declares (remove them from KnownOmissions):" + Environment.NewLine
                + string.Join(Environment.NewLine, stale));
    }

    [Fact]
    public void StandIn_OmitsExactlyTheLoggerOverloadsThatNeedLogLevelOrEventId()
    {
        // ILogger's LogLevel/EventId overloads cannot be declared: those two types are not in the reference.
        SurfaceReport report = SurfaceChecker.Compare(LoadReference(), StandInTypes());

        int omittedLoggerMembers = report.OmittedMembers.Count(IsLoggerMemberUsingUndeclaredTypes);

        // IsEnabled, Log<TState>, the four Log overloads, and two EventId overloads for each of six levels.
        Assert.Equal(1 + 1 + 4 + (6 * 2), omittedLoggerMembers);
    }

    [Fact]
    public void StandIn_PublicTypes_LiveOnlyInTheOfficialNamespaces()
    {
        string[] official =
        [
            "Microsoft.Xrm.Sdk", "Microsoft.Xrm.Sdk.Query", "Microsoft.Xrm.Sdk.Messages",
            "Microsoft.Xrm.Sdk.PluginTelemetry", "Microsoft.Xrm.Sdk.Extensions", "Microsoft.Crm.Sdk.Messages",
        ];

        List<string> elsewhere = StandInTypes().Where(t => !official.Contains(t.Namespace)).Select(t => t.FullName!).ToList();

        Assert.Empty(elsewhere);
    }

    /// <summary>xrm-sdk-api.txt completed by xrm-sdk-api.supplement.txt (see the header of that file).</summary>
    internal static ReferenceSurface LoadReference()
    {
        ReferenceSurface reference = LoadFile("xrm-sdk-api.txt");
        return reference.WithSupplement(LoadFile("xrm-sdk-api.supplement.txt"), "xrm-sdk-api.supplement.txt");
    }

    private static ReferenceSurface LoadFile(string name) =>
        ReferenceSurface.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, name)), name);

    private static IEnumerable<Type> StandInTypes() => typeof(Entity).Assembly.GetExportedTypes();

    private static bool IsLoggerMemberUsingUndeclaredTypes(string omission) =>
        omission.StartsWith("Microsoft.Xrm.Sdk.PluginTelemetry.ILogger: ", StringComparison.Ordinal)
        && (omission.Contains("PluginTelemetry.LogLevel", StringComparison.Ordinal)
            || omission.Contains("PluginTelemetry.EventId", StringComparison.Ordinal));
}

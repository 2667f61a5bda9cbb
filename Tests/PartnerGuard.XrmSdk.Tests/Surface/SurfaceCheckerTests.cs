namespace PartnerGuard.XrmSdk.Tests.Surface;

/// <summary>
/// Tests of the checker itself on small sample types, so that a checker that silently accepts everything
/// cannot make the stand-in surface test pass.
/// </summary>
public sealed class SurfaceCheckerTests
{
    private const string SampleReference = """
        # sample reference
        sealed class PartnerGuard.XrmSdk.Tests.Surface.Samples.Row
          ctor(System.String name)
          System.String Name { get; set; }
          System.Int32 this[System.String key] { get; }
          System.Boolean TryGet(System.String key, ref System.Int32 value)
          T Read<T>(System.String key)
          System.Boolean Equals(System.Object obj)
          System.Int32 GetHashCode()
          field static PartnerGuard.XrmSdk.Tests.Surface.Samples.Row Empty
        abstract class PartnerGuard.XrmSdk.Tests.Surface.Samples.Bag<TKey,TValue> : System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<TKey,TValue>>, System.Collections.IEnumerable
          System.Void Add(TKey key, TValue value)
          System.Collections.Generic.IEnumerator<System.Collections.Generic.KeyValuePair<TKey,TValue>> GetEnumerator()
        enum PartnerGuard.XrmSdk.Tests.Surface.Samples.Shade : System.IComparable, System.IFormattable, System.IConvertible
          Light = 0
          Dark = 7
        interface PartnerGuard.XrmSdk.Tests.Surface.Samples.IChild : PartnerGuard.XrmSdk.Tests.Surface.Samples.IParent
          System.Nullable<System.Guid> Id { get; }
        interface PartnerGuard.XrmSdk.Tests.Surface.Samples.IParent
          System.Void Run(System.Object[] args)
        """;

    private static readonly Type[] MatchingSamples =
    [
        typeof(Samples.Row), typeof(Samples.Bag<,>), typeof(Samples.Shade), typeof(Samples.IChild), typeof(Samples.IParent),
    ];

    [Fact]
    public void Compare_TypesMatchingTheReference_ReportsNothing()
    {
        SurfaceReport report = SurfaceChecker.Compare(Parse(SampleReference), MatchingSamples);

        Assert.Empty(report.Mismatches);
        Assert.Empty(report.OmittedTypes);
        Assert.Empty(report.OmittedMembers);
    }

    [Fact]
    public void Compare_ExtraPublicMethod_IsReported()
    {
        string reference = SampleReference.Replace("Samples.Row", "Samples.RowWithExtraMethod", StringComparison.Ordinal);

        SurfaceReport report = SurfaceChecker.Compare(Parse(reference), [typeof(Samples.RowWithExtraMethod)]);

        string mismatch = Assert.Single(report.Mismatches);
        Assert.Equal("PartnerGuard.XrmSdk.Tests.Surface.Samples.RowWithExtraMethod: member 'System.Void Extra()' is not in the reference.", mismatch);
    }

    [Fact]
    public void Compare_ExtraProtectedMember_IsReported()
    {
        string reference = """
            class PartnerGuard.XrmSdk.Tests.Surface.Samples.OpenRow
              ctor()
            """;

        SurfaceReport report = SurfaceChecker.Compare(Parse(reference), [typeof(Samples.OpenRow)]);

        Assert.Contains("PartnerGuard.XrmSdk.Tests.Surface.Samples.OpenRow: member 'System.Void OnChanged(System.String name)' is not in the reference.", report.Mismatches);
    }

    [Fact]
    public void Compare_ExtraSetterOrOverload_IsReported()
    {
        string reference = """
            sealed class PartnerGuard.XrmSdk.Tests.Surface.Samples.Widened
              ctor()
              System.String Name { get; }
              System.Void Put(System.String key)
            """;

        SurfaceReport report = SurfaceChecker.Compare(Parse(reference), [typeof(Samples.Widened)]);

        Assert.Contains(report.Mismatches, m => m.Contains("'System.String Name { get; set; }'", StringComparison.Ordinal));
        Assert.Contains(report.Mismatches, m => m.Contains("'System.Void Put(System.String key, System.Int32 count)'", StringComparison.Ordinal));
        Assert.Equal(2, report.Mismatches.Count);
    }

    [Fact]
    public void Compare_OutParameterDeclaredAsPlainParameter_IsReported()
    {
        string reference = """
            sealed class PartnerGuard.XrmSdk.Tests.Surface.Samples.NoOut
              ctor()
              System.Boolean TryGet(System.String key, ref System.Int32 value)
            """;

        SurfaceReport report = SurfaceChecker.Compare(Parse(reference), [typeof(Samples.NoOut)]);

        Assert.Contains("PartnerGuard.XrmSdk.Tests.Surface.Samples.NoOut: member 'System.Boolean TryGet(System.String key, System.Int32 value)' is not in the reference.", report.Mismatches);
        Assert.Contains("PartnerGuard.XrmSdk.Tests.Surface.Samples.NoOut: System.Boolean TryGet(System.String key, ref System.Int32 value)", report.OmittedMembers);
    }

    [Fact]
    public void Compare_RenamedParameter_IsReported()
    {
        string reference = SampleReference.Replace("ctor(System.String name)", "ctor(System.String logicalName)", StringComparison.Ordinal);

        SurfaceReport report = SurfaceChecker.Compare(Parse(reference), MatchingSamples);

        Assert.Contains("PartnerGuard.XrmSdk.Tests.Surface.Samples.Row: member 'ctor(System.String name)' is not in the reference.", report.Mismatches);
    }

    [Fact]
    public void Compare_SealedModifierOrKindDiffers_IsReported()
    {
        string reference = SampleReference
            .Replace("sealed class PartnerGuard.XrmSdk.Tests.Surface.Samples.Row", "class PartnerGuard.XrmSdk.Tests.Surface.Samples.Row", StringComparison.Ordinal)
            .Replace("enum PartnerGuard.XrmSdk.Tests.Surface.Samples.Shade", "struct PartnerGuard.XrmSdk.Tests.Surface.Samples.Shade", StringComparison.Ordinal);

        SurfaceReport report = SurfaceChecker.Compare(Parse(reference), MatchingSamples);

        Assert.Contains("PartnerGuard.XrmSdk.Tests.Surface.Samples.Row: declared as 'sealed class', the reference says 'class'.", report.Mismatches);
        Assert.Contains("PartnerGuard.XrmSdk.Tests.Surface.Samples.Shade: declared as 'enum', the reference says 'struct'.", report.Mismatches);
    }

    [Fact]
    public void Compare_ExtraInterfaceOrWrongBase_IsReported()
    {
        string reference = """
            sealed class PartnerGuard.XrmSdk.Tests.Surface.Samples.DictionaryLike : PartnerGuard.XrmSdk.Tests.Surface.Samples.Bag<System.String,System.Object>, System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<System.String,System.Object>>, System.Collections.IEnumerable
              ctor()
            """;

        SurfaceReport report = SurfaceChecker.Compare(Parse(reference), [typeof(Samples.DictionaryLike)]);

        Assert.Contains("PartnerGuard.XrmSdk.Tests.Surface.Samples.DictionaryLike: base type or interface 'System.IDisposable' is not in the reference.", report.Mismatches);
    }

    [Fact]
    public void Compare_EnumValueDiffers_IsReported()
    {
        string reference = SampleReference.Replace("Dark = 7", "Dark = 2", StringComparison.Ordinal);

        SurfaceReport report = SurfaceChecker.Compare(Parse(reference), MatchingSamples);

        Assert.Contains("PartnerGuard.XrmSdk.Tests.Surface.Samples.Shade: member 'Dark = 7' is not in the reference.", report.Mismatches);
    }

    [Fact]
    public void Compare_TypeMissingFromReference_IsReported()
    {
        SurfaceReport report = SurfaceChecker.Compare(Parse(SampleReference), [.. MatchingSamples, typeof(Samples.NoOut)]);

        Assert.Equal(["PartnerGuard.XrmSdk.Tests.Surface.Samples.NoOut: public type is not in the reference."], report.Mismatches);
    }

    [Fact]
    public void Compare_ReferenceMembersNotDeclared_AreOmissionsNotMismatches()
    {
        string reference = SampleReference.Replace(
            "  System.String Name { get; set; }",
            "  System.String Name { get; set; }\n  System.String Extra { get; }",
            StringComparison.Ordinal);

        SurfaceReport report = SurfaceChecker.Compare(Parse(reference), MatchingSamples.Where(t => t != typeof(Samples.Shade)));

        Assert.Empty(report.Mismatches);
        Assert.Equal(["PartnerGuard.XrmSdk.Tests.Surface.Samples.Row: System.String Extra { get; }"], report.OmittedMembers);
        Assert.Equal(["PartnerGuard.XrmSdk.Tests.Surface.Samples.Shade"], report.OmittedTypes);
    }

    [Fact]
    public void Parse_UnrecognisedLine_NamesTheLine()
    {
        var error = Assert.Throws<FormatException>(() => ReferenceSurface.Parse("# ok\nclass A.B\n  ctor()\nrecord A.C\n", "sample.txt"));

        Assert.Equal("sample.txt line 4: 'record A.C' is neither a comment, a type header nor an indented member line.", error.Message);
    }

    [Fact]
    public void Parse_RealReference_ReadsEveryTypeHeader()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "xrm-sdk-api.txt");
        ReferenceSurface reference = ReferenceSurface.Parse(File.ReadAllText(path), "xrm-sdk-api.txt");
        int headers = File.ReadAllLines(path).Count(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith(' '));

        Assert.Equal(headers, reference.Types.Count);
        Assert.Equal(
            ["Microsoft.Xrm.Sdk.DataCollection<System.String,System.Object>", "System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<System.String,System.Object>>", "System.Collections.IEnumerable"],
            reference.Types["Microsoft.Xrm.Sdk.AttributeCollection"].Bases);
    }

    [Fact]
    public void WithSupplement_TypeNamedByAListedMember_IsAccepted()
    {
        ReferenceSurface reference = Parse("""
            sealed class Sample.Holder
              Sample.Part Part { get; }
              Sample.PartList<T> Parts { get; }
            """);

        ReferenceSurface merged = reference.WithSupplement(Parse("""
            sealed class Sample.Part
              ctor()
            """), "supplement");

        Assert.True(merged.Types.ContainsKey("Sample.Part"));
        Assert.True(merged.Types.ContainsKey("Sample.Holder"));
    }

    [Theory]
    [InlineData("sealed class Sample.Unrelated", "'Sample.Unrelated' is not used by any member the reference lists")]
    [InlineData("sealed class Sample.Par", "'Sample.Par' is not used by any member the reference lists")]
    [InlineData("sealed class Sample.PartList", "'Sample.PartList' is not used by any member the reference lists")]
    [InlineData("sealed class Sample.Holder", "'Sample.Holder' is already listed in the reference")]
    public void WithSupplement_TypeTheReferenceDoesNotUse_IsRejected(string header, string expected)
    {
        ReferenceSurface reference = Parse("""
            sealed class Sample.Holder
              Sample.Part Part { get; }
              Sample.PartList<T> Parts { get; }
            """);

        var error = Assert.Throws<InvalidOperationException>(() => reference.WithSupplement(Parse(header + "\n  ctor()\n"), "supplement"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ReferenceSurface Parse(string text) => ReferenceSurface.Parse(text.Replace("\r\n", "\n", StringComparison.Ordinal), "sample");
}

using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Plugins.Tests.Guards;

/// <summary>
/// The platform caches plug-in instances and runs them concurrently (Learn, "Develop IPlugin implementations
/// as stateless"), so the assembly holds no mutable state, with one named exception: PolicyCache.
/// A field is acceptable when it is readonly (or const) and its type is immutable: primitives, strings,
/// enums, Guid, DateTime, TimeSpan, decimal, read-only collection interfaces of immutable items, private
/// arrays of immutable items, and classes or structs whose own fields follow the same rule.
/// </summary>
public sealed class StatelessnessTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
    private static readonly Assembly Plugins = typeof(PluginSteps).Assembly;

    [Fact]
    public void PluginTypes_HoldNoMutableInstanceState()
    {
        var pluginTypes = Plugins.GetTypes().Where(t => typeof(IPlugin).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        Assert.Equal(3, pluginTypes.Count); // the guard, the rule validator, the pg_CheckChannel Custom API

        var offenders = pluginTypes
            .SelectMany(t => t.GetFields(Declared | BindingFlags.Instance))
            .Where(f => !IsAcceptable(f, new HashSet<Type>()))
            .Select(f => f.DeclaringType!.Name + "." + f.Name)
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Assembly_HasNoMutableStaticFieldOutsideThePolicyCache()
    {
        var cache = Plugins.GetType("PartnerGuard.Plugins.PolicyCache", throwOnError: true)!;
        var inspected = Plugins.GetTypes()
            .Where(t => !IsCompilerGenerated(t) && t != cache && !IsNestedIn(t, cache))
            .SelectMany(t => t.GetFields(Declared | BindingFlags.Static))
            .Where(f => !f.IsLiteral)
            .ToList();
        Assert.Contains(inspected, f => f.Name == "CodesByKey");

        var offenders = inspected
            .Where(f => !IsAcceptable(f, new HashSet<Type>()))
            .Select(f => f.DeclaringType!.FullName + "." + f.Name + " (" + f.FieldType.Name + ")")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Guard_WouldCatchAMutableStatic()
    {
        var mutable = typeof(Sample).GetField(nameof(Sample.Counter))!;
        var list = typeof(Sample).GetField(nameof(Sample.Names))!;
        var fine = typeof(Sample).GetField(nameof(Sample.Frozen))!;

        Assert.False(IsAcceptable(mutable, new HashSet<Type>()));
        Assert.False(IsAcceptable(list, new HashSet<Type>()));
        Assert.True(IsAcceptable(fine, new HashSet<Type>()));
    }

    private static bool IsAcceptable(FieldInfo field, HashSet<Type> seen) =>
        (field.IsInitOnly || field.IsLiteral) && IsImmutable(field.FieldType, field.IsPrivate, seen);

    private static bool IsImmutable(Type type, bool privateField, HashSet<Type> seen)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
            || type == typeof(DateTime) || type == typeof(TimeSpan))
        {
            return true;
        }

        if (Nullable.GetUnderlyingType(type) is Type inner)
        {
            return IsImmutable(inner, privateField, seen);
        }

        if (type.IsArray)
        {
            return privateField && IsImmutable(type.GetElementType()!, privateField, seen);
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IEnumerable<>))
            {
                return type.GetGenericArguments().All(a => IsImmutable(a, privateField, seen));
            }
        }

        if (!seen.Add(type))
        {
            return true; // already being checked higher up
        }

        if (type.IsInterface || type.Assembly != Plugins && !type.IsValueType)
        {
            return false; // an interface or framework class could be anything
        }

        return type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .All(f => IsAcceptable(f, seen));
    }

    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), false) || type.Name.StartsWith("<", StringComparison.Ordinal)
        || (type.DeclaringType is not null && IsCompilerGenerated(type.DeclaringType)) || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true;

    private static bool IsNestedIn(Type type, Type outer) => type.DeclaringType is Type declaring && (declaring == outer || IsNestedIn(declaring, outer));

    private static class Sample
    {
#pragma warning disable CA2211, IDE0044, CS0649
        public static int Counter;
        public static readonly List<string> Names = new();
        public static readonly IReadOnlyList<string> Frozen = new[] { "a" };
#pragma warning restore CA2211, IDE0044, CS0649
    }
}

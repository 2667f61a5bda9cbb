using System.Globalization;
using System.Reflection;

namespace PartnerGuard.XrmSdk.Tests.Surface;

/// <summary>Renders reflected types and members in the notation of xrm-sdk-api.txt.</summary>
internal static class SurfaceFormatter
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string TypeName(Type type)
    {
        if (type.IsByRef)
        {
            return "ref " + TypeName(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsGenericType)
        {
            Type definition = type.GetGenericTypeDefinition();
            string name = definition.FullName!;
            name = name[..name.IndexOf('`', StringComparison.Ordinal)];
            return name + "<" + string.Join(",", type.GetGenericArguments().Select(TypeName)) + ">";
        }

        return type.FullName!;
    }

    public static string Kind(Type type) =>
        type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : "class";

    public static string Modifier(Type type)
    {
        if (type.IsInterface || type.IsValueType)
        {
            return string.Empty;
        }

        return type.IsAbstract && type.IsSealed ? "static" : type.IsSealed ? "sealed" : type.IsAbstract ? "abstract" : string.Empty;
    }

    /// <summary>The base class (unless object or a value-type root) followed by every implemented interface.</summary>
    public static IReadOnlyList<string> Bases(Type type)
    {
        var bases = new List<string>();
        Type? baseType = type.BaseType;
        if (baseType != null && baseType != typeof(object) && baseType != typeof(Enum) && baseType != typeof(ValueType))
        {
            bases.Add(TypeName(baseType));
        }

        bases.AddRange(type.GetInterfaces().Select(TypeName));
        return bases;
    }

    /// <summary>Every public or protected member the type itself declares, one reference-format line each.</summary>
    public static IReadOnlyList<string> Members(Type type)
    {
        var lines = new List<string>();
        var accessors = new HashSet<MethodInfo>();

        foreach (ConstructorInfo ctor in type.GetConstructors(Declared).Where(c => !c.IsStatic && IsVisible(c)))
        {
            lines.Add("ctor(" + Parameters(ctor) + ")");
        }

        foreach (PropertyInfo property in type.GetProperties(Declared))
        {
            MethodInfo? getter = property.GetGetMethod(true);
            MethodInfo? setter = property.GetSetMethod(true);
            if (getter != null)
            {
                accessors.Add(getter);
            }

            if (setter != null)
            {
                accessors.Add(setter);
            }

            bool get = getter != null && IsVisible(getter);
            bool set = setter != null && IsVisible(setter);
            if (!get && !set)
            {
                continue;
            }

            bool isStatic = (getter ?? setter)!.IsStatic;
            ParameterInfo[] index = property.GetIndexParameters();
            string name = index.Length > 0 ? "this[" + Parameters(index) + "]" : property.Name;
            lines.Add((isStatic ? "static " : string.Empty) + TypeName(property.PropertyType) + " " + name + " { "
                + (get ? "get; " : string.Empty) + (set ? "set; " : string.Empty) + "}");
        }

        foreach (EventInfo @event in type.GetEvents(Declared))
        {
            MethodInfo? add = @event.GetAddMethod(true);
            MethodInfo? remove = @event.GetRemoveMethod(true);
            if (add != null)
            {
                accessors.Add(add);
            }

            if (remove != null)
            {
                accessors.Add(remove);
            }

            if ((add != null && IsVisible(add)) || (remove != null && IsVisible(remove)))
            {
                lines.Add("event " + TypeName(@event.EventHandlerType!) + " " + @event.Name);
            }
        }

        foreach (MethodInfo method in type.GetMethods(Declared).Where(m => IsVisible(m) && !accessors.Contains(m)))
        {
            string generic = method.IsGenericMethodDefinition
                ? "<" + string.Join(",", method.GetGenericArguments().Select(a => a.Name)) + ">"
                : string.Empty;
            lines.Add((method.IsStatic ? "static " : string.Empty) + TypeName(method.ReturnType) + " " + method.Name + generic
                + "(" + Parameters(method) + ")");
        }

        foreach (FieldInfo field in type.GetFields(Declared).Where(f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly))
        {
            if (type.IsEnum && field.IsLiteral)
            {
                lines.Add(field.Name + " = " + Convert.ToInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture)
                    .ToString(CultureInfo.InvariantCulture));
            }
            else if (!type.IsEnum)
            {
                lines.Add("field " + (field.IsStatic ? "static " : string.Empty) + TypeName(field.FieldType) + " " + field.Name);
            }
        }

        return lines;
    }

    private static bool IsVisible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string Parameters(MethodBase method) => Parameters(method.GetParameters());

    private static string Parameters(ParameterInfo[] parameters) =>
        string.Join(", ", parameters.Select(p => TypeName(p.ParameterType) + " " + p.Name));
}

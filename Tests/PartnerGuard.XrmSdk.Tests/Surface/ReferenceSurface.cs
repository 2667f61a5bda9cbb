using System.Text.RegularExpressions;

namespace PartnerGuard.XrmSdk.Tests.Surface;

/// <summary>One type entry of xrm-sdk-api.txt: its header and its member lines, verbatim.</summary>
internal sealed record ReferenceType(
    string Modifier,
    string Kind,
    string FullName,
    IReadOnlyList<string> Bases,
    IReadOnlyList<string> Members,
    int Line);

/// <summary>
/// Parses the reference file format: '#' comment lines, blank lines, a type header
/// ("[sealed |abstract |static ]class|interface|enum|struct Full.Name[ : Base, Interface, ...]")
/// followed by member lines indented by two spaces.
/// </summary>
internal sealed class ReferenceSurface
{
    private static readonly Regex Header = new(
        @"^(?:(?<modifier>sealed|abstract|static) )?(?<kind>class|interface|enum|struct) (?<name>\S+)(?: : (?<bases>.+))?$",
        RegexOptions.CultureInvariant);

    private ReferenceSurface(IReadOnlyDictionary<string, ReferenceType> types)
    {
        Types = types;
    }

    public IReadOnlyDictionary<string, ReferenceType> Types { get; }

    public static ReferenceSurface Parse(string text, string sourceName)
    {
        var types = new Dictionary<string, ReferenceType>(StringComparer.Ordinal);
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        (string Modifier, string Kind, string Name, List<string> Bases, int Line)? current = null;
        var members = new List<string>();

        void Flush()
        {
            if (current is { } c)
            {
                if (!types.TryAdd(c.Name, new ReferenceType(c.Modifier, c.Kind, c.Name, c.Bases, members.ToArray(), c.Line)))
                {
                    throw new FormatException($"{sourceName} line {c.Line}: type '{c.Name}' is declared twice.");
                }
            }

            members.Clear();
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd();
            int lineNumber = i + 1;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("  ", StringComparison.Ordinal))
            {
                if (current is null)
                {
                    throw new FormatException($"{sourceName} line {lineNumber}: member line '{line.Trim()}' comes before any type header.");
                }

                members.Add(line.Trim());
                continue;
            }

            Match match = Header.Match(line);
            if (!match.Success)
            {
                throw new FormatException(
                    $"{sourceName} line {lineNumber}: '{line}' is neither a comment, a type header nor an indented member line.");
            }

            Flush();
            string bases = match.Groups["bases"].Success ? match.Groups["bases"].Value : string.Empty;
            current = (match.Groups["modifier"].Value, match.Groups["kind"].Value, match.Groups["name"].Value, SplitTopLevel(bases), lineNumber);
        }

        Flush();
        return new ReferenceSurface(types);
    }

    /// <summary>
    /// Adds the entries of a supplement. A supplement may only hold types that this reference names in the
    /// signature of a listed member without listing them itself, so it can complete the listed surface but
    /// never widen it.
    /// </summary>
    public ReferenceSurface WithSupplement(ReferenceSurface supplement, string supplementName)
    {
        var merged = new Dictionary<string, ReferenceType>(Types, StringComparer.Ordinal);
        foreach (ReferenceType type in supplement.Types.Values)
        {
            if (Types.ContainsKey(type.FullName))
            {
                throw new InvalidOperationException(
                    $"{supplementName} line {type.Line}: '{type.FullName}' is already listed in the reference; delete it from the supplement.");
            }

            var token = new Regex(@"(?<![\w.])" + Regex.Escape(type.FullName) + @"(?![\w.<])", RegexOptions.CultureInvariant);
            bool named = Types.Values.Any(t => t.Members.Any(m => token.IsMatch(m)));
            if (!named)
            {
                throw new InvalidOperationException(
                    $"{supplementName} line {type.Line}: '{type.FullName}' is not used by any member the reference lists, so it may not be added.");
            }

            merged.Add(type.FullName, type);
        }

        return new ReferenceSurface(merged);
    }

    /// <summary>Splits "A, B&lt;C,D&gt;, E" at the commas outside angle brackets.</summary>
    internal static List<string> SplitTopLevel(string list)
    {
        var parts = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.Length; i++)
        {
            switch (list[i])
            {
                case '<':
                    depth++;
                    break;
                case '>':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(list[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        string last = list[start..].Trim();
        if (last.Length > 0)
        {
            parts.Add(last);
        }

        return parts;
    }
}

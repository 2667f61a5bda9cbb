using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PartnerGuard.Packer.BestPractices;

/// <summary>
/// Checks the C# source of a plug-in assembly against the plug-in guidance, on Roslyn syntax trees (no compilation, so
/// names are matched as written: `Parallel.For`, `new ExecuteMultipleRequest`, `new ColumnSet(true)`…). Every *.cs file under
/// the given folders is read, bin/ and obj/ excepted. A plug-in class is one whose base list names IPlugin, or a class of
/// these files that is one.
/// </summary>
internal static class PluginSourceChecks
{
    private static readonly HashSet<string> BatchRequests = new(StringComparer.Ordinal) { "ExecuteMultipleRequest", "ExecuteTransactionRequest" };
    private static readonly HashSet<string> ParallelCalls = new(StringComparer.Ordinal)
    {
        "Parallel.For", "Parallel.ForEach", "Parallel.ForEachAsync", "Parallel.Invoke", "Task.Run", "Task.Factory.StartNew", "ThreadPool.QueueUserWorkItem",
    };

    private static readonly HashSet<string> ParallelTypes = new(StringComparer.Ordinal) { "Thread", "System.Threading.Thread" };
    private static readonly HashSet<string> LockCalls = new(StringComparer.Ordinal) { "Monitor.Enter", "Monitor.TryEnter" };

    public static void Check(IReadOnlyList<string> sourceDirectories, List<SourceProblem> problems)
    {
        var files = sourceDirectories
            .SelectMany(d => Directory.Exists(d) ? Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories) : [])
            .Where(f => !f.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f))
            .ToList();

        var pluginClasses = PluginClassNames(files);
        foreach (var tree in files)
        {
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                Check(node, pluginClasses, problems);
            }
        }
    }

    private static void Check(SyntaxNode node, HashSet<string> pluginClasses, List<SourceProblem> problems)
    {
        switch (node)
        {
            case ObjectCreationExpressionSyntax creation:
            {
                var type = Simple(creation.Type.ToString());
                if (BatchRequests.Contains(type))
                {
                    Report(BestPracticeRule.NoBatchRequests, node, $"creates {type}; send the requests one by one (a plug-in runs inside the caller's transaction)");
                }

                if (ParallelTypes.Contains(creation.Type.ToString()))
                {
                    Report(BestPracticeRule.NoParallelExecution, node, "starts a thread; plug-ins must run on the pipeline's thread");
                }

                if (type == "ColumnSet" && creation.ArgumentList?.Arguments is [{ Expression: LiteralExpressionSyntax literal }] && literal.IsKind(SyntaxKind.TrueLiteralExpression))
                {
                    Report(BestPracticeRule.SpecifyColumns, node, "new ColumnSet(true) retrieves every column; name the columns the plug-in reads");
                }

                if (type == "ColumnSet" && creation.Initializer?.Expressions.OfType<AssignmentExpressionSyntax>().Any(IsAllColumnsTrue) == true)
                {
                    Report(BestPracticeRule.SpecifyColumns, node, "AllColumns = true retrieves every column; name the columns the plug-in reads");
                }

                if (type != "InvalidPluginExecutionException" && type.EndsWith("Exception", StringComparison.Ordinal)
                    && node.Parent is ThrowStatementSyntax or ThrowExpressionSyntax && InPluginClass(node, pluginClasses))
                {
                    Report(BestPracticeRule.InvalidPluginExecutionException, node, $"a plug-in class throws {type}; throw InvalidPluginExecutionException so the user sees the message");
                }

                break;
            }

            case AssignmentExpressionSyntax assignment when IsAllColumnsTrue(assignment) && assignment.Parent is not InitializerExpressionSyntax:
                Report(BestPracticeRule.SpecifyColumns, node, "AllColumns = true retrieves every column; name the columns the plug-in reads");
                break;
            case InvocationExpressionSyntax invocation:
            {
                var called = invocation.Expression.ToString();
                if (ParallelCalls.Any(c => called == c || called.EndsWith("." + c, StringComparison.Ordinal)))
                {
                    Report(BestPracticeRule.NoParallelExecution, node, $"calls {called}; plug-ins must run on the pipeline's thread");
                }

                if (LockCalls.Any(c => called == c || called.EndsWith("." + c, StringComparison.Ordinal)))
                {
                    Report(BestPracticeRule.NoLocks, node, $"calls {called}; a lock serializes every request of the sandbox and can deadlock");
                }

                break;
            }

            case LockStatementSyntax:
                Report(BestPracticeRule.NoLocks, node, "uses lock; a lock serializes every request of the sandbox and can deadlock");
                break;
            case FieldDeclarationSyntax field when field.Parent is ClassDeclarationSyntax owner && pluginClasses.Contains(owner.Identifier.Text)
                                                   && !field.Modifiers.Any(m => m.IsKind(SyntaxKind.ConstKeyword) || m.IsKind(SyntaxKind.ReadOnlyKeyword)):
                Report(BestPracticeRule.Stateless, node,
                    $"the plug-in class {owner.Identifier.Text} has the writable field {string.Join(", ", field.Declaration.Variables.Select(v => v.Identifier.Text))}; Dataverse reuses one instance for many requests at once");
                break;
            case PropertyDeclarationSyntax property when property.Parent is ClassDeclarationSyntax owner && pluginClasses.Contains(owner.Identifier.Text)
                                                         && property.AccessorList?.Accessors.Any(a => a.IsKind(SyntaxKind.SetAccessorDeclaration)) == true:
                Report(BestPracticeRule.Stateless, node,
                    $"the plug-in class {owner.Identifier.Text} has the settable property {property.Identifier.Text}; Dataverse reuses one instance for many requests at once");
                break;
        }

        void Report(BestPracticeRule rule, SyntaxNode at, string detail)
        {
            var span = at.GetLocation().GetLineSpan();
            problems.Add(BestPracticeProblem.Of(rule, span.Path, span.StartLinePosition.Line + 1, detail));
        }
    }

    private static bool IsAllColumnsTrue(AssignmentExpressionSyntax assignment) =>
        Simple(assignment.Left.ToString()) == "AllColumns" && assignment.Right.IsKind(SyntaxKind.TrueLiteralExpression);

    private static bool InPluginClass(SyntaxNode node, HashSet<string> pluginClasses) =>
        node.Ancestors().OfType<ClassDeclarationSyntax>().Any(c => pluginClasses.Contains(c.Identifier.Text));

    /// <summary>Classes whose base list names IPlugin, directly or through another class of these files.</summary>
    private static HashSet<string> PluginClassNames(IEnumerable<SyntaxTree> trees)
    {
        var bases = trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            .GroupBy(c => c.Identifier.Text, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(c => c.BaseList?.Types.Select(b => Simple(b.Type.ToString())) ?? []).ToList(), StringComparer.Ordinal);
        var plugins = new HashSet<string>(StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            foreach (var (name, list) in bases)
            {
                if (!plugins.Contains(name) && list.Any(b => b == "IPlugin" || plugins.Contains(b)))
                {
                    changed |= plugins.Add(name);
                }
            }
        }
        while (changed);

        return plugins;
    }

    /// <summary>The simple name of a type as written: Microsoft.Xrm.Sdk.Query.ColumnSet → ColumnSet; generic arguments dropped.</summary>
    private static string Simple(string written)
    {
        var generic = written.IndexOf('<', StringComparison.Ordinal);
        var name = generic >= 0 ? written[..generic] : written;
        return name[(name.LastIndexOf('.') + 1)..];
    }
}

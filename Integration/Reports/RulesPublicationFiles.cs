using System.Globalization;
using System.Text;
using PartnerGuard.Integration.Domain.Statements;

namespace PartnerGuard.Integration.Reports;

/// <summary>
/// Writes the rules of engagement as a self-contained HTML page and as Markdown (LF, UTF-8 without BOM). Both are
/// built from the publication alone (no clock), so the same rules and date give byte-identical files.
/// </summary>
internal static class RulesPublicationFiles
{
    public const string HtmlName = "rules-of-engagement.html";
    public const string MarkdownName = "rules-of-engagement.md";

    public static IReadOnlyList<string> Write(RulesPublication publication, string folder, bool html, bool markdown)
    {
        var files = new List<string>();
        if (html)
        {
            files.Add(Html(publication).Write(folder, HtmlName));
        }

        if (markdown)
        {
            var path = Path.Combine(folder, MarkdownName);
            File.WriteAllText(path, Markdown(publication), new UTF8Encoding(false));
            files.Add(path);
        }

        return files;
    }

    public static string Subtitle(RulesPublication p) =>
        $"Version {p.Stamp}, as of {p.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}. Rollout mode: {p.EnforcementMode}.";

    public static HtmlReport Html(RulesPublication p)
    {
        var html = new HtmlReport("Rules of engagement", Subtitle(p));
        html.Paragraph("Every customer deal goes through a partner, except where one of the direct sales rules below applies. "
            + "This document lists those rules and how deals and customers are handled; the version changes whenever a rule or a setting described here changes.");
        html.Section("Direct sales rules", "In the order they are tried; the first that covers a deal decides.")
            .Table(["#", "Rule", "Covers", "From", "Until", "Status", "Why"],
                p.Rules.Select(r => Row(r.Order.ToString(CultureInfo.InvariantCulture), r.Name, r.Covers, r.From ?? "always", r.To ?? "no end", r.Status, r.Description)),
                "There are no direct sales rules: every deal goes through a partner.");
        if (p.Expired.Count > 0)
        {
            html.Section("Rules that have ended", "Still on record, no longer applied.")
                .Table(["Rule", "Covered", "Until"], p.Expired.Select(r => Row(r.Name, r.Covers, r.To)));
        }

        foreach (var section in p.Sections)
        {
            html.Section(section.Title);
            foreach (var paragraph in section.Paragraphs)
            {
                html.Paragraph(paragraph);
            }
        }

        return html;
    }

    public static string Markdown(RulesPublication p)
    {
        var md = new StringBuilder();
        md.Append("# Rules of engagement\n\n").Append(Md(Subtitle(p))).Append("\n\n");
        md.Append("Every customer deal goes through a partner, except where one of the direct sales rules below applies. ")
            .Append("This document lists those rules and how deals and customers are handled; the version changes whenever a rule or a setting described here changes.\n\n");
        md.Append("## Direct sales rules\n\nIn the order they are tried; the first that covers a deal decides.\n\n");
        if (p.Rules.Count == 0)
        {
            md.Append("There are no direct sales rules: every deal goes through a partner.\n\n");
        }
        else
        {
            md.Append("| # | Rule | Covers | From | Until | Status | Why |\n|---:|---|---|---|---|---|---|\n");
            foreach (var r in p.Rules)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {r.Order} | {Md(r.Name)} | {Md(r.Covers)} | {Md(r.From ?? "always")} | {Md(r.To ?? "no end")} | {Md(r.Status)} | {Md(r.Description ?? string.Empty)} |\n");
            }

            md.Append('\n');
        }

        if (p.Expired.Count > 0)
        {
            md.Append("## Rules that have ended\n\nStill on record, no longer applied.\n\n| Rule | Covered | Until |\n|---|---|---|\n");
            foreach (var r in p.Expired)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Md(r.Name)} | {Md(r.Covers)} | {Md(r.To ?? string.Empty)} |\n");
            }

            md.Append('\n');
        }

        foreach (var section in p.Sections)
        {
            md.Append("## ").Append(Md(section.Title)).Append("\n\n");
            foreach (var paragraph in section.Paragraphs)
            {
                md.Append(Md(paragraph)).Append("\n\n");
            }
        }

        return md.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>
    /// Text as Markdown shows it literally: the punctuation that opens markup, links, HTML or a table cell, and a leading
    /// list or heading marker (CommonMark allows a backslash before any ASCII punctuation), line breaks as spaces, so a name cannot open a link, a table cell or markup.
    /// </summary>
    public static string Md(string text)
    {
        var result = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                result.Append(' ');
            }
            else if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '#' or '!' or '|' or '<' or '>' or '&' or '~'
                || (result.Length == 0 && c is '-' or '+' or '='))
            {
                result.Append('\\').Append(c);
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    private static IReadOnlyList<object?> Row(params object?[] cells) => cells;
}

namespace PartnerGuard.Integration.Domain.Statements;

/// <summary>
/// The rules of engagement as a partner reads them (`partnerguard rules publish`): every active rule that is in
/// force or scheduled on the publication date, in the order the policy tries them, in plain words, and how
/// conflicts, assignment and deals without a partner are handled. Everything is derived from the rules and the
/// settings, and from the date, so the same rules on the same date give the same document.
/// </summary>
internal sealed record RulesPublication(
    DateOnly Date,
    string Stamp,
    string EnforcementMode,
    IReadOnlyList<PublishedRule> Rules,
    IReadOnlyList<PublishedRule> Expired,
    IReadOnlyList<PublishedSection> Sections);

/// <summary>One rule: its place in the order, what it covers in plain words, since and until when.</summary>
internal sealed record PublishedRule(int Order, Guid Id, string Name, string Kind, string Covers, string? From, string? To, string Status, string? Description);

/// <summary>A section of explanatory text (conflicts, assignment, deals without a partner).</summary>
internal sealed record PublishedSection(string Title, IReadOnlyList<string> Paragraphs);

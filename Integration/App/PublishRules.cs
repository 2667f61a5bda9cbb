using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain.Statements;
using PartnerGuard.Integration.Reports;

namespace PartnerGuard.Integration.App;

/// <summary>
/// `rules publish`: reads the rules and the settings as `audit` does (<see cref="TransparencySource"/>), dates the
/// document by <paramref name="date"/> or else by the newest rule modification day, and writes HTML and/or Markdown.
/// </summary>
internal static class PublishRules
{
    public static async Task<(RulesPublication Publication, IReadOnlyList<string> Files)> WriteAsync(
        TransparencySource source, DateOnly? date, DateTime now, string folder, bool html, bool markdown, CancellationToken cancellationToken)
    {
        var settings = await source.ReadSettingsAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Problem is not null)
        {
            throw new Domain.UsageException($"The PartnerGuard settings in Dataverse cannot be used: {settings.Problem}");
        }

        var rules = await source.ReadRulesAsync(cancellationToken).ConfigureAwait(false);
        var day = date ?? RulesPublisher.DefaultDate(await source.ReadNewestRuleModificationAsync(cancellationToken).ConfigureAwait(false), now);
        var publication = RulesPublisher.Build(rules, settings, day);
        return (publication, RulesPublicationFiles.Write(publication, folder, html, markdown));
    }
}

namespace PartnerGuard.Integration.App;

/// <summary>
/// What a use case needs from the outside world, and no more: where its lines go (both through the secret scrubber),
/// the clock, and the scrubber for error texts that are stored in files. The console builds it from its
/// <c>CliContext</c>; a job host could build it from its own.
/// </summary>
internal sealed record UseCaseContext(TextWriter Out, TextWriter Error, TimeProvider Time, Func<string, string> Scrub);

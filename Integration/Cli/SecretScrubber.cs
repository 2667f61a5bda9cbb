namespace PartnerGuard.Integration.Cli;

/// <summary>
/// Second line of defence for "secrets never reach output": every line the console writes passes through
/// here, and any known secret value is masked. The first line of defence is that no code formats a secret.
/// </summary>
internal sealed class SecretScrubber
{
    private readonly List<string> _secrets = [];
    private readonly Lock _lock = new();

    public void Add(IEnumerable<string> secrets)
    {
        lock (_lock)
        {
            foreach (var secret in secrets)
            {
                if (secret.Length >= 4 && !_secrets.Contains(secret))
                {
                    _secrets.Add(secret);
                }
            }
        }
    }

    public string Scrub(string text)
    {
        lock (_lock)
        {
            foreach (var secret in _secrets)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }

            return text;
        }
    }
}

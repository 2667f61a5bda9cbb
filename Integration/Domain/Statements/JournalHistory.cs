using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Statements;

/// <summary>A customer a partner lost: taken away by a later run, or put back by an undo; when, by which run.</summary>
internal sealed record LostCustomer(Guid CustomerId, Guid PartnerId, Guid? NewPartnerId, string Run, string Operation, DateTimeOffset? At);

/// <summary>
/// What the run journals say about customers partners lost. Dataverse keeps only an account's current assignment;
/// the journals of `apply`/`distribute` and `undo` (<c>&lt;run&gt;.apply.journal</c>, <c>&lt;run&gt;.undo.journal</c> in the
/// journal folder) keep each changed account's prior and target. An account whose change was applied and whose prior
/// partner differs from its target partner is a customer its prior partner lost. Outcome lines carry no time, so
/// "when" is the start of the run session that applied the change (its "start" line).
/// Read line by line with the journal's own reader; only accounts whose intent awaits its outcome are held.
/// </summary>
internal static class JournalHistory
{
    /// <summary>Every loss recorded in the folder's journals, by the partner that lost the customer; damaged or unreadable files are reported to <paramref name="warn"/> and skipped.</summary>
    public static (Dictionary<Guid, List<LostCustomer>> ByPartner, int Files) Read(string folder, Action<string> warn)
    {
        var byPartner = new Dictionary<Guid, List<LostCustomer>>();
        if (!Directory.Exists(folder))
        {
            return (byPartner, 0);
        }

        var files = Directory.EnumerateFiles(folder, "*.journal")
            .Where(f => f.EndsWith(".apply.journal", StringComparison.Ordinal) || f.EndsWith(".undo.journal", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var path in files)
        {
            try
            {
                foreach (var lost in ReadFile(path))
                {
                    if (!byPartner.TryGetValue(lost.PartnerId, out var list))
                    {
                        list = [];
                        byPartner[lost.PartnerId] = list;
                    }

                    list.Add(lost);
                }
            }
            catch (Exception error) when (error is JournalException or IOException or UnauthorizedAccessException)
            {
                warn($"partnerguard: warning: the journal '{path}' was not read for lost customers ({error.Message}).");
            }
        }

        return (byPartner, files.Count);
    }

    private static List<LostCustomer> ReadFile(string path)
    {
        var name = Path.GetFileName(path);
        var operation = name.EndsWith(".undo.journal", StringComparison.Ordinal) ? "undo" : "apply";
        var run = name[..^($".{operation}.journal".Length)];
        var pending = new Dictionary<Guid, (Guid Prior, Guid? Target)>();
        var lost = new List<LostCustomer>();
        DateTimeOffset? session = null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.SequentialScan);
        foreach (var (record, _) in JournalLines.Read(stream, path))
        {
            if (record.Kind == JournalKinds.Start)
            {
                run = record.Run is { Length: > 0 } id ? id : run;
                session = record.At;
            }
            else if (record.Kind == JournalKinds.Intent)
            {
                foreach (var change in record.Changes ?? [])
                {
                    if (change.Prior.Partner is { } prior && prior != change.Target.Partner)
                    {
                        pending.TryAdd(change.Id, (prior, change.Target.Partner));
                    }
                }
            }
            else if (record.Kind == JournalKinds.Outcome)
            {
                foreach (var result in record.Results ?? [])
                {
                    var outcome = JournalKinds.ParseOutcome(result.Outcome);
                    if (outcome != AccountOutcome.InDoubt && pending.Remove(result.Id, out var change) && outcome == AccountOutcome.Applied)
                    {
                        lost.Add(new LostCustomer(result.Id, change.Prior, change.Target, run, operation, record.At ?? session));
                    }
                }
            }
        }

        return lost;
    }
}

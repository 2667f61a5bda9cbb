using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>The rules of one kind of run: when an account is done already, when it may be written.</summary>
internal abstract class RunKind
{
    /// <summary>"apply" or "undo"; also names the journal file.</summary>
    public abstract string Operation { get; }

    public abstract (ChangeDecision Decision, string? Reason) Decide(ChangeRequest request, AccountState current);

    /// <summary>Applying a plan: set partner, stamp and (optionally) owner on accounts still as planned.</summary>
    public static RunKind Apply { get; } = new ApplyKind();

    /// <summary>Undoing a run: restore the prior state on accounts nobody changed since the run.</summary>
    public static RunKind Undo { get; } = new UndoKind();

    private sealed class ApplyKind : RunKind
    {
        public override string Operation => "apply";

        public override (ChangeDecision, string?) Decide(ChangeRequest request, AccountState current)
        {
            if (current.PartnerId == request.Target.PartnerId && current.AssignmentRun == request.Target.AssignmentRun
                && (request.Target.OwnerId is null || current.OwnerId == request.Target.OwnerId))
            {
                return (ChangeDecision.AlreadyDone, null);
            }

            if (request.Refusal is { } refusal)
            {
                return (ChangeDecision.Skip, refusal);
            }

            if (current.PartnerId == request.Expected.PartnerId)
            {
                return (ChangeDecision.Write, null);
            }

            return (ChangeDecision.Skip, current.PartnerId is null
                ? "its assigned partner was removed since the plan"
                : $"it was assigned to partner {current.PartnerId:D} since the plan");
        }
    }

    private sealed class UndoKind : RunKind
    {
        public override string Operation => "undo";

        public override (ChangeDecision, string?) Decide(ChangeRequest request, AccountState current)
        {
            var ownerRestored = request.Target.OwnerId is null || current.OwnerId == request.Target.OwnerId;
            if (current.PartnerId == request.Target.PartnerId && current.AssignmentRun == request.Target.AssignmentRun && ownerRestored)
            {
                return (ChangeDecision.AlreadyDone, null);
            }

            var ownerAsRunLeftIt = request.Expected.OwnerId is null || current.OwnerId == request.Expected.OwnerId;
            if (current.PartnerId == request.Expected.PartnerId && current.AssignmentRun == request.Expected.AssignmentRun && ownerAsRunLeftIt)
            {
                return (ChangeDecision.Write, null);
            }

            return (ChangeDecision.Skip, "it changed after the run, so undo leaves it as it is");
        }
    }
}

namespace PartnerGuard.Emulator.Messages;

/// <summary>Disassociate: clears the lookup of a one-to-many relationship on each related row.</summary>
internal sealed class DisassociateHandler : RelateHandler
{
    public override string Name => "Disassociate";
}

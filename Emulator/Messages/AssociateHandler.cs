namespace PartnerGuard.Emulator.Messages;

/// <summary>Associate: sets the lookup of a one-to-many relationship on each related row.</summary>
internal sealed class AssociateHandler : RelateHandler
{
    public override string Name => "Associate";
}

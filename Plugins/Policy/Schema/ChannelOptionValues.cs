namespace PartnerGuard.Policy.Schema;

/// <summary>Option values of the <c>pg_channel</c> choice on the opportunity (DESIGN §2).</summary>
public static class ChannelOptionValues
{
    public const int Partner = 723100000;
    public const int Direct = 723100001;
    public const int Unresolved = 723100002;
    public const int Bypassed = 723100003;
}

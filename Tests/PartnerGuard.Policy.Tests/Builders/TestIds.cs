using System.Security.Cryptography;
using System.Text;

namespace PartnerGuard.Policy.Tests.Builders;

/// <summary>
/// Deterministic ids for test data: the same label gives the same id in every run, so theory data (and the test
/// ids built from it) are identical at discovery and at execution — mutation tools and "re-run failed tests" rely
/// on that. Different labels give different ids.
/// </summary>
internal static class TestIds
{
    public static Guid Named(string label)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(label));
        var bytes = new byte[16];
        Array.Copy(hash, bytes, 16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-style, name-based
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}

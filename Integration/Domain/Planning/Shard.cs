using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PartnerGuard.Integration.Domain;

namespace PartnerGuard.Integration.Domain.Planning;

/// <summary>
/// Shard I of N (1-based): the accounts whose stable hash of the id falls in bucket I. The hash is SHA-256 of
/// the id's canonical text, so every machine and every run splits the same way, and shards never overlap.
/// </summary>
internal sealed record Shard(int Index, int Count)
{
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || index < 1 || index > count)
        {
            throw new UsageException($"--shard must look like I/N with 1 ≤ I ≤ N (e.g. 2/4); got '{text}'.");
        }

        return new Shard(index, count);
    }

    public bool Contains(Guid accountId) => Bucket(accountId, Count) == Index - 1;

    public static int Bucket(Guid accountId, int count)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(accountId.ToString("D", CultureInfo.InvariantCulture)), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count);
    }

    public override string ToString() => $"{Index}/{Count}";
}

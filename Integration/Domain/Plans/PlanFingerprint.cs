using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>The plan's fingerprint, computed row by row: SHA-256 of its JSON form (<see cref="PlanJsonWriter"/>).</summary>
internal sealed class PlanFingerprint : IDisposable
{
    private readonly HashingStream _hash = new();
    private readonly PlanJsonWriter _json;

    public PlanFingerprint(PlanHeader header) => _json = new PlanJsonWriter(_hash, header);

    public void Add(PlanRow row) => _json.Write(row);

    /// <summary>The lower-case hex SHA-256 of the plan's JSON; call once after the last row.</summary>
    public string Complete()
    {
        _json.Complete();
        return Convert.ToHexStringLower(_hash.Hash.GetHashAndReset());
    }

    public void Dispose()
    {
        _json.Dispose();
        _hash.Dispose();
    }

    /// <summary>A write-only stream that hashes what is written to it and keeps nothing.</summary>
    private sealed class HashingStream : Stream
    {
        public System.Security.Cryptography.IncrementalHash Hash { get; } = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => Hash.AppendData(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

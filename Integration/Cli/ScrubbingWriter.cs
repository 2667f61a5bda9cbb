using System.Text;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// A text writer that passes whole lines through the <see cref="SecretScrubber"/> before they reach the
/// real output, so a secret cannot be printed even by a message PartnerGuard did not write itself
/// (e.g. an exception text from a library).
/// </summary>
internal sealed class ScrubbingWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly SecretScrubber _scrubber;
    private readonly StringBuilder _line = new();
    private readonly Lock _lock = new();

    public ScrubbingWriter(TextWriter inner, SecretScrubber scrubber)
    {
        _inner = inner;
        _scrubber = scrubber;
    }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value)
    {
        lock (_lock)
        {
            _line.Append(value);
            if (value == '\n')
            {
                EmitLine();
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var c in value)
            {
                _line.Append(c);
                if (c == '\n')
                {
                    EmitLine();
                }
            }
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Flush()
    {
        lock (_lock)
        {
            if (_line.Length > 0)
            {
                _inner.Write(_scrubber.Scrub(_line.ToString()));
                _line.Clear();
            }

            _inner.Flush();
        }
    }

    private void EmitLine()
    {
        _inner.Write(_scrubber.Scrub(_line.ToString()));
        _line.Clear();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }
}

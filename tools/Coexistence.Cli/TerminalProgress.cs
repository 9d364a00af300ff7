using System.Globalization;

namespace Coexistence.Cli;

/// <summary>See <see cref="OperatorOutput.Progress"/>. Reports are synchronous (no thread hop) and cleared on dispose.</summary>
internal sealed class TerminalProgress(TextWriter? terminal, string label) : IProgress<int>, IDisposable
{
    private bool written;

    public void Report(int value) => Write(value.ToString(CultureInfo.InvariantCulture));

    public void Report(string text) => Write(text);

    private void Write(string text)
    {
        if (terminal is null) return;
        terminal.Write($"\r\u001b[2K{label}: {text}");
        terminal.Flush();
        written = true;
    }

    public void Dispose()
    {
        if (terminal is null || !written) return;
        terminal.Write("\r\u001b[2K");
        terminal.Flush();
    }
}

using System.Text;
using Spectre.Console;

namespace Coexistence.Cli;

/// <summary>A TextWriter that writes whole lines through Spectre.Console, so they appear above a live progress display.</summary>
internal sealed class AnsiConsoleLineWriter(IAnsiConsole console) : TextWriter
{
    private readonly StringBuilder pending = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            console.WriteLine(pending.ToString().TrimEnd('\r'));
            pending.Clear();
        }
        else pending.Append(value);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && pending.Length > 0)
        {
            console.WriteLine(pending.ToString());
            pending.Clear();
        }
        base.Dispose(disposing);
    }
}

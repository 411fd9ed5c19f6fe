using System.Diagnostics;
using Spectre.Console;

namespace MedChat.Bench;

/// <summary>Plain progress lines with the elapsed time: readable live and in CI logs alike.</summary>
internal static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Phase(string title) => AnsiConsole.MarkupLineInterpolated($"[grey]{Elapsed}[/] [bold blue]== {title}[/]");

    public static void Step(string text) => AnsiConsole.MarkupLineInterpolated($"[grey]{Elapsed}[/]    {text}");

    public static void Note(string text) => AnsiConsole.MarkupLineInterpolated($"[grey]{Elapsed}[/]    [yellow]{text}[/]");

    private static string Elapsed => $"{Clock.Elapsed:mm\\:ss}";
}

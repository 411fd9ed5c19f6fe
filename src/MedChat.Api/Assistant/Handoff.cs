using System.Text.RegularExpressions;

namespace MedChat.Api.Assistant;

/// <summary>A patient asking for a person: the conversation goes to the staff queue.</summary>
public static partial class Handoff
{
    public const string Reply = """
        I've asked the clinic's care team to join this conversation. A nurse or doctor will reply here as soon as they can.
        If things get worse while you wait, or you think it's an emergency, call your local emergency number (for example 911, 112 or 999).
        """;

    public static bool IsRequest(string message) => Pattern().IsMatch(message);

    [GeneratedRegex(@"\b(speak|talk|chat)\s+(to|with)\s+(a|an|the|some|my)?\s*(real\s+|actual\s+)?(human|person|nurse|doctor|dr|clinician|someone|somebody|people|staff)\b|\b(real|actual)\s+(person|human|doctor|nurse)\b|\bhuman\s+please\b|\b(get|need|want)\s+(a|an|the)?\s*(nurse|doctor|human)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

using System.Text.RegularExpressions;

namespace MedChat.Api.Assistant;

public enum TriageLevel { Routine, Urgent, Emergency }

public sealed record Triage(TriageLevel Level, IReadOnlyList<string> RedFlags, string Source);

/// <summary>PLACEHOLDER until the safety branch lands: replaced wholesale by the rule set and vignette suite.</summary>
public static partial class SafetyGate
{
    public static Triage Assess(string patientMessage) =>
        ChestPain().IsMatch(patientMessage) ? new Triage(TriageLevel.Emergency, ["chest_pain"], "rules") : new Triage(TriageLevel.Routine, [], "rules");

    public static string EmergencyGuidance(Triage triage) => "Call your local emergency number (for example 911, 112 or 999) now. A clinician has been alerted.";

    public static string UrgentGuidance(Triage triage) => "Please seek care today.";

    [GeneratedRegex(@"\bchest pain\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChestPain();
}

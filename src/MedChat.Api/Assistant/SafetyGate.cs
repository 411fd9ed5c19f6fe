using System.Text;

namespace MedChat.Api.Assistant;

public enum TriageLevel { Routine, Urgent, Emergency }

/// <summary>
/// The gate's decision. <see cref="RedFlags"/> are stable snake_case ids naming why (emergency
/// ones first); empty for routine. <see cref="Source"/> is "rules" for the deterministic gate.
/// </summary>
public sealed record Triage(TriageLevel Level, IReadOnlyList<string> RedFlags, string Source);

/// <summary>
/// Deterministic medical safety gate, run on every patient message before any model call. Pure,
/// thread-safe and total: any string (or null) gives a decision and never an exception. When a
/// sign could be urgent or an emergency, the rules choose emergency (sensitivity first); a shipped
/// classifier then reads what no rule names (<see cref="SafetyModel"/>). A language model may raise
/// the gate's level afterwards but never lower it. Rules, classifier and sources: docs/safety.md.
/// </summary>
public static class SafetyGate
{
    public const string Source = "rules";

    private static readonly Triage Routine = new(TriageLevel.Routine, [], Source);

    /// <summary>Red flag of a message the rules did not call an emergency and the classifier did.</summary>
    public const string ClassifierFlag = "emergency_wording";

    public static Triage Assess(string patientMessage) => Assess(patientMessage, SafetyModel.Shipped);

    /// <summary>The rules, then the classifier when given (null: the rules alone, as ./safety reports them beside the gate).</summary>
    internal static Triage Assess(string? patientMessage, SafetyModel? model)
    {
        var text = SafetyText.Normalize(patientMessage);
        if (text.Length == 0) return Routine;

        var scan = new SafetyScan(text);
        var found = new List<(string Id, TriageLevel Level)>();
        foreach (var rule in SafetyRules.Phrases)
        {
            var m = scan.Find(rule.Pattern);
            if (m is null) continue;
            if (rule.DropWhenResolved && scan.ResolvedAfter(m)) continue;
            if (rule.ResolvedId is { } resolved && scan.ResolvedAfter(m)) found.Add((resolved, TriageLevel.Urgent));
            else found.Add((rule.Id, rule.Level));
        }
        SafetyRules.Combine(scan, found);
        if (model is not null) Classify(model, text, found);

        if (found.Count == 0) return Routine;
        var level = found.Max(f => f.Level);
        string[] flags = [.. found.OrderByDescending(f => f.Level).Select(f => f.Id).Distinct()];
        return new Triage(level, flags, Source);
    }

    /// <summary>
    /// The classifier's say (docs/safety.md). It raises to emergency a message the rules called
    /// urgent at p ≥ 0.5, and one in which they heard nothing at p ≥ 0.9 (the words alone then carry
    /// the whole case). It lowers a rule's emergency, to urgent and never further, only when it is
    /// near certain (p below 0.01 for the whole message and for each sentence alone) that the words
    /// are an idiom, a denial, a question or a past event.
    /// </summary>
    private static void Classify(SafetyModel model, string text, List<(string Id, TriageLevel Level)> found)
    {
        var ruleEmergency = found.Any(f => f.Level == TriageLevel.Emergency);
        var raiseAt = found.Any(f => f.Level == TriageLevel.Urgent) ? model.RaiseUrgent : model.RaiseRoutine;
        if (!ruleEmergency && model.Probability(text) >= raiseAt)
            found.Add((ClassifierFlag, TriageLevel.Emergency));
        else if (ruleEmergency && model.SurelyNotAnEmergency(text))
            for (var i = 0; i < found.Count; i++)
                if (found[i].Level == TriageLevel.Emergency) found[i] = (found[i].Id, TriageLevel.Urgent);
    }

    public static string EmergencyGuidance(Triage triage)
    {
        ArgumentNullException.ThrowIfNull(triage);
        var sb = new StringBuilder();
        sb.Append("What you describe can be a sign of a medical emergency. ")
          .Append("Call your local emergency number (for example 911, 112 or 999) now, or ask someone nearby to call. ")
          .Append("Do not wait for a reply here, and do not drive yourself to hospital.");

        var said = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flag in triage.RedFlags)
            if (WhatToDoNow.TryGetValue(flag, out var advice) && said.Add(advice))
                sb.Append("\n\n").Append(advice);

        sb.Append("\n\nIf the person stops responding or stops breathing normally, tell the call handler: they will guide you through what to do, including CPR.")
          .Append("\n\nA clinician from our team has been alerted and will look at this conversation. ")
          .Append("This is an automatic safety message based on the words used, not a diagnosis, and it does not replace the emergency services.");
        return sb.ToString();
    }

    public static string UrgentGuidance(Triage triage)
    {
        ArgumentNullException.ThrowIfNull(triage);
        var extra = triage.RedFlags.Contains("pregnancy_reduced_movements") || triage.RedFlags.Contains("pregnancy_spotting")
            ? " If you are pregnant, contact your maternity unit or midwife now rather than waiting for an appointment."
            : "";
        return "Based on what you describe, please get medical advice today: contact your doctor for a same-day appointment, "
            + "an urgent care service, or a nurse advice line (for example NHS 111 in England)." + extra
            + " If it gets worse, or new symptoms such as chest pain, difficulty breathing or confusion appear, "
            + "call your local emergency number (for example 911, 112 or 999). This is automatic guidance, not a diagnosis.";
    }

    /// <summary>Conservative first steps while help is on the way, per red flag (NHS / Resuscitation Council UK first aid).</summary>
    private static readonly Dictionary<string, string> WhatToDoNow = new(StringComparer.Ordinal)
    {
        ["chest_pain"] = "Chest pain: stop what you are doing, sit down and rest while you wait. Do not take any medicine unless the call handler or a clinician advises it; only take aspirin if they tell you to and you are not allergic to it.",
        ["stroke_signs"] = "Possible stroke: note the time the symptoms started (or when the person was last well) and tell the call handler. Do not give food, drink or medicines.",
        ["sudden_severe_headache"] = "A sudden, very severe headache needs to be checked at once: do not take more painkillers and wait, and do not drive.",
        ["not_breathing"] = "If the person is not breathing normally, the call handler will tell you how to start CPR. If a defibrillator (AED) is nearby, send someone to get it.",
        ["breathing_difficulty"] = "Difficulty breathing: sit upright and stay calm. If a reliever inhaler has been prescribed, use it as you have been shown.",
        ["anaphylaxis"] = "Possible severe allergic reaction: if an adrenaline auto-injector (such as an EpiPen) has been prescribed, use it now in the outer thigh. Lie down with your legs raised, or sit up if breathing is hard. A second dose can be given after 5 minutes if there is no improvement.",
        ["severe_bleeding"] = "Heavy bleeding: press firmly on the wound with a clean cloth or pad and keep pressing without lifting to check. Raise the injured part if you can.",
        ["vomiting_blood"] = "Blood in vomit or black, tarry stools: do not eat or drink anything, and keep a sample or photo if you can.",
        ["suicidal_intent"] = "You do not have to go through this alone, and you deserve help right now. If you might act on these thoughts, call your local emergency number now or go to the nearest emergency department. You can also talk to a crisis line at any time (for example 988 in the US, or Samaritans on 116 123 in the UK and Ireland). If you can, stay with someone you trust and move away from anything you could use to hurt yourself.",
        ["self_harm"] = "If you have hurt yourself, press on any bleeding with a clean cloth. You do not have to go through this alone: you can talk to a crisis line at any time (for example 988 in the US, or Samaritans on 116 123 in the UK and Ireland).",
        ["overdose"] = "Possible overdose or poisoning: do not make the person sick. Keep the packets, bottle or container to show the paramedics, and note what was taken and when.",
        ["unconscious"] = "If the person is breathing but will not wake, lay them on their side (recovery position) and stay with them. If they are not breathing normally, the call handler will tell you how to start CPR.",
        ["seizure"] = "Seizure: do not hold the person down or put anything in their mouth. Move dangerous objects away, cushion their head and time the seizure. When the jerking stops, lay them on their side.",
        ["meningitis_signs"] = "Signs of meningitis can get worse within hours: do not wait for a rash to appear or to change.",
        ["infant_fever"] = "A baby under 3 months with a temperature of 38 °C (100.4 °F) or more needs to be seen by a doctor now, even if they seem otherwise well. Do not give medicine to bring the temperature down unless a clinician tells you to.",
        ["infant_danger_signs"] = "A baby who is floppy, very hard to wake, not feeding or has a bulging soft spot needs to be seen now.",
        ["pregnancy_bleeding"] = "Bleeding in pregnancy: tell the call handler how many weeks pregnant you are. Lie down on your side while you wait and keep any pads to show the clinician.",
        ["pre_eclampsia_signs"] = "Headache with vision changes or swelling in pregnancy can be pre-eclampsia: tell the call handler how many weeks pregnant you are.",
        ["sepsis_signs"] = "These can be signs of sepsis. Tell the call handler or clinician about the infection and ask: could this be sepsis?",
        ["feels_like_dying"] = "Feeling that something is terribly wrong is a warning sign on its own: tell the call handler exactly what you feel.",
        ["acute_confusion"] = "Sudden confusion needs urgent assessment: stay with the person and do not give them food, drink or medicines.",
        ["head_injury_red_flags"] = "After a head injury with these signs, the person needs to be seen in an emergency department now; do not let them drive.",
        ["major_trauma"] = "Do not move an injured person unless they are in danger; press on any bleeding and keep them warm.",
        ["pulmonary_embolism_signs"] = "A swollen leg with breathlessness or chest pain can be a blood clot in the lung: sit upright and rest while you wait.",
    };
}

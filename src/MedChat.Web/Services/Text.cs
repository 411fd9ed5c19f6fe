using MedChat.Client;

namespace MedChat.Web.Services;

/// <summary>Words the screens share, so a status reads the same everywhere.</summary>
public static class Text
{
    public static string Role(Role r) => r switch { Client.Role.Patient => "patient", Client.Role.Staff => "staff", _ => "admin" };

    public static string Priority(Priority p) => p switch { Client.Priority.Emergency => "emergency", Client.Priority.Urgent => "urgent", _ => "routine" };

    public static string Status(ConversationStatus s) => s switch
    {
        ConversationStatus.Open => "with the assistant",
        ConversationStatus.AwaitingStaff => "waiting for staff",
        ConversationStatus.Resolved => "resolved",
        _ => "archived",
    };

    public static string Sender(SenderRole r) => r switch
    {
        SenderRole.Patient => "Patient",
        SenderRole.Staff => "Clinician",
        SenderRole.Assistant => "Assistant",
        _ => "MedChat",
    };

    /// <summary>In the viewer's own time zone (the browser's), short for today, with the date otherwise.</summary>
    public static string Time(DateTime? utc)
    {
        if (utc is not { } t) return "";
        var local = DateTime.SpecifyKind(t, DateTimeKind.Utc).ToLocalTime();
        return local.Date == DateTime.Now.Date ? local.ToString("HH:mm") : local.ToString("d MMM HH:mm");
    }

    public static string Title(Conversation c) => string.IsNullOrWhiteSpace(c.Title) ? $"Conversation from {Time(c.CreatedAt)}" : c.Title!;
}

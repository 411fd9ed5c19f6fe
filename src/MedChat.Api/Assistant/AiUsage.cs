namespace MedChat.Api.Assistant;

/// <summary>One user's assistant use on one UTC day: the per-user daily limits read it.</summary>
public sealed class AiUsage
{
    public Guid UserId { get; set; }
    public DateOnly Day { get; set; }
    public int Requests { get; set; }
    public long Tokens { get; set; }
}

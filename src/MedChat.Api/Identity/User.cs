namespace MedChat.Api.Identity;

public enum Role { Patient, Staff, Admin }

/// <summary>A person known to MedChat. The id is the token's subject; the role lives only here.</summary>
public sealed class User
{
    public Guid Id { get; set; }
    public Role Role { get; set; }
    public string? DisplayName { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The authenticated caller as the database sees them for this transaction.</summary>
public sealed record Caller(Guid Id, Role Role)
{
    public bool IsStaffOrAdmin => Role is Role.Staff or Role.Admin;
}

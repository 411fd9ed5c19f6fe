using MedChat.Api.Conversations;
using MedChat.Api.Identity;
using MedChat.Api.Messages;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Data;

/// <summary>
/// Demo users and one conversation for the embedded default, written with the owner connection
/// (like migrations). Fixed ids keep the printed tokens valid across restarts of the same data folder.
/// </summary>
public static class DemoSeed
{
    public sealed record DemoUser(Guid Id, Role Role, string Name);

    public static readonly DemoUser[] Users =
    [
        new(Guid.Parse("0194f000-0000-7000-8000-000000000001"), Role.Patient, "Pat Patient"),
        new(Guid.Parse("0194f000-0000-7000-8000-000000000002"), Role.Patient, "Robin Patient"),
        new(Guid.Parse("0194f000-0000-7000-8000-000000000003"), Role.Staff, "Nurse Sam"),
        new(Guid.Parse("0194f000-0000-7000-8000-000000000004"), Role.Staff, "Dr Alex"),
        new(Guid.Parse("0194f000-0000-7000-8000-000000000005"), Role.Admin, "Admin Kim"),
    ];

    public static readonly Guid DemoConversation = Guid.Parse("0194f000-0000-7000-8000-0000000000c1");

    public static async Task SeedAsync(string ownerConnection, TimeProvider time)
    {
        await using var db = new MedChatDb(new DbContextOptionsBuilder<MedChatDb>().UseNpgsql(ownerConnection).Options);
        var now = DateTime.SpecifyKind(time.GetUtcNow().UtcDateTime, DateTimeKind.Utc);
        var known = await db.Users.Where(u => Users.Select(d => d.Id).Contains(u.Id)).Select(u => u.Id).ToListAsync();
        foreach (var u in Users.Where(u => !known.Contains(u.Id)))
            db.Users.Add(new User { Id = u.Id, Role = u.Role, DisplayName = u.Name, CreatedAt = now, UpdatedAt = now });

        if (!await db.Conversations.AnyAsync(c => c.Id == DemoConversation))
        {
            var patient = Users[0].Id;
            db.Conversations.Add(new Conversation
            {
                Id = DemoConversation, PatientId = patient, Title = "Demo: a question about a rash",
                Status = ConversationStatus.AwaitingStaff, Priority = Priority.Routine,
                LastMessageSeq = 2, LastMessageAt = now, QueuedAt = now, CreatedAt = now, UpdatedAt = now,
            });
            db.Messages.AddRange(
                new Message { Id = Guid.CreateVersion7(), ConversationId = DemoConversation, Seq = 1, SenderId = patient, SenderRole = SenderRole.Patient,
                    Content = "Hello, I have had an itchy rash on my arm for three days. Could a nurse take a look?", ClientMessageId = "demo-1", CreatedAt = now },
                new Message { Id = Guid.CreateVersion7(), ConversationId = DemoConversation, Seq = 2, SenderId = null, SenderRole = SenderRole.System,
                    Content = "This conversation is waiting for a member of staff.", CreatedAt = now });
        }
        await db.SaveChangesAsync();
    }

    /// <summary>What ./run prints: who the demo users are, their tokens, and a call to try.</summary>
    public static void Print(TextWriter o, TokenIssuer tokens, IEnumerable<string> urls)
    {
        var baseUrl = urls.FirstOrDefault()?.Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal) ?? "http://localhost:5080";
        o.WriteLine();
        o.WriteLine("MedChat is running.");
        o.WriteLine($"  Open:       {baseUrl}/   (the web app: sign in as a demo user)");
        o.WriteLine($"  API:        {baseUrl}/api");
        o.WriteLine($"  Hub:        {baseUrl}/hubs/chat");
        o.WriteLine($"  OpenAPI:    {baseUrl}/openapi/v1.json");
        o.WriteLine($"  Reference:  {baseUrl}/scalar");
        o.WriteLine($"  Health:     {baseUrl}/health/ready");
        o.WriteLine();
        o.WriteLine("Demo users (tokens valid for 30 days):");
        foreach (var u in Users)
        {
            o.WriteLine($"  {u.Role.ToString().ToLowerInvariant(),-8} {u.Name,-14} {u.Id}");
            o.WriteLine($"  TOKEN_{u.Role.ToString().ToUpperInvariant()}_{Array.IndexOf(Users, u) + 1}={tokens.Issue(u.Id, u.Name, TimeSpan.FromDays(30))}");
        }
        o.WriteLine();
        o.WriteLine("Try:");
        o.WriteLine($"  curl -s {baseUrl}/api/me -H \"Authorization: Bearer $TOKEN_PATIENT_1\"");
        o.WriteLine($"  curl -s {baseUrl}/api/chat/conversations -H \"Authorization: Bearer $TOKEN_PATIENT_1\"");
        o.WriteLine($"  curl -s '{baseUrl}/api/chat/conversations?scope=queue' -H \"Authorization: Bearer $TOKEN_STAFF_3\"");
        o.WriteLine("(export a TOKEN_… line above first). Ctrl-C stops the server and its database.");
        o.WriteLine();
        o.Flush();
    }
}

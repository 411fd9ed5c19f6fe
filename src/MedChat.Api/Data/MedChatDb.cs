using System.Text.Json;
using MedChat.Api.Audit;
using MedChat.Api.Conversations;
using MedChat.Api.Identity;
using MedChat.Api.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MedChat.Api.Data;

/// <summary>The unit of work. Tables and columns are snake_case so the RLS policies read like SQL.</summary>
public sealed class MedChatDb(DbContextOptions<MedChatDb> options, AuditContext? request = null) : DbContext(options)
{
    /// <summary>Where the current request came from, for the audit rows it writes (null outside a request).</summary>
    public AuditContext? Request { get; } = request;

    public DbSet<User> Users => Set<User>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Receipt> Receipts => Set<Receipt>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<Assistant.AiUsage> AiUsage => Set<Assistant.AiUsage>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.ApplyConfigurationsFromAssembly(typeof(MedChatDb).Assembly);

        foreach (var entity in b.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
            }
            foreach (var key in entity.GetKeys()) key.SetName(JsonNamingPolicy.SnakeCaseLower.ConvertName(key.GetName()!));
            foreach (var fk in entity.GetForeignKeys()) fk.SetConstraintName(JsonNamingPolicy.SnakeCaseLower.ConvertName(fk.GetConstraintName()!));
            foreach (var index in entity.GetIndexes()) index.SetDatabaseName(JsonNamingPolicy.SnakeCaseLower.ConvertName(index.GetDatabaseName()!));
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder c)
    {
        c.Properties<Role>().HaveConversion<SnakeCaseEnumConverter<Role>>();
        c.Properties<ConversationStatus>().HaveConversion<SnakeCaseEnumConverter<ConversationStatus>>();
        c.Properties<Priority>().HaveConversion<SnakeCaseEnumConverter<Priority>>();
        c.Properties<SenderRole>().HaveConversion<SnakeCaseEnumConverter<SenderRole>>();
        c.Properties<DateTime>().HaveColumnType("timestamptz");
    }
}

/// <summary>Enums are stored as the same lower_snake strings the JSON API uses.</summary>
public sealed class SnakeCaseEnumConverter<T>() : ValueConverter<T, string>(v => Names.Of(v), v => Names.Parse(v))
    where T : struct, Enum
{
    private static class Names
    {
        private static readonly Dictionary<T, string> ToName =
            Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));
        private static readonly Dictionary<string, T> FromName = ToName.ToDictionary(kv => kv.Value, kv => kv.Key);
        public static string Of(T value) => ToName[value];
        public static T Parse(string name) => FromName[name];
    }

    public static string Name(T value) => Names.Of(value);

    /// <summary>The enum for a stored name (for rows read with Npgsql directly).</summary>
    public static T Parse(string name) => Names.Parse(name);
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
    {
        e.ToTable("users", t => t.HasCheckConstraint("ck_users_role", "role IN ('patient','staff','admin')"));
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.Role).HasMaxLength(16);
        e.Property(x => x.DisplayName).HasMaxLength(200);
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> e)
    {
        e.ToTable("conversations", t =>
        {
            t.HasCheckConstraint("ck_conversations_status", "status IN ('open','awaiting_staff','resolved','archived')");
            t.HasCheckConstraint("ck_conversations_priority", "priority IN ('routine','urgent','emergency')");
        });
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.Title).HasMaxLength(200);
        // Concurrent changes of who holds a conversation or its state must not both win (claim races).
        e.Property(x => x.Status).HasMaxLength(16).IsConcurrencyToken();
        e.Property(x => x.AssignedStaffId).IsConcurrencyToken();
        e.Property(x => x.Priority).HasMaxLength(16);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.PatientId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.AssignedStaffId).OnDelete(DeleteBehavior.Restrict);
        // Keyset indexes, one per "mine" listing, newest activity first.
        e.HasIndex(x => new { x.PatientId, x.UpdatedAt, x.Id }).IsDescending(false, true, true);
        e.HasIndex(x => new { x.AssignedStaffId, x.UpdatedAt, x.Id }).IsDescending(false, true, true);
        e.HasIndex(x => new { x.UpdatedAt, x.Id }).IsDescending(true, true);
        // The staff queue: unassigned conversations waiting for a person (ordered by priority rank in SQL).
        e.HasIndex(x => new { x.QueuedAt, x.Id })
            .HasDatabaseName("ix_conversations_queue")
            .HasFilter("status = 'awaiting_staff' AND assigned_staff_id IS NULL");
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> e)
    {
        e.ToTable("messages", t =>
        {
            t.HasCheckConstraint("ck_messages_sender_role", "sender_role IN ('patient','staff','assistant','system')");
            t.HasCheckConstraint("ck_messages_seq", "seq > 0");
        });
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.SenderRole).HasMaxLength(16);
        e.Property(x => x.Content).HasMaxLength(4000);
        e.Property(x => x.ClientMessageId).HasMaxLength(64);
        e.Property(x => x.Metadata).HasColumnType("jsonb");
        e.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.SenderId).OnDelete(DeleteBehavior.Restrict);
        // Gapless seq per conversation, and the keyset for every page and catch-up.
        e.HasIndex(x => new { x.ConversationId, x.Seq }).IsUnique();
        // Idempotent sends: one message per sender and clientMessageId in a conversation. Sender first,
        // so this one index also serves the sender foreign key and the assistant's lookup by sender and
        // clientMessageId. No index on sender_id alone: until a new database's first ANALYZE, PostgreSQL
        // planned the send's probe on it and read all of the sender's messages on every send
        // (docs/benchmarks.md, round 5).
        e.HasIndex(x => new { x.SenderId, x.ClientMessageId, x.ConversationId }).IsUnique();
        // One assistant reply per patient message (its clientMessageId is "assistant:<message id>"):
        // the sender is NULL there, which the index above treats as distinct.
        e.HasIndex(x => new { x.ConversationId, x.ClientMessageId }).IsUnique()
            .HasFilter("sender_id IS NULL").HasDatabaseName("ix_messages_assistant_reply");
    }
}

internal sealed class ReceiptConfiguration : IEntityTypeConfiguration<Receipt>
{
    public void Configure(EntityTypeBuilder<Receipt> e)
    {
        e.ToTable("receipts", t => t.HasCheckConstraint("ck_receipts_order", "read_seq >= 0 AND delivered_seq >= read_seq"));
        e.HasKey(x => new { x.ConversationId, x.UserId });
        e.Property(x => x.Role).HasMaxLength(16);
        e.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuditConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_log", t => t.HasCheckConstraint("ck_audit_log_outcome", "outcome IN ('ok','denied','failed')"));
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.ActorRole).HasMaxLength(16);
        e.Property(x => x.Action).HasMaxLength(64);
        e.Property(x => x.Outcome).HasMaxLength(16).HasDefaultValue(AuditOutcome.Ok);
        e.Property(x => x.RequestId).HasMaxLength(64);
        e.Property(x => x.ClientAddress).HasMaxLength(64);
        // Keyset paging newest first: (at, id) descending, alone and under each admin filter that narrows most.
        e.HasIndex(x => new { x.At, x.Id }).IsDescending(true, true);
        e.HasIndex(x => new { x.ConversationId, x.At, x.Id }).IsDescending(false, true, true);
        e.HasIndex(x => new { x.ActorId, x.At, x.Id }).IsDescending(false, true, true);
    }
}

internal sealed class AiUsageConfiguration : IEntityTypeConfiguration<Assistant.AiUsage>
{
    public void Configure(EntityTypeBuilder<Assistant.AiUsage> e)
    {
        e.ToTable("ai_usage");
        e.HasKey(x => new { x.UserId, x.Day });
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

using System.Data.Common;
using MedChat.Api.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MedChat.Api.Data;

public static class DbSession
{
    /// <summary>
    /// Starts the request's transaction as <paramref name="who"/>: one round trip to
    /// <c>medchat_begin</c> provisions a first-seen subject, sets <c>app.user_id</c> and <c>app.role</c>
    /// for this transaction only (what the row-level security policies read), and returns the role
    /// the database holds. Everything the caller then does runs inside this transaction.
    /// </summary>
    public static async Task<Caller> BeginAsync(this MedChatDb db, Principal who, CancellationToken ct)
    {
        // A failed statement fails the whole request, which rolls the transaction back: EF's savepoint
        // around each SaveChanges would only add two round trips to every write.
        db.Database.AutoSavepointsEnabled = false;
        var tx = await db.Database.BeginTransactionAsync(ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = tx.GetDbTransaction();
        cmd.CommandText = "SELECT medchat_begin($1, $2, $3)";
        Add(cmd, who.Id);
        Add(cmd, (object?)who.Name ?? DBNull.Value);
        Add(cmd, who.BootstrapAdmin);
        var role = (string)(await cmd.ExecuteScalarAsync(ct))!;
        return new Caller(who.Id, Enum.Parse<Role>(role, ignoreCase: true));
    }

    /// <summary>
    /// Names the conversation this transaction acts on, after the API has checked the caller may
    /// see it; staff keep sight of that row even when their change takes it out of their view.
    /// </summary>
    public static Task ActingOnAsync(this MedChatDb db, Guid conversationId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT set_config('app.acting_on', {conversationId.ToString()}, true)", ct);

    /// <summary>Marks this transaction as the assistant's: the safety gate may raise (never lower) a priority in it.</summary>
    public static Task ActingAsAssistantAsync(this MedChatDb db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT set_config('app.actor', 'assistant', true)", ct);

    public static Task CommitAsync(this MedChatDb db, CancellationToken ct) => db.Database.CommitTransactionAsync(ct);

    private static void Add(DbCommand cmd, object value)
    {
        var p = cmd.CreateParameter();
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}

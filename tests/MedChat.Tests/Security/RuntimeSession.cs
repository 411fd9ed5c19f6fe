using Npgsql;

namespace MedChat.Tests.Security;

/// <summary>
/// A raw connection as the runtime role <c>medchat_app</c> (trust auth over the test cluster's unix
/// socket), inside one transaction, with or without a caller set. The API is not involved: whatever
/// this sees or writes is what the policies alone allow.
/// </summary>
public sealed class RuntimeSession : IAsyncDisposable
{
    private readonly NpgsqlConnection _conn;
    private NpgsqlTransaction _tx;
    private int _savepoints;

    private RuntimeSession(NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        _conn = conn;
        _tx = tx;
    }

    public static string ConnectionString(MedChatApp app) =>
        new NpgsqlConnectionStringBuilder(app.OwnerConnection) { Username = "medchat_app", Password = null, Pooling = false }.ConnectionString;

    /// <summary>A transaction with no caller: what a query outside a request runs as.</summary>
    public static async Task<RuntimeSession> AnonymousAsync(MedChatApp app, CancellationToken ct)
    {
        var conn = new NpgsqlConnection(ConnectionString(app));
        await conn.OpenAsync(ct);
        return new RuntimeSession(conn, await conn.BeginTransactionAsync(ct));
    }

    /// <summary>A transaction whose caller is set the way the API sets it: transaction-local settings.</summary>
    public static async Task<RuntimeSession> AsAsync(MedChatApp app, Guid userId, string role, CancellationToken ct)
    {
        var s = await AnonymousAsync(app, ct);
        await s.ScalarAsync<object>("SELECT set_config('app.user_id', $1, true), set_config('app.role', $2, true)", ct, userId.ToString(), role);
        return s;
    }

    public static Task<RuntimeSession> AsAsync(MedChatApp app, TestUser user, CancellationToken ct) =>
        AsAsync(app, user.Id, user.Role.ToString().ToLowerInvariant(), ct);

    /// <summary>A transaction started with medchat_begin, exactly as the API starts a request; returns the role it reported.</summary>
    public static async Task<(RuntimeSession Session, string Role)> BeginAsync(MedChatApp app, Guid userId, CancellationToken ct)
    {
        var s = await AnonymousAsync(app, ct);
        var role = await s.ScalarAsync<string>("SELECT medchat_begin($1, NULL, false)", ct, userId);
        return (s, role!);
    }

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = Command(sql, args);
        var result = await cmd.ExecuteScalarAsync(ct);
        return result is null or DBNull ? default : (T)result;
    }

    public async Task<long> CountAsync(string table, CancellationToken ct) =>
        await ScalarAsync<long>($"SELECT count(*) FROM {table}", ct);

    public async Task<List<Guid>> IdsAsync(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = Command(sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = Command(sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Runs a statement that must be refused, inside a savepoint so the transaction stays usable,
    /// and returns the error. Fails the test when the statement succeeds.
    /// </summary>
    public async Task<PostgresException> RefusedAsync(string sql, CancellationToken ct, params object[] args)
    {
        var savepoint = $"s{++_savepoints}";
        await _tx.SaveAsync(savepoint, ct);
        try
        {
            var rows = await ExecuteAsync(sql, ct, args);
            Assert.Fail($"Expected the database to refuse `{sql}`, but it succeeded ({rows} rows).");
            throw new InvalidOperationException("unreachable");
        }
        catch (PostgresException e)
        {
            await _tx.RollbackAsync(savepoint, ct);
            return e;
        }
    }

    /// <summary>Refused by a row-level security policy's WITH CHECK: 42501, "new row violates row-level security policy".</summary>
    public async Task RefusedByPolicyAsync(string table, string sql, CancellationToken ct, params object[] args)
    {
        var e = await RefusedAsync(sql, ct, args);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        Assert.Contains($"new row violates row-level security policy for table \"{table}\"", e.MessageText, StringComparison.Ordinal);
    }

    /// <summary>Refused for want of a grant: 42501, "permission denied for table".</summary>
    public async Task RefusedByGrantAsync(string table, string sql, CancellationToken ct, params object[] args)
    {
        var e = await RefusedAsync(sql, ct, args);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        Assert.Contains($"permission denied for table {table}", e.MessageText, StringComparison.Ordinal);
    }

    /// <summary>Ends this transaction and starts another on the same connection (a pooled session's next use).</summary>
    public async Task CommitAndContinueAsync(CancellationToken ct)
    {
        await _tx.CommitAsync(ct);
        await _tx.DisposeAsync();
        _tx = await _conn.BeginTransactionAsync(ct);
    }

    private NpgsqlCommand Command(string sql, object[] args)
    {
        var cmd = new NpgsqlCommand(sql, _conn, _tx);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        await _tx.DisposeAsync();
        await _conn.DisposeAsync();
    }
}

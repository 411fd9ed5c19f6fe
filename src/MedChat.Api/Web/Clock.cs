namespace MedChat.Api.Web;

public static class Clock
{
    /// <summary>Now, cut to PostgreSQL's microsecond precision so values round-trip exactly (cursors compare them).</summary>
    public static DateTime UtcNow(this TimeProvider time)
    {
        var ticks = time.GetUtcNow().UtcTicks;
        return new DateTime(ticks - ticks % 10, DateTimeKind.Utc);
    }
}

namespace MedChat.Api.Assistant;

/// <summary>
/// Reads the model's optional leading <c>[[triage:level]]</c> marker out of a streamed reply and
/// passes everything else through: text is held back only while it could still be the marker.
/// </summary>
public sealed class TriageMarker(Func<string, Task> forward)
{
    private const string Open = "[[triage:";
    private readonly System.Text.StringBuilder _head = new();
    private bool _decided;

    public TriageLevel? Level { get; private set; }

    public async Task PushAsync(string text)
    {
        if (_decided)
        {
            await forward(text);
            return;
        }
        _head.Append(text);
        var head = _head.ToString();
        var trimmed = head.TrimStart();
        if (trimmed.Length < Open.Length && Open.StartsWith(trimmed, StringComparison.Ordinal)) return;
        if (trimmed.StartsWith(Open, StringComparison.Ordinal))
        {
            var close = trimmed.IndexOf("]]", StringComparison.Ordinal);
            if (close < 0 && trimmed.Length < 40) return;
            if (close > 0)
            {
                Level = trimmed[Open.Length..close].Trim() switch
                {
                    "emergency" => TriageLevel.Emergency,
                    "urgent" => TriageLevel.Urgent,
                    _ => null,
                };
                head = trimmed[(close + 2)..].TrimStart();
            }
        }
        _decided = true;
        if (head.Length > 0) await forward(head);
    }

    /// <summary>The end of the stream: whatever was held back goes out.</summary>
    public async Task FlushAsync()
    {
        if (_decided) return;
        _decided = true;
        if (_head.Length > 0) await forward(_head.ToString());
    }

    /// <summary>The stored reply text, without the marker.</summary>
    public static string Strip(string text)
    {
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith(Open, StringComparison.Ordinal)) return text;
        var close = trimmed.IndexOf("]]", StringComparison.Ordinal);
        return close < 0 ? text : trimmed[(close + 2)..].TrimStart();
    }
}

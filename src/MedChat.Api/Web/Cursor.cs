using System.Buffers.Text;
using System.Text;

namespace MedChat.Api.Web;

/// <summary>
/// Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded with a kind
/// prefix so a cursor from one listing cannot be replayed against another. Unreadable is 400.
/// </summary>
public static class Cursor
{
    public static string Encode(string kind, params object[] parts) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(kind + "|" + string.Join('|', parts)));

    public static string[] Decode(string? cursor, string kind, int partCount)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var parts = text.Split('|');
            if (parts.Length == partCount + 1 && parts[0] == kind) return parts[1..];
        }
        catch (FormatException)
        {
        }
        throw ValidationException.For("cursor", "cursor is not a cursor this listing issued.");
    }
}

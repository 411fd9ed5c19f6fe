using System.Text.Json;

namespace MedChat.Api.Web;

/// <summary>Query-string enums in their lower_snake JSON spelling; anything else is a 400 naming the field.</summary>
public static class EnumText
{
    public static T? Parse<T>(string? value, string field) where T : struct, Enum
    {
        if (value is null) return null;
        foreach (var v in Enum.GetValues<T>())
            if (JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()) == value) return v;
        var allowed = string.Join(", ", Enum.GetValues<T>().Select(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString())));
        throw ValidationException.For(field, $"{field} must be one of: {allowed}.");
    }
}

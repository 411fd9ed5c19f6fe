using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedChat.Api.Web;

public static class Json
{
    /// <summary>camelCase fields, lower_snake enums, and no lenient reading: a string is not a number, an int is not an enum.</summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.Converters.Add(new SnakeCaseEnums());
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }

    /// <summary>
    /// Enums as their lower_snake names, exactly. The framework's converter also accepts the C#
    /// spelling ("AwaitingStaff") and numbers, which the contract does not allow.
    /// </summary>
    private sealed class SnakeCaseEnums : JsonConverterFactory
    {
        public override bool CanConvert(Type t) => t.IsEnum;

        public override JsonConverter CreateConverter(Type t, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Strict<>).MakeGenericType(t))!;

        private sealed class Strict<T> : JsonConverter<T> where T : struct, Enum
        {
            private static readonly Dictionary<T, string> Names =
                Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));
            private static readonly Dictionary<string, T> Values = Names.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                reader.TokenType == JsonTokenType.String && Values.TryGetValue(reader.GetString()!, out var value)
                    ? value
                    : throw new JsonException($"Expected one of: {string.Join(", ", Values.Keys)}.");

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Names[value]);
        }
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MedChat.Api.Web;

/// <summary>
/// Makes the served OpenAPI document say what the API really does, in the terms outside tools check
/// (Spectral's OWASP API Security rules run against it in the tests): the bearer scheme and which
/// operations need it (admin routes name the admin role), bounds on every string, integer and
/// array, every problem response an operation can return, and the rate-limit headers.
/// </summary>
public static class ApiDocument
{
    public const string Scheme = "bearer";
    private const string ProblemSchema = "Problem";

    public static IServiceCollection AddMedChatOpenApi(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddOperationTransformer(DescribeOperation);
        o.AddDocumentTransformer(DescribeDocument);
    });

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var path = "/" + (context.Description.RelativePath ?? "");
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (secured)
        {
            // OAS 3.1: for a non-OAuth scheme the array lists the roles the operation needs.
            List<string> roles = path.StartsWith("/api/admin", StringComparison.Ordinal) ? ["admin"] : [];
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = roles }];
        }
        else
        {
            operation.Security = [];
        }

        operation.Responses ??= [];
        var method = context.Description.HttpMethod ?? "GET";
        var hasBody = method is "POST" or "PUT" or "PATCH";
        var hasRouteId = path.Contains('{', StringComparison.Ordinal);
        Problem(operation, "400", "A query, route or body value is invalid; `errors` names each field.");
        if (secured)
        {
            Problem(operation, "401", "No valid bearer token.");
            Problem(operation, "403", "The caller's role may not take this action.");
        }
        if (hasRouteId) Problem(operation, "404", "No such resource, or not the caller's to see.");
        if (hasBody) Problem(operation, "413", "The request body is larger than 64 KiB.");
        Problem(operation, "429", "A per-user limit is used up; retry after the Retry-After seconds.");
        Problem(operation, "500", "An unexpected error; nothing was stored.");
        Problem(operation, "503", "The database is unavailable; nothing was stored.");
        return Task.CompletedTask;
    }

    private static void Problem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.TryGetValue(status, out var existing) && existing is OpenApiResponse r)
        {
            r.Description = string.IsNullOrEmpty(r.Description) || r.Description == "Bad Request" ? description : r.Description;
            r.Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema) } };
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema) } },
        };
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        // No servers: clients use the origin that served the document (OAS default "/"), so the
        // document never advertises an http:// address or an environment it cannot know.
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A signed JWT (JWS) whose `sub` is the user's UUID, following the JWT best current practices of RFC8725: " +
                "the algorithm is fixed by the server (HS256 locally, the authority's keys with Auth__Authority), `alg: none` is refused, " +
                "issuer, audience and expiry are checked. The role is not in the token: it is read from the database on every request.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = ProblemDefinition();

        foreach (var (name, schema) in document.Components.Schemas) Bound(schema, name);
        foreach (var (_, item) in document.Paths)
        {
            foreach (var (_, operation) in item.Operations ?? [])
            {
                foreach (var p in operation.Parameters ?? []) Bound(p.Schema, p.Name);
                foreach (var (_, media) in operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>()) Bound(media.Schema, null);
                foreach (var (status, response) in operation.Responses ?? [])
                {
                    if (response is not OpenApiResponse r) continue;
                    foreach (var (_, media) in r.Content ?? new Dictionary<string, OpenApiMediaType>()) Bound(media.Schema, null);
                    if (status.StartsWith('2') || status.StartsWith('4')) r.Headers = Headers(status == "429");
                }
            }
        }
        return Task.CompletedTask;
    }

    private static Dictionary<string, IOpenApiHeader> Headers(bool tooMany)
    {
        static OpenApiHeader Int(string description, long max) => new()
        {
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        var headers = new Dictionary<string, IOpenApiHeader>
        {
            ["RateLimit-Limit"] = Int("Requests allowed per minute for this caller (Limits__RequestsPerMinute).", 1_000_000),
            ["RateLimit-Remaining"] = Int("Requests left in the current minute.", 1_000_000),
            ["RateLimit-Reset"] = Int("Seconds until the oldest counted request leaves the one-minute window.", 60),
            ["Access-Control-Allow-Origin"] = new OpenApiHeader
            {
                Description = "Present only when the request's Origin is one of Cors__Origins__N (none by default: same origin only).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2048, Format = "uri" },
            },
        };
        if (tooMany) headers["Retry-After"] = Int("Seconds to wait before retrying.", 86_400);
        return headers;
    }

    private static OpenApiSchema ProblemDefinition() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details (application/problem+json).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 512 },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2048 },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2048 },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128 },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "For a 400: each invalid field (or JSON path) and what is wrong with it.",
                AdditionalProperties = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array, MaxItems = 20,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2048 },
                },
            },
        },
    };

    /// <summary>Largest length of each text field the API accepts or returns, by property or parameter name.</summary>
    private static readonly Dictionary<string, int> TextLimits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["content"] = 4000, ["message"] = 4000, ["title"] = 200, ["displayName"] = 200, ["actorName"] = 200, ["name"] = 200,
        ["clientMessageId"] = 64, ["action"] = 64, ["outcome"] = 16, ["requestId"] = 64, ["clientAddress"] = 64,
        ["cursor"] = 256, ["nextCursor"] = 256, ["source"] = 32, ["scope"] = 16, ["status"] = 32, ["priority"] = 16,
        ["delta"] = 4000, ["reply"] = 4000,
    };

    /// <summary>Inclusive bounds of whole-number fields, by name; others get their type's range.</summary>
    private static readonly Dictionary<string, (long Min, long Max)> NumberLimits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["limit"] = (1, 100), ["seq"] = (1, long.MaxValue), ["lastMessageSeq"] = (0, long.MaxValue),
        ["deliveredSeq"] = (0, long.MaxValue), ["readSeq"] = (0, long.MaxValue), ["afterSeq"] = (0, long.MaxValue), ["beforeSeq"] = (1, long.MaxValue),
    };

    /// <summary>Most items an array field holds, by name; others at most 1000.</summary>
    private static readonly Dictionary<string, int> ArrayLimits = new(StringComparer.OrdinalIgnoreCase)
    {
        ["items"] = 100, ["redFlags"] = 50, ["receipts"] = 1000, ["conversations"] = ExportLimits.MaxConversations, ["messages"] = ExportLimits.MaxMessages,
    };

    private static void Bound(IOpenApiSchema? schema, string? name)
    {
        if (schema is not OpenApiSchema s) return; // references are bounded where they are defined
        var type = s.Type ?? 0;
        if (type.HasFlag(JsonSchemaType.String) && s.MaxLength is null && s.Enum is not { Count: > 0 } && s.Const is null)
        {
            s.MaxLength = s.Format switch
            {
                "uuid" => 36,
                "date-time" => 40,
                "date" => 10,
                _ => name is not null && TextLimits.TryGetValue(name, out var max) ? max : 4096,
            };
        }
        if (type.HasFlag(JsonSchemaType.Integer))
        {
            s.Format ??= "int64";
            var (min, max) = name is not null && NumberLimits.TryGetValue(name, out var range) ? range
                : s.Format == "int32" ? (int.MinValue, int.MaxValue) : (long.MinValue, long.MaxValue);
            s.Minimum ??= min.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s.Maximum ??= max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (type.HasFlag(JsonSchemaType.Array))
            s.MaxItems ??= name is not null && ArrayLimits.TryGetValue(name, out var items) ? items : 1000;
        foreach (var (property, child) in s.Properties ?? new Dictionary<string, IOpenApiSchema>()) Bound(child, property);
        Bound(s.Items, name);
        Bound(s.AdditionalProperties, null);
        foreach (var child in (s.AllOf ?? []).Concat(s.AnyOf ?? []).Concat(s.OneOf ?? [])) Bound(child, name);
    }
}

/// <summary>The largest export served as one document (the OpenAPI array bounds say the same).</summary>
public static class ExportLimits
{
    public const int MaxConversations = 1000;
    public const int MaxMessages = 20_000;
}

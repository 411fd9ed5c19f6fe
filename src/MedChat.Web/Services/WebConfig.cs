using MedChat.Client;

namespace MedChat.Web.Services;

/// <summary>The server's answer to <c>GET /api/web/config</c>.</summary>
public sealed record WebConfig(bool DemoSignIn, OidcConfig? Oidc);

public sealed record OidcConfig(string Authority, string ClientId, string Scope);

/// <summary><c>GET /api/dev/demo-users</c>.</summary>
public sealed record DemoUser(Guid Id, string DisplayName, Role Role, string Token);

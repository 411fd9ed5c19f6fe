using System.Net.Http.Json;
using MedChat.Client;
using MedChat.Web;
using MedChat.Web.Services;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
// Warnings and errors only: the browser console is for problems, and a clinic's console stays quiet.
builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);

var server = new Uri(builder.HostEnvironment.BaseAddress);
// How to sign in is the server's choice (demo users, or an OpenID Connect authority); ask before composing.
using (var probe = new HttpClient { BaseAddress = server })
{
    var config = await probe.GetFromJsonAsync<WebConfig>("api/web/config", MedChatJson.Options) ?? new WebConfig(false, null);
    builder.Services.AddSingleton(config);
    if (config.Oidc is { } oidc)
        builder.Services.AddOidcAuthentication(o =>
        {
            o.ProviderOptions.Authority = oidc.Authority;
            o.ProviderOptions.ClientId = oidc.ClientId;
            o.ProviderOptions.ResponseType = "code";
            o.ProviderOptions.DefaultScopes.Clear();
            foreach (var scope in oidc.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.ProviderOptions.DefaultScopes.Add(scope);
        });
}
builder.Services.AddSingleton(new HttpClient { BaseAddress = server });
builder.Services.AddSingleton<Session>();

await builder.Build().RunAsync();

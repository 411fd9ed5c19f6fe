// Blazor's JavaScript initializer for this app (loaded by Blazor itself: no inline script, so a
// strict Content-Security-Policy holds). The OpenID Connect library is only fetched when the server
// has an authority configured, so the demo and most first loads do not pay for it.
export async function beforeStart() {
    const response = await fetch('api/web/config');
    if (!response.ok) return;
    const config = await response.json();
    if (!config.oidc) return;
    await new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = '_content/Microsoft.AspNetCore.Components.WebAssembly.Authentication/AuthenticationService.js';
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
    });
}

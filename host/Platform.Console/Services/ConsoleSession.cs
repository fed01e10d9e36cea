using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

namespace Platform.Console.Services;

/// <summary>
/// Who is signed in to this browser tab: the API key (kept encrypted in the tab's session storage, never in a URL or a
/// log), the merchant being worked on, and whether the key is the admin key.
/// </summary>
public sealed class ConsoleSession(ProtectedSessionStorage storage)
{
    private const string StorageKey = "platform.console.session";
    private bool _loaded;

    public string? ApiKey { get; private set; }
    public string? Merchant { get; private set; }
    public bool IsAdmin { get; private set; }
    public bool SignedIn => ApiKey is not null && Merchant is not null;

    public event Action? Changed;

    /// <summary>Reads the session kept by the browser tab (after the first render: storage needs the browser).</summary>
    public async Task LoadAsync()
    {
        if (_loaded) return;
        try
        {
            var stored = await storage.GetAsync<Stored>(StorageKey);
            if (stored.Success && stored.Value is { } s) (ApiKey, Merchant, IsAdmin) = (s.ApiKey, s.Merchant, s.IsAdmin);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Written with a key ring that is gone: sign in again.
            await storage.DeleteAsync(StorageKey);
        }
        _loaded = true;
        Changed?.Invoke();
    }

    public bool Loaded => _loaded;

    public async Task SignInAsync(string apiKey, string? merchant, bool isAdmin)
    {
        (ApiKey, Merchant, IsAdmin) = (apiKey, merchant, isAdmin);
        _loaded = true;
        await storage.SetAsync(StorageKey, new Stored(apiKey, merchant, isAdmin));
        Changed?.Invoke();
    }

    public async Task SelectMerchantAsync(string merchant)
    {
        Merchant = merchant;
        await storage.SetAsync(StorageKey, new Stored(ApiKey!, merchant, IsAdmin));
        Changed?.Invoke();
    }

    public async Task SignOutAsync()
    {
        (ApiKey, Merchant, IsAdmin) = (null, null, false);
        await storage.DeleteAsync(StorageKey);
        Changed?.Invoke();
    }

    private sealed record Stored(string ApiKey, string? Merchant, bool IsAdmin);
}

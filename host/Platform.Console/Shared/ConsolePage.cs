using Microsoft.AspNetCore.Components;
using Platform.Console.Services;

namespace Platform.Console.Shared;

/// <summary>
/// A console page: signed-in only (others are sent to the sign-in page), with the API at hand. Pages load their data in
/// <see cref="LoadAsync"/> and show <see cref="Error"/> in words when the API refuses.
/// </summary>
public abstract class ConsolePage : ComponentBase, IDisposable
{
    [Inject] protected ConsoleSession Session { get; set; } = null!;
    [Inject] protected ConsoleApi Api { get; set; } = null!;
    [Inject] protected NavigationManager Nav { get; set; } = null!;

    /// <summary>True until the first load finished.</summary>
    protected bool Loading { get; private set; } = true;

    /// <summary>What went wrong loading, in the API's words; null when nothing did.</summary>
    protected string? Error { get; set; }

    protected override async Task OnInitializedAsync()
    {
        await Session.LoadAsync();
        if (!Session.SignedIn)
        {
            Nav.NavigateTo("/signin");
            return;
        }
        Session.Changed += OnSessionChanged;
        await ReloadAsync();
    }

    protected async Task ReloadAsync()
    {
        try
        {
            Error = null;
            await LoadAsync();
        }
        finally
        {
            Loading = false;
        }
    }

    /// <summary>Loads the page's data from the API.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Reads a result the page needs; on failure keeps the API's message in <see cref="Error"/> and returns null.</summary>
    protected System.Text.Json.JsonElement? Need(ApiResult result)
    {
        if (result.Ok) return result.Body;
        Error = result.Message;
        return null;
    }

    private void OnSessionChanged() => _ = InvokeAsync(async () =>
    {
        if (!Session.SignedIn) { Nav.NavigateTo("/signin"); return; }
        await ReloadAsync();
        StateHasChanged();
    });

    public void Dispose()
    {
        Session.Changed -= OnSessionChanged;
        GC.SuppressFinalize(this);
    }
}

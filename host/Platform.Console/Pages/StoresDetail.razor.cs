using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Platform.Console.Services;
using Platform.Console.Shared;

namespace Platform.Console.Pages;

/// <summary>
/// A store: for a new one the plugin first, then a form generated from the plugin's settings schema; for an existing
/// one also test connection, sync now (the run list refreshes until the runs finish), run history, cursors and delete.
/// </summary>
public partial class StoresDetail
{
    [Parameter] public string? Id { get; set; }

    /// <summary>Preselects the plugin of a new store (<c>/stores/new?plugin=sandbox</c>).</summary>
    [SupplyParameterFromQuery(Name = "plugin")] public string? PluginQuery { get; set; }

    private bool IsNew => Id is null;

    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private static readonly string[] BusinessHourFields = ["timeZone", "open", "close", "days", "closed"];
    private static readonly string[] FormKeys = ["store", "plugin", "displayName", "since", "enabled"];

    private sealed record StartedRun(long Id, string Stream, bool AlreadyRunning);
    private sealed record CursorLine(string Stream, DateTimeOffset? Since, string? Position, DateTimeOffset? UpdatedAt);

    private string? _loadedFor;
    private List<JsonElement> _plugins = [];
    private JsonElement? _store;
    private JsonElement? _pluginManifest;

    // The form.
    private string? _plugin;
    private string _newId = "";
    private string? _displayName;
    private string? _since;
    private DateTimeOffset? _storedSince;
    private bool _enabled = true;
    private List<SchemaField> _fields = [];
    private List<string> _streams = [];
    private Dictionary<string, string?> _schedules = new(StringComparer.Ordinal);
    private bool _hadHours, _hoursOn;
    private string? _timeZone, _open, _close, _closedDays;
    private HashSet<string> _days = [];
    private Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);
    private List<string> _formErrors = [];
    private bool _saving;

    // The store's actions, runs and cursors.
    private bool _checking, _syncing;
    private (bool Ok, string Message)? _check;
    private List<StartedRun> _started = [];
    private string? _actionError;
    private List<JsonElement> _runs = [];
    private int _runsTotal, _runsShown = 20;
    private List<CursorLine> _cursors = [];
    private CancellationTokenSource? _poll;
    private HashSet<long> _awaited = [];

    private string StoreUrl(string path = "") => Api.M($"/stores/{Uri.EscapeDataString(Id ?? _newId)}{path}");

    protected override async Task OnParametersSetAsync()
    {
        // The same page shows /stores/new and /stores/{id}: going from one to the other (after adding a store) loads again.
        if (_loadedFor is not null && _loadedFor != (Id ?? "") && Session.SignedIn)
            await ReloadAsync();
    }

    protected override async Task LoadAsync()
    {
        StopPolling();
        _loadedFor = Id ?? "";
        _store = null;
        _pluginManifest = null;
        _fields = [];
        _streams = [];
        _errors.Clear();
        _formErrors = [];
        _check = null;
        _started = [];
        _actionError = null;
        _runs = [];
        _cursors = [];
        _awaited = [];
        _runsShown = 20;

        var plugins = Api.GetAsync("/api/v1/plugins");
        if (IsNew)
        {
            if (Need(await plugins) is not { } list) return;
            _plugins = list.P("plugins").A().ToList();
            (_plugin, _newId, _displayName, _enabled) = (null, "", null, true);
            _storedSince = null;
            _since = DateTime.UtcNow.Date.AddDays(-90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            SetHours(null);
            if (PluginQuery is { Length: > 0 } q && _plugins.Any(p => p.S("id") == q)) PickPlugin(q);
            return;
        }

        var store = Api.GetAsync(StoreUrl());
        if (Need(await plugins) is not { } all) return;
        _plugins = all.P("plugins").A().ToList();
        if (Need(await store) is not { } view) return;
        ShowStore(view);
        await Task.WhenAll(LoadRunsAsync(), LoadCursorsAsync());
        if (_runs.Any(r => r.S("status") == "running")) StartPolling();
    }

    /// <summary>Fills the form from a store as the API shows it (secrets only as set or not).</summary>
    private void ShowStore(JsonElement view)
    {
        _store = view;
        _plugin = view.S("plugin");
        _pluginManifest = _plugins.FirstOrDefault(p => p.S("id") == _plugin) is { ValueKind: JsonValueKind.Object } m ? m : null;
        _displayName = view.S("displayName");
        _storedSince = view.P("since").T();
        _since = _storedSince?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _enabled = view.P("enabled").B();
        _fields = SchemaField.FromSchema(_pluginManifest.P("settingsSchema"), view.P("settings"));
        _streams = _pluginManifest.P("streams").A().Select(s => s.S()).ToList();
        _schedules = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (view.P("schedules") is { ValueKind: JsonValueKind.Object } schedules)
            foreach (var s in schedules.EnumerateObject()) _schedules[s.Name] = s.Value.GetString();
        SetHours(view.P("businessHours"));
    }

    private void SetHours(JsonElement? hours)
    {
        _hadHours = _hoursOn = hours is { ValueKind: JsonValueKind.Object };
        _timeZone = hours is null ? "UTC" : hours.P("timeZone").S();
        _open = hours.P("open").S() is { Length: > 0 } o ? o : "09:00";
        _close = hours.P("close").S() is { Length: > 0 } c ? c : "18:00";
        _days = hours.P("days") is { ValueKind: JsonValueKind.Array } days
            ? days.EnumerateArray().Select(d => Days.FirstOrDefault(x => string.Equals(x, d.S(), StringComparison.OrdinalIgnoreCase)) ?? d.S()).ToHashSet()
            : Days.Take(5).ToHashSet();
        _closedDays = string.Join(", ", hours.P("closed").A().Select(d => d.S()));
    }

    private void PickPlugin(string id)
    {
        _plugin = id;
        _pluginManifest = _plugins.FirstOrDefault(p => p.S("id") == id) is { ValueKind: JsonValueKind.Object } m ? m : null;
        _fields = SchemaField.FromSchema(_pluginManifest.P("settingsSchema"), null);
        _streams = _pluginManifest.P("streams").A().Select(s => s.S()).ToList();
        _schedules = new Dictionary<string, string?>(StringComparer.Ordinal);
        _errors.Clear();
        _formErrors = [];
    }

    private void SetSchedule(string stream, string? cron)
    {
        _schedules[stream] = cron;
        _errors.Remove($"schedules.{stream}");
    }

    private void SetDay(string day, bool open)
    {
        if (open) _days.Add(day); else _days.Remove(day);
        _errors.Remove("businessHours.days");
    }

    private string? FieldError(string key) => _errors.TryGetValue(key, out var e) ? e : null;

    private string PluginName(string id) => _plugins.FirstOrDefault(p => p.S("id") == id) is { ValueKind: JsonValueKind.Object } p ? p.S("name") : id;

    private string StreamLabel(string stream) => stream switch
    {
        "orders" => L["Orders"],
        "reviews" => L["Reviews"],
        "chats" => L["Chats"],
        _ => stream,
    };

    private async Task SaveAsync()
    {
        _errors.Clear();
        _formErrors = [];
        DateTimeOffset? since = null;
        if (!string.IsNullOrWhiteSpace(_since))
        {
            if (!DateOnly.TryParseExact(_since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                _errors["since"] = L["Enter a date."];
            else if (_storedSince is { } stored && DateOnly.FromDateTime(stored.UtcDateTime) == day)
                since = stored;
            else
                since = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        if (IsNew && string.IsNullOrWhiteSpace(_newId)) _errors["store"] = L["Enter an id."];
        if (_plugin is null) _errors["plugin"] = L["Pick a plugin."];
        if (_errors.Count > 0) return;

        _saving = true;
        try
        {
            var id = (Id ?? _newId).Trim();
            if (IsNew)
            {
                _newId = id;
                // PUT would replace an existing store: a new one must not take an id in use.
                var existing = await Api.GetAsync(StoreUrl());
                if (existing.Ok)
                {
                    _errors["store"] = L["A store with this id exists already."];
                    return;
                }
            }
            var body = new Dictionary<string, object?>
            {
                ["plugin"] = _plugin,
                ["displayName"] = _displayName,
                ["settings"] = SchemaField.ToJson(_fields),
                ["schedules"] = _streams.ToDictionary(s => s, s => _schedules.GetValueOrDefault(s)?.Trim() ?? ""),
                ["since"] = since,
                ["enabled"] = _enabled,
                ["businessHours"] = _hoursOn ? new
                {
                    timeZone = string.IsNullOrWhiteSpace(_timeZone) ? null : _timeZone.Trim(),
                    open = string.IsNullOrWhiteSpace(_open) ? null : _open,
                    close = string.IsNullOrWhiteSpace(_close) ? null : _close,
                    days = Days.Where(_days.Contains).ToList(),
                    closed = (_closedDays ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
                } : null,
            };
            var result = await Api.PutAsync(StoreUrl(), body);
            if (result.Ok)
            {
                Snackbar.Add(IsNew ? L["Store added."] : L["Saved."], Severity.Success);
                if (IsNew) Nav.NavigateTo($"/stores/{Uri.EscapeDataString(id)}");
                else ShowStore(result.Body);
                return;
            }
            ShowProblems(result);
        }
        finally
        {
            _saving = false;
        }
    }

    /// <summary>Each validation message next to its field; the rest (and any other refusal) at the top of the form.</summary>
    private void ShowProblems(ApiResult result)
    {
        var known = new HashSet<string>(SchemaField.Keys(_fields), StringComparer.OrdinalIgnoreCase);
        known.UnionWith(FormKeys);
        known.UnionWith(_streams.Select(s => $"schedules.{s}"));
        if (_hoursOn) known.UnionWith(BusinessHourFields.Select(f => $"businessHours.{f}"));
        if (!IsNew) known.Remove("store");
        var errors = result.Errors;
        foreach (var (key, message) in errors)
        {
            if (known.Contains(key)) _errors[key] = message;
            else _formErrors.Add($"{key}: {message}");
        }
        if (errors.Count == 0) _formErrors.Add(result.Message);
        else if (_formErrors.Count == 0) _formErrors.Add(L["Some settings are not valid: see the messages at the fields."]);
    }

    private async Task CheckAsync()
    {
        _checking = true;
        _check = null;
        _actionError = null;
        try
        {
            var result = await Api.PostAsync(StoreUrl("/check"));
            if (result.Ok) _check = (result.Body.P("ok").B(), result.Body.S("message"));
            else _actionError = result.Message;
        }
        finally
        {
            _checking = false;
        }
    }

    private async Task SyncAsync()
    {
        _syncing = true;
        _actionError = null;
        try
        {
            var result = await Api.PostAsync(StoreUrl("/sync"));
            if (!result.Ok)
            {
                _actionError = result.Message;
                return;
            }
            _started = result.Body.P("runs").A()
                .Select(r => new StartedRun(r.P("id") is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : 0, r.S("stream"), r.P("alreadyRunning").B()))
                .ToList();
            _awaited = _started.Select(r => r.Id).ToHashSet();
            await LoadRunsAsync();
            StartPolling();
        }
        finally
        {
            _syncing = false;
        }
    }

    private async Task LoadRunsAsync(CancellationToken ct = default)
    {
        var result = await Api.GetAsync(StoreUrl($"/runs?pageSize={_runsShown}"), ct);
        if (!result.Ok)
        {
            _actionError = result.Message;
            return;
        }
        _runs = result.Body.P("items").A().ToList();
        _runsTotal = result.Body.P("total").I();
    }

    private async Task MoreRunsAsync()
    {
        _runsShown = Math.Min(_runsShown + 20, 500);
        await LoadRunsAsync();
    }

    private async Task LoadCursorsAsync()
    {
        var result = await Api.GetAsync(StoreUrl("/cursors"));
        if (!result.Ok)
        {
            _actionError = result.Message;
            return;
        }
        var rows = result.Body.P("items").A().ToDictionary(c => c.S("stream"), StringComparer.Ordinal);
        // Every stream of the plugin has a line, so one can be reset before its first sync too.
        _cursors = _streams.Union(rows.Keys, StringComparer.Ordinal)
            .Select(s => rows.TryGetValue(s, out var c)
                ? new CursorLine(s, c.P("since").T(), c.P("cursor").S() is { Length: > 0 } p ? p : null, c.P("updatedAt").T())
                : new CursorLine(s, _storedSince, null, null))
            .ToList();
    }

    private bool StillRunning =>
        _runs.Any(r => r.S("status") == "running") ||
        _awaited.Any(id => !_runs.Any(r => r.P("id") is { ValueKind: JsonValueKind.Number } n && n.GetInt64() == id));

    private void StartPolling()
    {
        if (_poll is not null) return;
        var cts = _poll = new CancellationTokenSource();
        _ = InvokeAsync(() => PollAsync(cts));
    }

    /// <summary>Reads the run list every 1.5 s while a run is running (a timer, never a blocked thread).</summary>
    private async Task PollAsync(CancellationTokenSource cts)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.5));
            while (await timer.WaitForNextTickAsync(cts.Token))
            {
                await LoadRunsAsync(cts.Token);
                if (!StillRunning) break;
                StateHasChanged();
            }
            _awaited.Clear();
            await LoadCursorsAsync();
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (_poll == cts)
        {
            _poll = null;
            cts.Dispose();
        }
        StateHasChanged();
    }

    private void StopPolling()
    {
        if (_poll is not { } cts) return;
        _poll = null;
        cts.Cancel();
        cts.Dispose();
    }

    private async Task ResetCursorAsync(CursorLine cursor)
    {
        var date = (cursor.Since ?? _storedSince ?? DateTimeOffset.UtcNow.AddDays(-90)).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var parameters = new DialogParameters<StoreCursorDialog>
        {
            { d => d.StreamLabel, StreamLabel(cursor.Stream) },
            { d => d.Date, date },
        };
        var dialog = await Dialogs.ShowAsync<StoreCursorDialog>(L["Reset the {0} cursor?", StreamLabel(cursor.Stream)], parameters,
            new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: DateOnly day }) return;
        var since = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var result = await Api.PutAsync(StoreUrl($"/cursors/{Uri.EscapeDataString(cursor.Stream)}"), new { since });
        if (!result.Ok)
        {
            _actionError = result.Message;
            return;
        }
        Snackbar.Add(L["The {0} cursor now reads from {1}.", StreamLabel(cursor.Stream), day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)], Severity.Success);
        await LoadCursorsAsync();
    }

    private async Task DeleteAsync()
    {
        var name = _store.P("displayName").S();
        var yes = await Dialogs.ShowMessageBoxAsync(L["Delete store?"],
            L["“{0}” and its cursors are deleted and it is not synced any more. Customers and orders already read stay.", name],
            yesText: L["Delete"], cancelText: L["Cancel"]);
        if (yes != true) return;
        var result = await Api.DeleteAsync(StoreUrl());
        if (!result.Ok)
        {
            _actionError = result.Message;
            return;
        }
        Snackbar.Add(L["Store “{0}” deleted.", name], Severity.Success);
        Nav.NavigateTo("/stores");
    }

    void IDisposable.Dispose()
    {
        StopPolling();
        Dispose();
    }
}

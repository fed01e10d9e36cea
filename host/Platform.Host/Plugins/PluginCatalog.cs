using System.Reflection;
using System.Text.Json;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Options;
using NJsonSchema;
using Platform.Abstractions;
using Platform.Host.Infrastructure;

namespace Platform.Host.Plugins;

/// <summary>A plugin that loaded, with its settings schema parsed.</summary>
public sealed record LoadedPlugin(PluginManifest Manifest, IConnectorPlugin Plugin, JsonSchema Schema, IReadOnlySet<string> SecretSettings, string Path)
{
    public bool Supports(StreamName stream) => Manifest.Streams.Contains(stream.ToWire());
}

/// <summary>A plugin folder that did not load, and why in words.</summary>
public sealed record PluginFailure(string Path, string Error);

/// <summary>Loads every plugin folder once at start-up; a broken one is reported, never fatal.</summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, LoadedPlugin> _plugins = new(StringComparer.Ordinal);
    private readonly List<PluginFailure> _failures = [];

    public PluginCatalog(IOptions<PlatformOptions> options, ILogger<PluginCatalog> logger)
    {
        Directory = options.Value.ResolvePluginsDirectory();
        if (!System.IO.Directory.Exists(Directory))
        {
            logger.LogWarning("Plugins directory {Directory} does not exist: no connector is loaded. Set Platform:PluginsDirectory.", Directory);
            return;
        }
        foreach (var folder in System.IO.Directory.GetDirectories(Directory).Order(StringComparer.Ordinal))
        {
            try
            {
                var loaded = PluginFolderLoader.Load(folder);
                if (_plugins.TryGetValue(loaded.Manifest.Id, out var first))
                    throw new PluginLoadException($"plugin id '{loaded.Manifest.Id}' is already loaded from {first.Path}: give each plugin its own id");
                _plugins[loaded.Manifest.Id] = loaded;
                logger.LogInformation("Loaded plugin {Id} {Version} from {Path}", loaded.Manifest.Id, loaded.Manifest.Version, folder);
            }
            catch (PluginLoadException e)
            {
                _failures.Add(new PluginFailure(folder, e.Message));
                logger.LogError("Plugin folder {Path} was not loaded: {Reason}", folder, e.Message);
            }
        }
    }

    public string Directory { get; }
    public IReadOnlyCollection<LoadedPlugin> Plugins => _plugins.Values;
    public IReadOnlyList<PluginFailure> Failures => _failures;
    public LoadedPlugin? Find(string id) => _plugins.GetValueOrDefault(id);
}

public sealed class PluginLoadException(string message) : Exception(message);

/// <summary>Reads, checks and loads one plugin folder.</summary>
public static class PluginFolderLoader
{
    /// <summary>Types the host and plugins share, so a plugin's IConnectorPlugin is the host's.</summary>
    private static readonly Type[] SharedTypes =
    [
        typeof(IConnectorPlugin), typeof(ILogger), typeof(ILoggerFactory), typeof(HttpClient), typeof(TimeProvider),
    ];

    public static LoadedPlugin Load(string folder)
    {
        folder = Path.GetFullPath(folder);
        var manifest = ReadManifest(folder);
        var schema = ParseSchema(manifest);
        var assemblyPath = Path.Combine(folder, manifest.Assembly);
        if (!File.Exists(assemblyPath))
            throw new PluginLoadException($"plugin.json names assembly '{manifest.Assembly}', which is not in the folder: copy the plugin's build output here");

        Assembly assembly;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, c => c.PreferSharedTypes = true);
            assembly = loader.LoadDefaultAssembly();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new PluginLoadException($"assembly '{manifest.Assembly}' could not be loaded ({e.GetType().Name}: {e.Message}): rebuild the plugin for net10.0");
        }

        Type[] types;
        try { types = assembly.GetExportedTypes(); }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new PluginLoadException($"assembly '{manifest.Assembly}' references something that is missing ({FirstLine(e)}): ship the plugin's dependencies in its folder");
        }
        var entry = types.Where(t => typeof(IConnectorPlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }).ToList();
        if (entry.Count != 1)
            throw new PluginLoadException(entry.Count == 0
                ? $"assembly '{manifest.Assembly}' has no public class implementing IConnectorPlugin (contract {ContractVersion.Current})"
                : $"assembly '{manifest.Assembly}' has {entry.Count} classes implementing IConnectorPlugin: keep exactly one");

        IConnectorPlugin plugin;
        try
        {
            plugin = (IConnectorPlugin)(Activator.CreateInstance(entry[0])
                ?? throw new PluginLoadException($"{entry[0].FullName} could not be created"));
        }
        catch (TargetInvocationException e)
        {
            throw new PluginLoadException($"the constructor of {entry[0].FullName} threw {e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
        }
        catch (MissingMethodException)
        {
            throw new PluginLoadException($"{entry[0].FullName} needs a public parameterless constructor");
        }

        if (plugin.Manifest.Id != manifest.Id)
            throw new PluginLoadException($"plugin.json says id '{manifest.Id}' but {entry[0].FullName} says '{plugin.Manifest.Id}': make them agree");

        return new LoadedPlugin(manifest, plugin, schema, SecretsOf(manifest.Settings), folder);
    }

    public static PluginManifest ReadManifest(string folder)
    {
        var path = Path.Combine(folder, "plugin.json");
        if (!File.Exists(path))
            throw new PluginLoadException("no plugin.json in the folder: every plugin folder needs its manifest next to the assembly");
        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new PluginLoadException($"plugin.json is not a valid manifest ({e.Message}): it needs id, name, version, contract, assembly, streams and settings");
        }
        if (manifest is null) throw new PluginLoadException("plugin.json is empty");
        ValidateManifest(manifest);
        return manifest;
    }

    public static void ValidateManifest(PluginManifest m)
    {
        if (m.Contract != ContractVersion.Current)
            throw new PluginLoadException($"plugin '{m.Id}' was built for contract {m.Contract}, this host speaks contract {ContractVersion.Current}: rebuild it against Platform.Abstractions {ContractVersion.Current}.x");
        if (string.IsNullOrWhiteSpace(m.Id) || !m.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            throw new PluginLoadException($"plugin.json id '{m.Id}' must be lower-case letters, digits, '-' or '_'");
        if (string.IsNullOrWhiteSpace(m.Assembly) || m.Assembly.Contains('/') || m.Assembly.Contains('\\'))
            throw new PluginLoadException("plugin.json 'assembly' must be the file name of the plugin assembly in the same folder");
        if (m.Streams.Count == 0)
            throw new PluginLoadException("plugin.json 'streams' is empty: list at least one of orders, reviews, chats");
        foreach (var s in m.Streams)
            if (!StreamNames.TryParse(s, out _))
                throw new PluginLoadException($"plugin.json lists unknown stream '{s}': use orders, reviews or chats");
        if (m.Settings.ValueKind != JsonValueKind.Object)
            throw new PluginLoadException("plugin.json 'settings' must be a JSON Schema object");
    }

    private static JsonSchema ParseSchema(PluginManifest m)
    {
        try
        {
            return JsonSchema.FromJsonAsync(m.Settings.GetRawText()).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or Newtonsoft.Json.JsonException)
        {
            throw new PluginLoadException($"plugin.json 'settings' is not a usable JSON Schema: {e.Message}");
        }
    }

    private static HashSet<string> SecretsOf(JsonElement schema)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            foreach (var p in props.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("x-secret", out var s) && s.ValueKind == JsonValueKind.True)
                    secrets.Add(p.Name);
        return secrets;
    }

    private static string FirstLine(Exception e) => e is ReflectionTypeLoadException r && r.LoaderExceptions.FirstOrDefault() is { } first
        ? first.Message
        : e.Message;
}

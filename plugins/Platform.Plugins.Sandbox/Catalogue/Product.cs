namespace Platform.Plugins.Sandbox.Catalogue;

/// <summary>A product of the sandbox catalogue; <see cref="BasePrice"/> is in US dollars.</summary>
internal sealed record Product(string Sku, string Title, decimal BasePrice);

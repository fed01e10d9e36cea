using System.Globalization;

namespace Platform.Plugins.MercadoLibre.Reading;

/// <summary>Times as Mercado Libre's filters take them (milliseconds, as in the documentation's examples).</summary>
internal static class Time
{
    /// <summary>Mercado Libre's time resolution: the next range starts one tick after the previous one ended.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    /// <summary>e.g. <c>2026-05-02T14:00:00.000-00:00</c> (the form of the orders search examples).</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'-00:00'", CultureInfo.InvariantCulture);

    /// <summary>Truncated to whole milliseconds.</summary>
    public static DateTimeOffset Ms(DateTimeOffset value) =>
        new DateTimeOffset(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}

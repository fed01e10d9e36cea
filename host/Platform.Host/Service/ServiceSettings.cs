using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Crm.Service;
using Platform.Host.Infrastructure;

namespace Platform.Host.Service;

/// <summary>The service rules as configured, built once: complaint words, targets, the default opening hours.</summary>
public sealed class ServiceSettings
{
    public ServiceSettings(IOptions<PlatformOptions> options)
    {
        var o = options.Value.Service;
        Complaints = new ComplaintWords(o.ComplaintWords is { Count: > 0 } words ? words : ComplaintWords.DefaultTerms);
        Targets = o.ToTargets();
        NegativeTextThreshold = o.NegativeTextThreshold;
        ReplyWindow = TimeSpan.FromDays(o.ReplyWindowDays is > 0 and <= 365 ? o.ReplyWindowDays : 7);
        DefaultCalendar = o.BusinessHours.ToCalendar().Calendar ?? BusinessCalendar.AlwaysOpen;
    }

    public ComplaintWords Complaints { get; }
    public ResponseTargets Targets { get; }
    public double NegativeTextThreshold { get; }
    public TimeSpan ReplyWindow { get; }
    public BusinessCalendar DefaultCalendar { get; }

    /// <summary>A store's calendar from its saved hours (validated when saved), else the default.</summary>
    public BusinessCalendar CalendarOf(string? businessHoursJson)
    {
        if (string.IsNullOrWhiteSpace(businessHoursJson)) return DefaultCalendar;
        var settings = JsonSerializer.Deserialize<BusinessHoursSettings>(businessHoursJson, Json);
        return settings?.ToCalendar().Calendar ?? DefaultCalendar;
    }

    public static string Serialize(BusinessHoursSettings settings) => JsonSerializer.Serialize(settings, Json);

    public static BusinessHoursSettings? Deserialize(string? json) =>
        string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<BusinessHoursSettings>(json, Json);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The facts the case rules need of a message or review text: its sentiment and complaint words.</summary>
    public (double Sentiment, IReadOnlyList<string> Complaints) Read(string? text) => (Sentiment.OfText(text).Score, Complaints.Find(text));
}

namespace Platform.Abstractions;

/// <summary>The outcome of <see cref="IConnector.CheckAsync"/>.</summary>
/// <param name="Ok">Whether the store can be read with its settings.</param>
/// <param name="Message">Plain language for the merchant: what works, or which setting to fix.</param>
public sealed record CheckResult(bool Ok, string Message)
{
    /// <summary>A successful check.</summary>
    public static CheckResult Success(string message) => new(true, message);

    /// <summary>A failed check.</summary>
    public static CheckResult Failure(string message) => new(false, message);
}

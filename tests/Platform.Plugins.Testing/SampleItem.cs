namespace Platform.Plugins.Testing;

/// <summary>
/// One item the fake marketplace holds for the stream under test: an order, a review or a chat message. The kit
/// decides which items exist and when they changed; the fake turns each into the marketplace's own payload
/// (ids, buyer, money, …) deterministically from <see cref="Number"/>.
/// </summary>
/// <param name="Number">A stable number, unique within a test (1, 2, …).</param>
/// <param name="CreatedAt">When it was created (UTC, whole seconds).</param>
/// <param name="UpdatedAt">When it last changed (UTC, whole seconds); the record's <c>ChangedAt</c> must equal it.</param>
public sealed record SampleItem(int Number, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

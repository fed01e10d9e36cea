namespace Platform.Host.Storage;

// Persistence shapes. Times are stored as Unix milliseconds and money as 1/10,000 units (see
// PlatformDbContext), so both SQLite and PostgreSQL sort and sum them exactly.

public sealed class MerchantRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Currency { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ApiKeyRow
{
    public required string Hash { get; set; }
    public required string MerchantId { get; set; }
    public required string Prefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The key's public id (<c>key_…</c>): how the API names it for listing, revoking and rotating.</summary>
    public string Id { get; set; } = "";
    public string? Label { get; set; }
    /// <summary>From this time on the key answers 401 (in the future: a rotated key in its grace period).</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class StoreRow
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string Plugin { get; set; }
    public required string DisplayName { get; set; }
    /// <summary>Settings JSON; secret values are Data Protection ciphertexts.</summary>
    public required string SettingsJson { get; set; }
    public required string SchedulesJson { get; set; }
    public DateTimeOffset Since { get; set; }
    public bool Enabled { get; set; }
    /// <summary>The store's opening hours for response targets (JSON of <c>BusinessHoursSettings</c>); null: the configured default.</summary>
    public string? BusinessHoursJson { get; set; }
    /// <summary>The service model the store's stored reviews and messages are at (<c>ServiceBackfill.Current</c> once scored and given their cases).</summary>
    public int ServiceVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class CursorRow
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string Stream { get; set; }
    public string? CursorJson { get; set; }
    /// <summary>Where the next read starts when there is no cursor (a reset or the store's since date).</summary>
    public DateTimeOffset? Since { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class RunRow
{
    public long Id { get; set; }
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string Stream { get; set; }
    public required string Status { get; set; }
    public required string Trigger { get; set; }
    public DateTimeOffset? ScheduledFor { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int Pages { get; set; }
    public int Read { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Skipped { get; set; }
    public string? Error { get; set; }
    /// <summary>The first problems connectors reported with the run's pages (JSON array of strings).</summary>
    public string? Warnings { get; set; }
    /// <summary>The host (silo address) that ran it: in a cluster, a run left "running" by a host that is gone is resumed elsewhere.</summary>
    public string? Host { get; set; }
}

/// <summary>A cluster-wide job's fire time taken by one host (<see cref="Platform.Host.Scheduling.ClusterOnce"/>).</summary>
public sealed class JobClaimRow
{
    public required string Job { get; set; }
    public DateTimeOffset FireTime { get; set; }
    public required string Host { get; set; }
    public DateTimeOffset ClaimedAt { get; set; }
}

public sealed class RawRecordRow
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string Stream { get; set; }
    public required string ExternalId { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public long Hash { get; set; }
    public required string Json { get; set; }
    /// <summary>1 when first stored, incremented by every replacing version.</summary>
    public long Version { get; set; } = 1;
}

/// <summary>An order, review or message: a record of one store, by one buyer account.</summary>
public interface IBuyerRecord
{
    string MerchantId { get; }
    string StoreId { get; }
    string ExternalId { get; }
    string? BuyerId { get; }
}

public sealed class OrderRow : IBuyerRecord
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string ExternalId { get; set; }
    public required string BuyerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string Status { get; set; }
    public required string Currency { get; set; }
    public decimal Total { get; set; }
    public string? ShippingCity { get; set; }
    public string? ShippingCountry { get; set; }
}

public sealed class OrderLineRow
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string OrderExternalId { get; set; }
    public int LineNo { get; set; }
    public required string Sku { get; set; }
    public required string Title { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}

public sealed class ReviewRow : IBuyerRecord
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string ExternalId { get; set; }
    public string? BuyerId { get; set; }
    public string? OrderExternalId { get; set; }
    public string? Sku { get; set; }
    public int Rating { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? SellerReply { get; set; }
    /// <summary>When the seller's reply was first seen (the connector's reply time when it has one).</summary>
    public DateTimeOffset? RepliedAt { get; set; }
    /// <summary>The review's sentiment in [-1, 1]: the text's, with the rating winning when they disagree.</summary>
    public double Sentiment { get; set; }
}

public sealed class MessageRow : IBuyerRecord
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string ExternalId { get; set; }
    public required string ConversationId { get; set; }
    public required string BuyerId { get; set; }
    public required string Direction { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public string? OrderExternalId { get; set; }
    /// <summary>The text's sentiment in [-1, 1] (0 when nothing in it carries any).</summary>
    public double Sentiment { get; set; }
}

/// <summary>A marketplace buyer account as one store sees it, linked to its unified customer.</summary>
public sealed class BuyerRow
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string BuyerId { get; set; }
    public required string Marketplace { get; set; }
    public string? Name { get; set; }
    public string? EmailRaw { get; set; }
    public string? PhoneRaw { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? PostalCode { get; set; }
    /// <summary>The name folded for matching (lower case, no accents), for possible duplicates.</summary>
    public string? NameKey { get; set; }
    /// <summary>Set when the merchant split this account off a customer: it links only within this group.</summary>
    public string? SplitGroup { get; set; }
    public string? CustomerId { get; set; }
    /// <summary>When the host first stored this account.</summary>
    public DateTimeOffset FirstSeenAt { get; set; }
    /// <summary>When the account's details (name, contacts, address) last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A merchant's latest fitted value model (BG/NBD and Gamma-Gamma) with its report, as JSON.</summary>
public sealed class ValueModelRow
{
    public required string MerchantId { get; set; }
    public DateTimeOffset FittedAt { get; set; }
    public required string Json { get; set; }
}

/// <summary>
/// A customer's scores from the last scoring (full or after a sync): RFM, the six value dimensions, composite,
/// flags, member tier and its state. <see cref="InputsJson"/> holds each dimension's inputs for the profile.
/// </summary>
public sealed class CustomerScoreRow
{
    public required string MerchantId { get; set; }
    public required string CustomerId { get; set; }
    public int? R { get; set; }
    public int? F { get; set; }
    public int? M { get; set; }
    public string? Segment { get; set; }
    public double Current { get; set; }
    public double Future { get; set; }
    public double Credit { get; set; }
    public required string CreditGrade { get; set; }
    public double Loyalty { get; set; }
    public double Growth { get; set; }
    public double EValue { get; set; }
    public double Score { get; set; }
    public bool KeyAccount { get; set; }
    public bool Growing { get; set; }
    public decimal Clv { get; set; }
    public double? PAlive { get; set; }
    public decimal Spend12Months { get; set; }
    public required string Tier { get; set; }
    public DateTimeOffset TierSince { get; set; }
    public DateTimeOffset? TierBelowSince { get; set; }
    public required string InputsJson { get; set; }
    public DateTimeOffset ScoredAt { get; set; }
}

/// <summary>One points ledger entry; <see cref="Source"/> (unique per merchant) names the event it comes from.</summary>
public sealed class PointsEntryRow
{
    public long Id { get; set; }
    public required string MerchantId { get; set; }
    public required string CustomerId { get; set; }
    public required string Source { get; set; }
    public required string Kind { get; set; }
    public long Points { get; set; }
    public DateTimeOffset At { get; set; }
    public string? Lot { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>The populations a merchant's customers were ranked within at the last full scoring (JSON).</summary>
public sealed class ValueDistributionRow
{
    public required string MerchantId { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
    public required string Json { get; set; }
}

public sealed class CustomerRow
{
    public required string MerchantId { get; set; }
    public required string Id { get; set; }
    public long Sequence { get; set; }
    public string? MergedInto { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public int Orders { get; set; }
    public decimal Revenue { get; set; }
    public int UnconvertedOrders { get; set; }
    public DateTimeOffset? FirstOrderAt { get; set; }
    public DateTimeOffset? LastOrderAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Identifier key (buyer:…, email:…, phone:…) → customer: the identity graph's index.</summary>
public sealed class CustomerKeyRow
{
    public required string MerchantId { get; set; }
    public required string Key { get; set; }
    public required string CustomerId { get; set; }
}

/// <summary>A customer-level event in a customer's history (merges; later tiers, points…).</summary>
public sealed class CustomerEventRow
{
    public long Id { get; set; }
    public required string MerchantId { get; set; }
    public required string CustomerId { get; set; }
    public required string Kind { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>"This buyer account changed": written with the page, consumed by identity resolution.</summary>
public sealed class OutboxRow
{
    public long Id { get; set; }
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string BuyerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A connector's saved credential (refreshed OAuth tokens), encrypted.</summary>
public sealed class TokenRow
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string Name { get; set; }
    public required string Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// What remains of an erased person: hashes of their identifiers, so a later sync of their old records is skipped
/// instead of recreating them. The hashes cannot be turned back into the identifiers.
/// </summary>
public sealed class TombstoneRow
{
    public required string MerchantId { get; set; }
    public required string Hash { get; set; }
    public required string CustomerId { get; set; }
    public DateTimeOffset ErasedAt { get; set; }
}

/// <summary>
/// A service case: something a buyer is waiting on (an unanswered chat, a negative review, a complaint). One per triggering
/// item (<see cref="Key"/>: <c>chat:&lt;store&gt;:&lt;message&gt;</c> or <c>review:&lt;store&gt;:&lt;review&gt;</c>), so re-syncs never
/// open it twice. The customer is the buyer account's, found when read, so cases follow merges.
/// </summary>
public sealed class CaseRow
{
    public long Id { get; set; }
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public string? BuyerId { get; set; }
    public required string Key { get; set; }
    /// <summary><c>chat</c> or <c>review</c>.</summary>
    public required string Channel { get; set; }
    public string? ConversationId { get; set; }
    public string? OrderExternalId { get; set; }
    public string? ReviewExternalId { get; set; }
    /// <summary>The message that opened a chat case.</summary>
    public string? MessageExternalId { get; set; }
    /// <summary>open, waiting or resolved.</summary>
    public required string Status { get; set; }
    /// <summary>Comma-separated triggers: negative_rating, negative_text, complaint, unanswered.</summary>
    public required string Triggers { get; set; }
    /// <summary>Complaint words found, separated by '|'.</summary>
    public string? ComplaintTerms { get; set; }
    /// <summary>The opening item's text, shortened, for lists.</summary>
    public required string Summary { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    /// <summary>The first-response target (end of the business day), null when the target is off.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>No first response by then is a breach.</summary>
    public DateTimeOffset BreachAt { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    /// <summary>The seller's last answer while the case waits on the buyer (the reply window runs from it).</summary>
    public DateTimeOffset? AnsweredAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public bool ResolvedByHand { get; set; }
    public string? Assignee { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A case's history: opened, replied, reopened, resolved, assigned, notes.</summary>
public sealed class CaseEventRow
{
    public long Id { get; set; }
    public required string MerchantId { get; set; }
    public long CaseId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Kind { get; set; }
    public required string Text { get; set; }
    /// <summary>Who did it by hand (the API key's merchant or an assignee name); null for the rules.</summary>
    public string? By { get; set; }
}

/// <summary>A marketplace conversation, summarised as its messages arrive.</summary>
public sealed class ConversationRow
{
    public required string MerchantId { get; set; }
    public required string StoreId { get; set; }
    public required string ConversationId { get; set; }
    public required string BuyerId { get; set; }
    public string? OrderExternalId { get; set; }
    public int Messages { get; set; }
    public DateTimeOffset FirstAt { get; set; }
    public DateTimeOffset LastAt { get; set; }
    public DateTimeOffset? LastInboundAt { get; set; }
    public DateTimeOffset? LastOutboundAt { get; set; }
}

using Microsoft.EntityFrameworkCore;
using Platform.Abstractions;
using Platform.Crm.Service;
using Platform.Host.Storage;
using Platform.Host.Stores;

namespace Platform.Host.Service;

/// <summary>
/// Brings stores synced by an earlier version up to the service model at start: sentiment on their stored reviews and
/// messages, reply times, conversations and cases, by replaying what is stored through the same rules as a sync, in the
/// order it happened. One transaction per store; a store is marked done (<c>service_version</c>) with it, so a restart
/// halfway repeats nothing. New stores start marked.
/// </summary>
public sealed class ServiceBackfill(IDbContextFactory<PlatformDbContext> factory, WriteGate gate, ServiceSettings settings, ILogger<ServiceBackfill> logger)
{
    /// <summary>The service model's version a store is at once backfilled.</summary>
    public const int Current = 1;

    private const int Chunk = 5_000;

    public async Task RunAsync(CancellationToken ct)
    {
        List<StoreRow> stores;
        await using (var db = await factory.CreateDbContextAsync(ct))
            stores = await db.Stores.Where(s => s.ServiceVersion < Current).ToListAsync(ct);
        foreach (var store in stores)
        {
            try
            {
                var (messages, reviews) = await BackfillAsync(store, ct);
                if (messages + reviews > 0)
                    logger.LogInformation("Store {Merchant}/{Store}: {Messages} message(s) and {Reviews} review(s) from an earlier version scored and given their cases",
                        store.MerchantId, store.StoreId, messages, reviews);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError(e, "Store {Merchant}/{Store}: bringing its reviews and messages up to the service model failed; it is tried again at the next start",
                    store.MerchantId, store.StoreId);
            }
        }
    }

    private async Task<(int Messages, int Reviews)> BackfillAsync(StoreRow store, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var conn = db.Database.GetDbConnection();
        using var writing = await gate.EnterAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var target = new IngestTarget(store.MerchantId, store.StoreId, store.Plugin, null);
        var writer = new CaseWriter(conn, tx, target, settings, settings.CalendarOf(store.BusinessHoursJson));
        (string, object?)[] key = [("@m", store.MerchantId), ("@s", store.StoreId)];

        var messages = 0;
        await using (var update = Sql.Prepare(conn, tx, "UPDATE messages SET sentiment = @v WHERE merchant_id = @m AND store_id = @s AND external_id = @id", "@v", "@m", "@s", "@id"))
        {
            long afterAt = long.MinValue;
            var afterId = "";
            while (true)
            {
                var chunk = new List<MessageInput>();
                await Sql.EachAsync(conn, tx, """
                    SELECT external_id, conversation_id, buyer_id, direction, text, sent_at, order_external_id FROM messages
                    WHERE merchant_id = @m AND store_id = @s AND (sent_at > @at OR (sent_at = @at AND external_id > @id))
                    ORDER BY sent_at, external_id LIMIT @n
                    """, [.. key, ("@at", afterAt), ("@id", afterId), ("@n", Chunk)], r =>
                    {
                        var m = new ChatMessage
                        {
                            ExternalId = r.GetString(0), ConversationId = r.GetString(1), Buyer = new BuyerIdentity { BuyerId = r.GetString(2) },
                            Direction = r.GetString(3) == "inbound" ? MessageDirection.Inbound : MessageDirection.Outbound, Text = r.GetString(4),
                            SentAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), OrderExternalId = r.IsDBNull(6) ? null : r.GetString(6), RawJson = "",
                        };
                        var (score, complaints) = settings.Read(m.Text);
                        chunk.Add(new MessageInput(m, score, complaints));
                    }, ct);
                if (chunk.Count == 0) break;
                foreach (var input in chunk) Sql.Run(update, ("@v", input.Sentiment), ("@m", store.MerchantId), ("@s", store.StoreId), ("@id", input.Message.ExternalId));
                writer.Apply(chunk, []);
                messages += chunk.Count;
                (afterAt, afterId) = (chunk[^1].Message.SentAt.ToUnixTimeMilliseconds(), chunk[^1].Message.ExternalId);
            }
        }

        var reviews = 0;
        await using (var update = Sql.Prepare(conn, tx, """
            UPDATE reviews SET sentiment = @v, replied_at = CASE WHEN seller_reply IS NULL THEN NULL ELSE COALESCE(replied_at, updated_at) END
            WHERE merchant_id = @m AND store_id = @s AND external_id = @id RETURNING replied_at
            """, "@v", "@m", "@s", "@id"))
        {
            long afterAt = long.MinValue;
            var afterId = "";
            while (true)
            {
                var rows = new List<ReviewRecord>();
                await Sql.EachAsync(conn, tx, """
                    SELECT external_id, buyer_id, order_external_id, sku, rating, text, created_at, updated_at, seller_reply FROM reviews
                    WHERE merchant_id = @m AND store_id = @s AND (created_at > @at OR (created_at = @at AND external_id > @id))
                    ORDER BY created_at, external_id LIMIT @n
                    """, [.. key, ("@at", afterAt), ("@id", afterId), ("@n", Chunk)], r => rows.Add(new ReviewRecord
                    {
                        ExternalId = r.GetString(0), Buyer = r.IsDBNull(1) ? null : new BuyerIdentity { BuyerId = r.GetString(1) },
                        OrderExternalId = r.IsDBNull(2) ? null : r.GetString(2), Sku = r.IsDBNull(3) ? null : r.GetString(3), Rating = r.GetInt32(4), Text = r.GetString(5),
                        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)), UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
                        SellerReply = r.IsDBNull(8) ? null : r.GetString(8), RawJson = "",
                    }), ct);
                if (rows.Count == 0) break;
                var chunk = new List<ReviewInput>(rows.Count);
                foreach (var review in rows)
                {
                    var (score, complaints) = settings.Read(review.Text);
                    foreach (var (n, v) in new (string, object?)[] { ("@v", Sentiment.OfReview(review.Text, review.Rating)), ("@m", store.MerchantId), ("@s", store.StoreId), ("@id", review.ExternalId) })
                        Sql.Set(update, n, v);
                    var replied = update.ExecuteScalar() is long at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : (DateTimeOffset?)null;
                    chunk.Add(new ReviewInput(review, score, complaints, replied));
                }
                writer.Apply([], chunk);
                reviews += chunk.Count;
                (afterAt, afterId) = (rows[^1].CreatedAt.ToUnixTimeMilliseconds(), rows[^1].ExternalId);
            }
        }

        await Sql.ExecAsync(conn, tx, "UPDATE stores SET service_version = @v WHERE merchant_id = @m AND store_id = @s", [("@v", Current), .. key]);
        await tx.CommitAsync(ct);
        return (messages, reviews);
    }
}

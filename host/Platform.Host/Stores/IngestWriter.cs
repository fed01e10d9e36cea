using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Platform.Abstractions;
using Platform.Crm.Identity;
using Microsoft.Extensions.Options;
using Platform.Crm.Text;
using Platform.Host.Customers;
using Platform.Host.Infrastructure;
using Platform.Host.Service;
using Platform.Host.Storage;

namespace Platform.Host.Stores;

/// <summary>What one page changed.</summary>
public readonly record struct PageResult(int Read, int Inserted, int Updated, int Skipped, int BuyersChanged);

/// <summary>The store a page belongs to.</summary>
public sealed record IngestTarget(string MerchantId, string StoreId, string Marketplace, string? DefaultCountry)
{
    /// <summary>The buyer's country, or the store's for buyers without one: how to read phones without a prefix.</summary>
    public string? CountryOf(BuyerIdentity buyer) => string.IsNullOrWhiteSpace(buyer.Country) ? DefaultCountry : buyer.Country;
}

/// <summary>
/// Commits one page (or several consecutive ones) in ONE transaction: raw records (upsert by store+stream+externalId, unchanged ones
/// skipped), normalized rows, buyer accounts, outbox events for identity resolution, the cursor and the
/// run's counters. A crash before commit leaves everything as after the previous page.
/// </summary>
public sealed class IngestWriter(IDbContextFactory<PlatformDbContext> factory, WriteGate gate, IOptions<PlatformOptions> options, Platform.Host.Service.ServiceSettings service)
{
    private readonly NormalizedIdentifiers _identifiers = new();
    private readonly ErasedPeople _erased = new();

    public Task<PageResult> WritePageAsync(IngestTarget target, StreamName stream, RecordPage page, long runId, DateTimeOffset now, CancellationToken ct) =>
        WritePagesAsync(target, stream, [page], runId, now, ct);

    /// <summary>Commits consecutive pages in one transaction, with the last page's checkpoint.</summary>
    public async Task<PageResult> WritePagesAsync(IngestTarget target, StreamName stream, IReadOnlyList<RecordPage> pages, long runId, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfZero(pages.Count);
        var streamName = stream.ToWire();
        var records = pages.Count == 1 ? pages[0].Records : pages.SelectMany(p => p.Records).ToList();
        foreach (var record in records) Validate(stream, record);

        // Everything that needs no database is done before taking the write lock, which every writer of the
        // process shares (the identity batches too): hashes, folded names, normalized emails and phones.
        var last = new Dictionary<string, SourceRecord>(StringComparer.Ordinal);
        foreach (var r in records) last[r.ExternalId] = r; // the last version in the pages wins
        var latest = last.Values.Select(r => (Record: r, Hash: Hash(r.RawJson), Account: BuyerOf(r) is { } b ? Account.Of(b, target, _identifiers) : null,
            Text: TextOf(r))).ToList();
        var newMessages = new List<MessageInput>();
        var changedReviews = new List<ReviewInput>();
        int inserted = 0, updated = 0, skipped = records.Count - latest.Count;

        await using var db = await factory.CreateDbContextAsync(ct);
        var conn = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        using var writing = await gate.EnterAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        var commands = new Commands(conn, tx, target, streamName);
        var erased = await _erased.ForAsync(conn, tx, target.MerchantId, ct);
        var buyers = new Dictionary<string, Account>(StringComparer.Ordinal);
        foreach (var (record, hash, account, text) in latest)
        {
            // An erased person's old records are not stored again (their identifiers are tombstoned).
            if (erased.Count > 0 && account is not null && account.IsErased(target, erased)) { skipped++; continue; }
            // The raw upsert decides: a new record, a newer changed version, or nothing to do (same payload or older).
            var version = commands.UpsertRaw(record, hash);
            if (version is null) { skipped++; continue; }
            var isNew = version == 1;
            if (isNew) inserted++; else updated++;
            switch (record)
            {
                case OrderRecord o:
                    commands.UpsertOrder(o, isNew);
                    break;
                case ReviewRecord r:
                    var repliedAt = commands.UpsertReview(r, text.Stored);
                    changedReviews.Add(new ReviewInput(r, text.Score, text.Complaints, repliedAt));
                    break;
                case ChatMessage m:
                    commands.UpsertMessage(m, text.Stored);
                    // Only new messages move cases: an edited message is not a new turn of the conversation.
                    if (isNew) newMessages.Add(new MessageInput(m, text.Score, text.Complaints));
                    break;
            }
            // The last record of the buyer in the pages carries their latest details.
            if (account is not null) buyers[account.Buyer.BuyerId] = account;
        }
        foreach (var buyer in buyers.Values)
        {
            commands.UpsertBuyer(buyer, now);
            if (options.Value.Identity.Enabled) commands.AddOutbox(buyer.Buyer.BuyerId, now);
        }
        if (newMessages.Count > 0 || changedReviews.Count > 0)
        {
            var hours = await Sql.ScalarAsync(conn, tx, "SELECT business_hours_json FROM stores WHERE merchant_id = @m AND store_id = @s", ct,
                ("@m", target.MerchantId), ("@s", target.StoreId)) as string;
            new CaseWriter(conn, tx, target, service, service.CalendarOf(hours)).Apply(newMessages, changedReviews);
        }
        await commands.SaveCursorAsync(pages[^1].Checkpoint, now, ct);
        // Items the connector could not read: skipped, and the first ones kept on the run for the merchant to see.
        var problems = pages.SelectMany(p => p.Problems).ToList();
        var result = new PageResult(records.Count + problems.Count, inserted, updated, skipped + problems.Count, buyers.Count);
        await commands.CountAsync(runId, pages.Count, result, ct);
        if (problems.Count > 0) await commands.WarnAsync(runId, problems, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    private static void Validate(StreamName stream, SourceRecord record)
    {
        var ok = stream switch
        {
            StreamName.Orders => record is OrderRecord,
            StreamName.Reviews => record is ReviewRecord,
            StreamName.Chats => record is ChatMessage,
            _ => false,
        };
        if (!ok) throw new ConnectorDataException($"the {stream.ToWire()} stream returned a {record.GetType().Name} ({record.ExternalId})");
        if (string.IsNullOrWhiteSpace(record.ExternalId)) throw new ConnectorDataException($"a {stream.ToWire()} record has no ExternalId");
        if (record is ReviewRecord { Rating: < 1 or > 5 } rv) throw new ConnectorDataException($"review {rv.ExternalId} has rating {rv.Rating}, outside 1–5");
        if (record is OrderRecord o && (o.Currency is not { Length: 3 } || string.IsNullOrWhiteSpace(o.Buyer.BuyerId)))
            throw new ConnectorDataException($"order {o.ExternalId} has currency '{o.Currency}' or an empty buyer id");
    }

    /// <summary>What a review's or message's text says: its own score, complaint words, and the sentiment stored (a review's rating wins over its text).</summary>
    private readonly record struct TextFacts(double Score, IReadOnlyList<string> Complaints, double Stored);

    private TextFacts TextOf(SourceRecord record)
    {
        switch (record)
        {
            case ReviewRecord r:
                var (score, complaints) = service.Read(r.Text);
                return new TextFacts(score, complaints, Platform.Crm.Service.Sentiment.OfReview(r.Text, r.Rating));
            case ChatMessage m:
                var (messageScore, messageComplaints) = service.Read(m.Text);
                return new TextFacts(messageScore, messageComplaints, messageScore);
            default:
                return default;
        }
    }

    private static BuyerIdentity? BuyerOf(SourceRecord record) => record switch
    {
        OrderRecord o => o.Buyer,
        ReviewRecord r => r.Buyer,
        ChatMessage m => m.Buyer,
        _ => null,
    };

    /// <summary>A buyer as stored: their details and the normalized forms computed from them.</summary>
    private sealed record Account(BuyerIdentity Buyer, string? Country, string? NameKey, string? Email, string? Phone)
    {
        public static Account Of(BuyerIdentity b, IngestTarget target, NormalizedIdentifiers identifiers)
        {
            var country = target.CountryOf(b);
            return new Account(b, NullIfBlank(country), TextFold.Fold(b.Name) is { Length: > 0 } key ? key : null,
                identifiers.Email(b.Email), identifiers.Phone(b.Phone, country));
        }

        /// <summary>Whether the buyer was erased: their buyer id, email or phone is tombstoned.</summary>
        public bool IsErased(IngestTarget target, HashSet<string> erased) =>
            Tombstones.KeysOf(target.Marketplace, Buyer.BuyerId, Email, Phone).Any(k => erased.Contains(Tombstones.Hash(target.MerchantId, k)));
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static long Hash(string json)
    {
        Span<byte> digest = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetBytes(json);
        SHA256.HashData(bytes, digest);
        return BinaryPrimitives.ReadInt64LittleEndian(digest);
    }

    /// <summary>
    /// Prepared statements for one page, created on first use. The per-record statements run synchronously:
    /// the SQLite provider executes them synchronously anyway, and the async wrappers cost ~15% of a page.
    /// Unchanged rows are never rewritten (the upserts' WHERE clauses): on a large store every rewrite dirties a
    /// random page of an index, and those pages are most of what a commit writes.
    /// </summary>
    private sealed class Commands(DbConnection conn, DbTransaction tx, IngestTarget target, string stream)
    {
        private DbCommand? _raw, _order, _deleteLines, _line, _review, _message, _buyer, _outbox;

        private DbCommand Prepare(ref DbCommand? slot, string sql, params string[] parameters)
        {
            if (slot is not null) return slot;
            var cmd = Sql.Prepare(conn, tx, sql, parameters);
            Sql.Set(cmd, "@m", target.MerchantId);
            Sql.Set(cmd, "@s", target.StoreId);
            return slot = cmd;
        }

        /// <summary>
        /// Inserts the raw payload, or replaces it when the payload changed and is not older than the stored one.
        /// Returns the stored version (1 = new, more = updated), or null when nothing was written.
        /// </summary>
        public long? UpsertRaw(SourceRecord r, long hash)
        {
            var cmd = Prepare(ref _raw, """
                INSERT INTO raw_records (merchant_id, store_id, stream, external_id, changed_at, hash, json, version)
                VALUES (@m, @s, @st, @id, @at, @h, @j, 1)
                ON CONFLICT (merchant_id, store_id, stream, external_id) DO UPDATE SET changed_at = excluded.changed_at, hash = excluded.hash,
                  json = excluded.json, version = raw_records.version + 1
                WHERE excluded.hash <> raw_records.hash AND excluded.changed_at >= raw_records.changed_at
                RETURNING version
                """, "@m", "@s", "@st", "@id", "@at", "@h", "@j");
            Sql.Set(cmd, "@st", stream);
            Sql.Set(cmd, "@id", r.ExternalId);
            Sql.Set(cmd, "@at", r.ChangedAt.ToUnixTimeMilliseconds());
            Sql.Set(cmd, "@h", hash);
            Sql.Set(cmd, "@j", r.RawJson);
            return cmd.ExecuteScalar() is { } version and not DBNull ? Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        public void UpsertOrder(OrderRecord o, bool isNew)
        {
            var cmd = Prepare(ref _order, """
                INSERT INTO orders (merchant_id, store_id, external_id, buyer_id, created_at, updated_at, status, currency, total, shipping_city, shipping_country)
                VALUES (@m, @s, @id, @b, @c, @u, @st, @cur, @t, @city, @country)
                ON CONFLICT (merchant_id, store_id, external_id) DO UPDATE SET buyer_id = excluded.buyer_id, created_at = excluded.created_at,
                  updated_at = excluded.updated_at, status = excluded.status, currency = excluded.currency, total = excluded.total,
                  shipping_city = excluded.shipping_city, shipping_country = excluded.shipping_country
                """, "@m", "@s", "@id", "@b", "@c", "@u", "@st", "@cur", "@t", "@city", "@country");
            Sql.Set(cmd, "@id", o.ExternalId);
            Sql.Set(cmd, "@b", o.Buyer.BuyerId);
            Sql.Set(cmd, "@c", o.CreatedAt.ToUnixTimeMilliseconds());
            Sql.Set(cmd, "@u", o.UpdatedAt.ToUnixTimeMilliseconds());
            Sql.Set(cmd, "@st", o.Status.ToString().ToLowerInvariant());
            Sql.Set(cmd, "@cur", o.Currency.ToUpperInvariant());
            Sql.Set(cmd, "@t", Money.ToStored(o.Total));
            Sql.Set(cmd, "@city", o.ShippingCity);
            Sql.Set(cmd, "@country", o.ShippingCountry);
            cmd.ExecuteNonQuery();

            if (!isNew)
            {
                var del = Prepare(ref _deleteLines, "DELETE FROM order_lines WHERE merchant_id=@m AND store_id=@s AND order_external_id=@id", "@m", "@s", "@id");
                Sql.Set(del, "@id", o.ExternalId);
                del.ExecuteNonQuery();
            }
            var line = Prepare(ref _line, """
                INSERT INTO order_lines (merchant_id, store_id, order_external_id, line_no, sku, title, quantity, unit_price)
                VALUES (@m, @s, @id, @n, @sku, @title, @q, @p)
                """, "@m", "@s", "@id", "@n", "@sku", "@title", "@q", "@p");
            for (var i = 0; i < o.Lines.Count; i++)
            {
                var l = o.Lines[i];
                Sql.Set(line, "@id", o.ExternalId);
                Sql.Set(line, "@n", i + 1);
                Sql.Set(line, "@sku", l.Sku);
                Sql.Set(line, "@title", l.Title);
                Sql.Set(line, "@q", l.Quantity);
                Sql.Set(line, "@p", Money.ToStored(l.UnitPrice));
                line.ExecuteNonQuery();
            }
        }

        /// <summary>Upserts a review; returns when the seller's reply was first seen (kept from the first time), null without a reply.</summary>
        public DateTimeOffset? UpsertReview(ReviewRecord r, double sentiment)
        {
            var cmd = Prepare(ref _review, """
                INSERT INTO reviews (merchant_id, store_id, external_id, buyer_id, order_external_id, sku, rating, text, created_at, updated_at, seller_reply, replied_at, sentiment)
                VALUES (@m, @s, @id, @b, @o, @sku, @r, @t, @c, @u, @reply, @replied, @sent)
                ON CONFLICT (merchant_id, store_id, external_id) DO UPDATE SET buyer_id = excluded.buyer_id, order_external_id = excluded.order_external_id,
                  sku = excluded.sku, rating = excluded.rating, text = excluded.text, created_at = excluded.created_at, updated_at = excluded.updated_at,
                  seller_reply = excluded.seller_reply, sentiment = excluded.sentiment,
                  replied_at = CASE WHEN excluded.seller_reply IS NULL THEN NULL ELSE COALESCE(reviews.replied_at, excluded.replied_at) END
                RETURNING replied_at
                """, "@m", "@s", "@id", "@b", "@o", "@sku", "@r", "@t", "@c", "@u", "@reply", "@replied", "@sent");
            Sql.Set(cmd, "@id", r.ExternalId);
            Sql.Set(cmd, "@b", r.Buyer?.BuyerId);
            Sql.Set(cmd, "@o", r.OrderExternalId);
            Sql.Set(cmd, "@sku", r.Sku);
            Sql.Set(cmd, "@r", r.Rating);
            Sql.Set(cmd, "@t", r.Text);
            Sql.Set(cmd, "@c", r.CreatedAt.ToUnixTimeMilliseconds());
            Sql.Set(cmd, "@u", r.UpdatedAt.ToUnixTimeMilliseconds());
            Sql.Set(cmd, "@reply", r.SellerReply);
            // The marketplace's reply time when it gives one, else the review's change time (the change that brought the reply).
            Sql.Set(cmd, "@replied", r.SellerReply is null ? null : (r.SellerReplyAt ?? r.UpdatedAt).ToUnixTimeMilliseconds());
            Sql.Set(cmd, "@sent", sentiment);
            return cmd.ExecuteScalar() is long replied ? DateTimeOffset.FromUnixTimeMilliseconds(replied) : null;
        }

        public void UpsertMessage(ChatMessage m, double sentiment)
        {
            var cmd = Prepare(ref _message, """
                INSERT INTO messages (merchant_id, store_id, external_id, conversation_id, buyer_id, direction, text, sent_at, order_external_id, sentiment)
                VALUES (@m, @s, @id, @conv, @b, @d, @t, @at, @o, @sent)
                ON CONFLICT (merchant_id, store_id, external_id) DO UPDATE SET conversation_id = excluded.conversation_id, buyer_id = excluded.buyer_id,
                  direction = excluded.direction, text = excluded.text, sent_at = excluded.sent_at, order_external_id = excluded.order_external_id,
                  sentiment = excluded.sentiment
                """, "@m", "@s", "@id", "@conv", "@b", "@d", "@t", "@at", "@o", "@sent");
            Sql.Set(cmd, "@id", m.ExternalId);
            Sql.Set(cmd, "@conv", m.ConversationId);
            Sql.Set(cmd, "@b", m.Buyer.BuyerId);
            Sql.Set(cmd, "@d", m.Direction == MessageDirection.Inbound ? "inbound" : "outbound");
            Sql.Set(cmd, "@t", m.Text);
            Sql.Set(cmd, "@at", m.SentAt.ToUnixTimeMilliseconds());
            Sql.Set(cmd, "@o", m.OrderExternalId);
            Sql.Set(cmd, "@sent", sentiment);
            cmd.ExecuteNonQuery();
        }

        public void UpsertBuyer(Account a, DateTimeOffset now)
        {
            var cmd = Prepare(ref _buyer, """
                INSERT INTO buyers (merchant_id, store_id, buyer_id, marketplace, name, name_key, email_raw, phone_raw, email, phone, country, city, postal_code, customer_id, first_seen_at, updated_at)
                VALUES (@m, @s, @b, @mp, @n, @nk, @er, @pr, @e, @p, @c, @city, @pc, NULL, @now, @now)
                ON CONFLICT (merchant_id, store_id, buyer_id) DO UPDATE SET
                  name = COALESCE(excluded.name, buyers.name), name_key = COALESCE(excluded.name_key, buyers.name_key), email_raw = COALESCE(excluded.email_raw, buyers.email_raw),
                  phone_raw = COALESCE(excluded.phone_raw, buyers.phone_raw), email = COALESCE(excluded.email, buyers.email),
                  phone = COALESCE(excluded.phone, buyers.phone), country = COALESCE(excluded.country, buyers.country),
                  city = COALESCE(excluded.city, buyers.city), postal_code = COALESCE(excluded.postal_code, buyers.postal_code), updated_at = excluded.updated_at
                WHERE (excluded.name IS NOT NULL AND excluded.name IS DISTINCT FROM buyers.name)
                   OR (excluded.email_raw IS NOT NULL AND excluded.email_raw IS DISTINCT FROM buyers.email_raw)
                   OR (excluded.phone_raw IS NOT NULL AND excluded.phone_raw IS DISTINCT FROM buyers.phone_raw)
                   OR (excluded.country IS NOT NULL AND excluded.country IS DISTINCT FROM buyers.country)
                   OR (excluded.city IS NOT NULL AND excluded.city IS DISTINCT FROM buyers.city)
                   OR (excluded.postal_code IS NOT NULL AND excluded.postal_code IS DISTINCT FROM buyers.postal_code)
                """, "@m", "@s", "@b", "@mp", "@n", "@nk", "@er", "@pr", "@e", "@p", "@c", "@city", "@pc", "@now");
            var b = a.Buyer;
            Sql.Set(cmd, "@b", b.BuyerId);
            Sql.Set(cmd, "@mp", target.Marketplace);
            Sql.Set(cmd, "@n", NullIfBlank(b.Name));
            Sql.Set(cmd, "@nk", a.NameKey);
            Sql.Set(cmd, "@pc", NullIfBlank(b.PostalCode));
            Sql.Set(cmd, "@er", NullIfBlank(b.Email));
            Sql.Set(cmd, "@pr", NullIfBlank(b.Phone));
            Sql.Set(cmd, "@e", a.Email);
            Sql.Set(cmd, "@p", a.Phone);
            Sql.Set(cmd, "@c", a.Country);
            Sql.Set(cmd, "@city", NullIfBlank(b.City));
            Sql.Set(cmd, "@now", now.ToUnixTimeMilliseconds());
            cmd.ExecuteNonQuery();
        }

        public void AddOutbox(string buyerId, DateTimeOffset now)
        {
            var cmd = Prepare(ref _outbox, "INSERT INTO outbox (merchant_id, store_id, buyer_id, created_at) VALUES (@m, @s, @b, @now)", "@m", "@s", "@b", "@now");
            Sql.Set(cmd, "@b", buyerId);
            Sql.Set(cmd, "@now", now.ToUnixTimeMilliseconds());
            cmd.ExecuteNonQuery();
        }

        public async Task SaveCursorAsync(StreamCursor cursor, DateTimeOffset now, CancellationToken ct)
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO cursors (merchant_id, store_id, stream, cursor_json, since, updated_at) VALUES (@m, @s, @st, @c, NULL, @now)
                ON CONFLICT (merchant_id, store_id, stream) DO UPDATE SET cursor_json = excluded.cursor_json, updated_at = excluded.updated_at
                """;
            Sql.Add(cmd, "@m", target.MerchantId);
            Sql.Add(cmd, "@s", target.StoreId);
            Sql.Add(cmd, "@st", stream);
            Sql.Add(cmd, "@c", cursor.Json);
            Sql.Add(cmd, "@now", now.ToUnixTimeMilliseconds());
            await cmd.ExecuteNonQueryAsync(ct);
        }

        /// <summary>Keeps the first <see cref="MaxWarnings"/> problems of a run.</summary>
        public async Task WarnAsync(long runId, IReadOnlyList<string> problems, CancellationToken ct)
        {
            await using var read = conn.CreateCommand();
            read.Transaction = tx;
            read.CommandText = "SELECT warnings FROM runs WHERE id = @id";
            Sql.Add(read, "@id", runId);
            var kept = await read.ExecuteScalarAsync(ct) is string json ? System.Text.Json.JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
            if (kept.Count >= MaxWarnings) return;
            kept.AddRange(problems.Take(MaxWarnings - kept.Count));
            await Sql.ExecAsync(conn, tx, "UPDATE runs SET warnings = @w WHERE id = @id", ("@w", System.Text.Json.JsonSerializer.Serialize(kept)), ("@id", runId));
        }

        private const int MaxWarnings = 50;

        public async Task CountAsync(long runId, int pages, PageResult page, CancellationToken ct)
        {
            await using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE runs SET pages = pages + @pages, read = read + @r, inserted = inserted + @i, updated = updated + @u, skipped = skipped + @k WHERE id = @id";
            Sql.Add(cmd, "@pages", pages);
            Sql.Add(cmd, "@r", page.Read);
            Sql.Add(cmd, "@i", page.Inserted);
            Sql.Add(cmd, "@u", page.Updated);
            Sql.Add(cmd, "@k", page.Skipped);
            Sql.Add(cmd, "@id", runId);
            await cmd.ExecuteNonQueryAsync(ct);
        }

    }
}

/// <summary>
/// Normalized emails and phones, remembered: the same buyers come back page after page and parsing a phone
/// number is the costliest step of a page. Bounded: forgets everything past 200,000 entries.
/// </summary>
internal sealed class NormalizedIdentifiers
{
    private const int Capacity = 200_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Raw, string? Region), string?> _phones = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _emails = new(StringComparer.Ordinal);

    public string? Email(string? raw) => raw is null ? null : Remember(_emails, raw, static r => IdentifierNormalizer.NormalizeEmail(r));

    public string? Phone(string? raw, string? region) =>
        raw is null ? null : Remember(_phones, (raw, region), static k => IdentifierNormalizer.NormalizePhone(k.Item1, k.Item2));

    private static string? Remember<TKey>(System.Collections.Concurrent.ConcurrentDictionary<TKey, string?> cache, TKey key, Func<TKey, string?> compute) where TKey : notnull
    {
        if (cache.TryGetValue(key, out var known)) return known;
        if (cache.Count >= Capacity) cache.Clear();
        return cache[key] = compute(key);
    }
}

/// <summary>
/// The tombstones of each merchant's erased people, read once and again only when their number changes (an erasure
/// adds rows, nothing removes them), so pages of merchants who never erased anyone pay one COUNT.
/// </summary>
internal sealed class ErasedPeople
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Count, HashSet<string> Hashes)> _byMerchant = new(StringComparer.Ordinal);

    public async Task<HashSet<string>> ForAsync(DbConnection conn, DbTransaction tx, string merchantId, CancellationToken ct)
    {
        await using var count = conn.CreateCommand();
        count.Transaction = tx;
        count.CommandText = "SELECT COUNT(*) FROM tombstones WHERE merchant_id = @m";
        Sql.Add(count, "@m", merchantId);
        var n = Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        if (_byMerchant.TryGetValue(merchantId, out var known) && known.Count == n) return known.Hashes;
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        if (n > 0)
        {
            await using var read = conn.CreateCommand();
            read.Transaction = tx;
            read.CommandText = "SELECT hash FROM tombstones WHERE merchant_id = @m";
            Sql.Add(read, "@m", merchantId);
            await using var r = await read.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) hashes.Add(r.GetString(0));
        }
        _byMerchant[merchantId] = (n, hashes);
        return hashes;
    }
}

/// <summary>A connector returned data the host cannot store; the message says which record.</summary>
public sealed class ConnectorDataException(string message) : Exception(message);

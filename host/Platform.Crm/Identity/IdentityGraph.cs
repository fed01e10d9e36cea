namespace Platform.Crm.Identity;

/// <summary>
/// The identity graph of one merchant: which customer each identifier key belongs to. Accounts that
/// share a key belong to the same customer, transitively, so customers are the connected components of
/// the graph and the grouping does not depend on the order in which accounts arrive. When an account
/// bridges several customers they merge into the oldest (lowest sequence number), whose id stays stable.
/// </summary>
public sealed class IdentityGraph
{
    private readonly Dictionary<string, long> _keyOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _mergedInto = new();
    private readonly Dictionary<long, List<string>> _keysOf = new();
    private long _lastSequence;

    /// <summary>Loads a known key → customer assignment (from storage).</summary>
    public void LoadKey(string key, long customer)
    {
        _keyOwner[key] = customer;
        KeysOf(customer).Add(key);
        _lastSequence = Math.Max(_lastSequence, customer);
    }

    /// <summary>Loads a known merge (from storage).</summary>
    public void LoadMerge(long from, long into)
    {
        _mergedInto[from] = into;
        _lastSequence = Math.Max(_lastSequence, Math.Max(from, into));
    }

    /// <summary>Loads a customer that has no keys yet, so sequence numbers are never reused.</summary>
    public void LoadCustomer(long customer) => _lastSequence = Math.Max(_lastSequence, customer);

    /// <summary>The surviving customer of <paramref name="customer"/> (itself unless it was merged away).</summary>
    public long Survivor(long customer)
    {
        while (_mergedInto.TryGetValue(customer, out var into)) customer = into;
        return customer;
    }

    /// <summary>The customer owning <paramref name="key"/>, or null.</summary>
    public long? Find(string key) => _keyOwner.TryGetValue(key, out var c) ? Survivor(c) : null;

    /// <summary>
    /// Adds an account with <paramref name="keys"/>: returns the customer it belongs to, whether that
    /// customer is new, which new keys were assigned and which customers were merged into it.
    /// </summary>
    public Resolution Add(IReadOnlyList<string> keys, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var owners = new SortedSet<long>();
        foreach (var key in keys)
            if (Find(key) is { } owner) owners.Add(owner);

        long survivor;
        var created = false;
        var merges = new List<Merge>();
        if (owners.Count == 0)
        {
            survivor = ++_lastSequence;
            created = true;
        }
        else
        {
            survivor = owners.Min;
            foreach (var other in owners.Where(o => o != survivor))
            {
                _mergedInto[other] = survivor;
                var moved = KeysOf(other);
                foreach (var k in moved) _keyOwner[k] = survivor;
                KeysOf(survivor).AddRange(moved);
                _keysOf.Remove(other);
                var shared = keys.FirstOrDefault(k => moved.Contains(k)) ?? keys[0];
                merges.Add(new Merge(other, survivor, $"{reason}: shares {Describe(shared)}"));
            }
        }

        var added = new List<string>();
        foreach (var key in keys)
        {
            if (_keyOwner.TryGetValue(key, out var owner) && owner == survivor) continue;
            _keyOwner[key] = survivor;
            KeysOf(survivor).Add(key);
            added.Add(key);
        }
        return new Resolution(survivor, created, added, merges);
    }

    private List<string> KeysOf(long customer)
    {
        if (!_keysOf.TryGetValue(customer, out var list)) _keysOf[customer] = list = [];
        return list;
    }

    private static string Describe(string key)
    {
        var colon = key.IndexOf(':');
        var kind = key[..colon];
        var value = key[(colon + 1)..];
        return kind switch
        {
            "email" => $"email {Mask(value, value.IndexOf('@'))}",
            "phone" => $"phone …{value[Math.Max(0, value.Length - 4)..]}",
            _ => $"marketplace buyer id {value}",
        };
    }

    private static string Mask(string value, int visibleEnd) =>
        visibleEnd <= 1 ? value : $"{value[0]}…{value[visibleEnd..]}";
}

/// <summary>The outcome of adding one account to the graph.</summary>
/// <param name="Customer">The customer the account belongs to.</param>
/// <param name="Created">Whether that customer was created for it.</param>
/// <param name="AddedKeys">Keys newly assigned to the customer.</param>
/// <param name="Merges">Customers merged into it by this account.</param>
public sealed record Resolution(long Customer, bool Created, IReadOnlyList<string> AddedKeys, IReadOnlyList<Merge> Merges);

/// <summary>A merge of <paramref name="From"/> into <paramref name="Into"/>, with the reason in words.</summary>
public sealed record Merge(long From, long Into, string Reason);

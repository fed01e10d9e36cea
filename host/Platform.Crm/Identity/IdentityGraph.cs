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
    public Resolution Add(IReadOnlyList<string> keys, string source)
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
                merges.Add(new Merge(other, survivor, $"shared {Describe(shared)} from {source}"));
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

    /// <summary>
    /// A split by hand: <paramref name="customer"/> keeps <paramref name="remainingKeys"/> (the keys of the accounts it
    /// keeps) and a new customer gets <paramref name="movedKeys"/>; keys of neither are forgotten. Returns the new customer.
    /// </summary>
    public long Split(long customer, IReadOnlyCollection<string> remainingKeys, IReadOnlyCollection<string> movedKeys)
    {
        if (Survivor(customer) != customer) throw new InvalidOperationException($"customer {customer} was merged into {Survivor(customer)}");
        foreach (var key in remainingKeys.Concat(movedKeys))
            if (Find(key) is { } owner && owner != customer)
                throw new InvalidOperationException($"key {key} belongs to customer {owner}, not {customer}");
        Forget(customer);
        var created = ++_lastSequence;
        foreach (var key in remainingKeys) LoadKey(key, customer);
        foreach (var key in movedKeys) LoadKey(key, created);
        return created;
    }

    /// <summary>A merge by hand of two customers that share no key: the younger goes into the older.</summary>
    public Merge MergeByHand(long a, long b, string reason)
    {
        a = Survivor(a);
        b = Survivor(b);
        if (a == b) throw new InvalidOperationException($"customers {a} and {b} are already one");
        var (into, from) = a < b ? (a, b) : (b, a);
        _mergedInto[from] = into;
        var moved = KeysOf(from);
        foreach (var k in moved) _keyOwner[k] = into;
        KeysOf(into).AddRange(moved);
        _keysOf.Remove(from);
        return new Merge(from, into, reason);
    }

    /// <summary>Forgets every key of <paramref name="customer"/> (an erasure, or before a split reassigns them).</summary>
    public void Forget(long customer)
    {
        if (!_keysOf.Remove(customer, out var keys)) return;
        foreach (var k in keys) _keyOwner.Remove(k);
    }

    private List<string> KeysOf(long customer)
    {
        if (!_keysOf.TryGetValue(customer, out var list)) _keysOf[customer] = list = [];
        return list;
    }

    /// <summary>A key in words for a merge reason, contacts partly hidden: "email m…@example.com".</summary>
    public static string Describe(string key)
    {
        key = IdentityKeys.Identifier(key);
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

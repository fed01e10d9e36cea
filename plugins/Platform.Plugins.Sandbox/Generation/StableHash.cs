namespace Platform.Plugins.Sandbox.Generation;

/// <summary>
/// Hashes that are the same on every machine and every run (unlike <see cref="string.GetHashCode()"/>):
/// FNV-1a for text, the SplitMix64 finalizer to mix numbers.
/// </summary>
internal static class StableHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    public static ulong Of(string text)
    {
        var hash = FnvOffset;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }
        return Mix(hash);
    }

    public static ulong Of(ulong a, ulong b) => Mix(a ^ Mix(b + Golden));

    public static ulong Of(ulong a, ulong b, ulong c) => Of(Of(a, b), c);

    public static ulong Of(ulong a, ulong b, ulong c, ulong d) => Of(Of(Of(a, b), c), d);

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, 1) from a hash.</summary>
    public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));
}

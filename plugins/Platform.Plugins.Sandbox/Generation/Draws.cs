namespace Platform.Plugins.Sandbox.Generation;

/// <summary>
/// A short, local sequence of random draws (SplitMix64) seeded by a hash of what is being generated.
/// It lives on the stack of one generation step, so the result never depends on what was generated before.
/// </summary>
internal struct Draws(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return StableHash.Mix(_state);
    }

    /// <summary>A number in [0, 1).</summary>
    public double Unit() => StableHash.Unit(Next());

    /// <summary>An integer in [0, count).</summary>
    public int Below(int count) => (int)(((Next() >> 32) * (ulong)count) >> 32);

    /// <summary>An integer in [min, max].</summary>
    public int Between(int min, int max) => min + Below(max - min + 1);

    public bool Chance(double probability) => Unit() < probability;

    /// <summary>A digit string of the given length.</summary>
    public string Digits(int length) => string.Create(length, Next(), static (span, bits) =>
    {
        var draws = new Draws(bits);
        for (var i = 0; i < span.Length; i++)
            span[i] = (char)('0' + draws.Below(10));
    });
}

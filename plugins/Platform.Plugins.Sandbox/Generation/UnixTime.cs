namespace Platform.Plugins.Sandbox.Generation;

/// <summary>Whole Unix seconds (how the sandbox keeps times), ticks and days.</summary>
internal static class UnixTime
{
    public const long Minute = 60;
    public const long Hour = 3600;
    public const long Day = 86_400;

    /// <summary>No sandbox store has data before 2020-01-01 (day 18262): bounds scans that start very early.</summary>
    public const long FirstDay = 18_262;

    private const long EpochTicks = 621_355_968_000_000_000L;
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static long ToTicks(long seconds) => EpochTicks + seconds * TimeSpan.TicksPerSecond;

    public static DateTimeOffset ToTime(long seconds) => new(ToTicks(seconds), TimeSpan.Zero);

    public static DateTimeOffset TimeOfTicks(long ticks) => new(ticks, TimeSpan.Zero);

    public static long SecondsOf(DateTimeOffset time) => FloorDiv(time.UtcTicks - EpochTicks, TimeSpan.TicksPerSecond);

    public static long DayOfTicks(long ticks) => FloorDiv(ticks - EpochTicks, TimeSpan.TicksPerDay);

    public static DateOnly Date(long day) => DateOnly.FromDayNumber(EpochDayNumber + (int)day);

    private static long FloorDiv(long a, long b)
    {
        var (q, r) = Math.DivRem(a, b);
        return r < 0 ? q - 1 : q;
    }
}

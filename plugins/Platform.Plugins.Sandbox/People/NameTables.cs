using System.Collections.Immutable;

namespace Platform.Plugins.Sandbox.People;

/// <summary>The names people are made of.</summary>
internal static class NameTables
{
    public static readonly ImmutableArray<NamePart> RomanizedSurnames =
    [
        "Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Chan", "Koh",
        "Teo", "Ang", "Yeo", "Tay", "Ho", "Low", "Toh", "Sim", "Chong", "Chia",
    ];

    public static readonly ImmutableArray<NamePart> RomanizedGiven =
    [
        "Mei Ling", "Wei Jie", "Jia Hui", "Zhi Hao", "Xin Yi", "Jun Wei", "Hui Min", "Kai Xiang",
        "Shu Fen", "Yong Sheng", "Li Ting", "Jia Wei", "Siew Mei", "Boon Keng", "Pei Shan", "Wen Xuan",
    ];

    public static readonly ImmutableArray<NamePart> HanziSurnames =
    [
        ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
        ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("林", "lin"), ("郭", "guo"),
    ];

    public static readonly ImmutableArray<NamePart> HanziGiven =
    [
        ("芳", "fang"), ("娜", "na"), ("伟", "wei"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
        ("强", "qiang"), ("磊", "lei"), ("洋", "yang"), ("艳", "yan"), ("杰", "jie"), ("婷", "ting"),
        ("秀英", "xiuying"), ("志明", "zhiming"), ("美玲", "meiling"), ("家豪", "jiahao"), ("俊杰", "junjie"), ("雅婷", "yating"),
    ];

    public static readonly ImmutableArray<NamePart> MalayFirst =
    [
        "Nur Aisyah", "Muhammad Faiz", "Siti Nurhaliza", "Ahmad Firdaus", "Nurul Huda",
        "Hafiz", "Farah", "Amirul", "Syafiqah", "Irfan", "Aziz", "Zarina",
    ];

    public static readonly ImmutableArray<NamePart> MalayLast =
    [
        "Rahman", "Ismail", "Hassan", "Abdullah", "Osman", "Yusof", "Salleh", "Ibrahim", "Hamid", "Aziz",
    ];

    public static readonly ImmutableArray<NamePart> IndianFirst =
    [
        "Priya", "Arjun", "Kavitha", "Rajesh", "Divya", "Suresh", "Anjali", "Vikram", "Lakshmi", "Ravi",
    ];

    public static readonly ImmutableArray<NamePart> IndianLast =
    [
        "Nair", "Menon", "Pillai", "Kumar", "Raj", "Subramaniam", "Krishnan", "Singh", "Rao", "Iyer",
    ];

    public static readonly ImmutableArray<NamePart> WesternFirst =
    [
        "Emily", "James", "Olivia", "Daniel", "Sophie", "Michael", ("Chloé", "chloe"), ("Zoë", "zoe"),
        ("Renée", "renee"), "Noah", "Hannah", "Lucas", "Ethan", "Grace", "Jason", "Michelle",
    ];

    public static readonly ImmutableArray<NamePart> WesternLast =
    [
        "Smith", "Johnson", "Brown", "Clarke", "Miller", ("Müller", "muller"), ("O'Brien", "obrien"),
        ("Lefèvre", "lefevre"), "Walker", "Davis", "Wilson", "Taylor",
    ];

    public static readonly ImmutableArray<NamePart> SpanishFirst =
    [
        ("José", "jose"), ("María", "maria"), ("Sofía", "sofia"), ("Andrés", "andres"),
        ("Lucía", "lucia"), ("Martín", "martin"), ("Inés", "ines"), ("Raúl", "raul"), "Carlos", "Elena",
    ];

    public static readonly ImmutableArray<NamePart> SpanishLast =
    [
        ("Álvarez", "alvarez"), ("Fernández", "fernandez"), ("Núñez", "nunez"), ("García", "garcia"),
        ("Rodríguez", "rodriguez"), ("López", "lopez"), ("Peña", "pena"), ("Gómez", "gomez"), "Torres", "Ruiz",
    ];
}

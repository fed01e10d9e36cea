using System.Globalization;
using System.Text;

namespace Platform.Crm.Text;

/// <summary>
/// Folds text for matching: lower case, accents removed (é → e, Đ → d), punctuation and runs of spaces to one
/// space. Scripts without case or accents (Chinese, Thai…) pass through unchanged.
/// </summary>
public static class TextFold
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            if (char.IsLetterOrDigit(ch) || ch is '@' or '.' or '+' or '_' or '-')
            {
                if (space && sb.Length > 0) sb.Append(' ');
                space = false;
                sb.Append(Special(char.ToLowerInvariant(ch)));
            }
            else space = true;
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Letters that do not decompose into a base letter and a mark.</summary>
    private static char Special(char c) => c switch
    {
        'đ' => 'd',
        'ø' => 'o',
        'ł' => 'l',
        'ß' => 's',
        'ı' => 'i',
        _ => c,
    };
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MedChat.Api.Assistant;

/// <summary>
/// Puts a patient's message into the one spelling the safety rules are written against: lower
/// case, plain ASCII letters, contractions spelled out ("can't" → "can not"), common misspellings
/// fixed ("chest pian" → "chest pain") and single spaces. Clause punctuation (. , ; : ! ?) is kept
/// because negation scope depends on it. Total: any string, including ill-formed UTF-16, comes out
/// as a (possibly empty) string.
/// </summary>
internal static class SafetyText
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;

    private static readonly Regex DigitLetter = new(@"(?<=\d)(?=[a-z])", Options);
    private static readonly Regex DecimalComma = new(@"(?<=\d),(?=\d)", Options);
    private static readonly Regex CanNot = new(@"\b(?:can ?n?'?t|cannot|carn'?t|cnt)\b", Options);
    private static readonly Regex WontAint = new(@"\b(?:(won)|(ain))'?t\b", Options);
    private static readonly Regex NotSuffix = new(@"\b([a-z]+)n't\b", Options);
    private static readonly Regex IAm = new(@"\bi'm\b", Options);
    private static readonly Regex PronounIs = new(@"\b(he|she|it|that|what|there|who)'s\b", Options);
    private static readonly Regex Possessive = new(@"(?<=[a-z])'s\b", Options);
    private static readonly Regex Have = new(@"(?<=[a-z])'ve\b", Options);
    private static readonly Regex Are = new(@"(?<=[a-z])'re\b", Options);
    private static readonly Regex Will = new(@"(?<=[a-z])'ll\b", Options);
    private static readonly Regex Would = new(@"(?<=[a-z])'d\b", Options);
    private static readonly Regex Word = new(@"\b[a-z]+\b", Options);
    // "never had pain like this" is a superlative, not a denial.
    private static readonly Regex NeverLikeThis = new(@"\bnever\b(?=[^.;!?]*\b(?:like (?:this|that|it)|this (?:bad|severe|much)|so bad|worse|before)\b)", Options);
    private static readonly Regex Spaces = new(@" {2,}", Options);

    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        // contractions typed without the apostrophe
        ["cant"] = "can not", ["dont"] = "do not", ["doesnt"] = "does not", ["doesn"] = "does not", ["didnt"] = "did not",
        ["isnt"] = "is not", ["wasnt"] = "was not", ["arent"] = "are not", ["werent"] = "were not",
        ["havent"] = "have not", ["hasnt"] = "has not", ["hadnt"] = "had not", ["couldnt"] = "could not",
        ["wouldnt"] = "would not", ["shouldnt"] = "should not", ["wont"] = "will not", ["aint"] = "is not",
        ["im"] = "i am", ["ive"] = "i have", ["hes"] = "he is", ["shes"] = "she is", ["theyre"] = "they are",
        ["wanna"] = "want to", ["alot"] = "a lot", ["sayin"] = "saying", ["droopin"] = "drooping", ["gonna"] = "going to", ["u"] = "you", ["ur"] = "your",
        // slang for suicide that hides it from naive filters
        ["kms"] = "kill myself", ["unalive"] = "kill",
        // units and ages typed short
        ["wk"] = "week", ["wks"] = "weeks", ["mo"] = "months", ["mos"] = "months", ["mth"] = "month", ["mths"] = "months",
        ["mnth"] = "month", ["mnths"] = "months", ["yo"] = "year old", ["yr"] = "year", ["yrs"] = "years", ["hrs"] = "hours",
        ["wkold"] = "week old",
        // misspellings seen in patient messages
        ["pian"] = "pain", ["pain"] = "pain", ["painn"] = "pain", ["pains"] = "pains", ["payn"] = "pain",
        ["chset"] = "chest", ["chets"] = "chest", ["chestt"] = "chest", ["cheast"] = "chest", ["chestpain"] = "chest pain",
        ["breth"] = "breath", ["brethe"] = "breathe", ["breate"] = "breathe", ["breahte"] = "breathe", ["brathe"] = "breathe",
        ["breeth"] = "breathe", ["breathh"] = "breath",
        ["breating"] = "breathing", ["brething"] = "breathing", ["breathin"] = "breathing", ["beathing"] = "breathing",
        ["breahting"] = "breathing", ["breathign"] = "breathing", ["breathng"] = "breathing", ["breeting"] = "breathing",
        ["unconcious"] = "unconscious", ["unconsious"] = "unconscious", ["unconscius"] = "unconscious",
        ["unconcsious"] = "unconscious", ["uncoscious"] = "unconscious", ["unconsiouss"] = "unconscious",
        ["unresponsve"] = "unresponsive", ["unresposive"] = "unresponsive", ["unrepsonsive"] = "unresponsive",
        ["siezure"] = "seizure", ["siezures"] = "seizures", ["seizur"] = "seizure", ["sezure"] = "seizure", ["seazure"] = "seizure",
        ["seisure"] = "seizure", ["ceasure"] = "seizure", ["seizeure"] = "seizure", ["sizure"] = "seizure",
        ["anaphalaxis"] = "anaphylaxis", ["anaphylaxsis"] = "anaphylaxis", ["anafilaxis"] = "anaphylaxis",
        ["anaphalactic"] = "anaphylactic", ["anaphylatic"] = "anaphylactic", ["anaphylactick"] = "anaphylactic",
        ["alergic"] = "allergic", ["allergick"] = "allergic", ["alergy"] = "allergy", ["alergies"] = "allergies",
        ["sucidal"] = "suicidal", ["suicdal"] = "suicidal", ["suicidel"] = "suicidal", ["sucidial"] = "suicidal", ["suicidle"] = "suicidal",
        ["sucide"] = "suicide", ["suicde"] = "suicide", ["suiside"] = "suicide", ["suicied"] = "suicide",
        ["overdoze"] = "overdose", ["ovedose"] = "overdose", ["overdos"] = "overdose", ["overdossed"] = "overdosed",
        ["tempreture"] = "temperature", ["temprature"] = "temperature", ["temperture"] = "temperature", ["tempature"] = "temperature",
        ["temperatue"] = "temperature", ["temprture"] = "temperature", ["tempurature"] = "temperature", ["temperatur"] = "temperature",
        ["feaver"] = "fever", ["fevor"] = "fever", ["fver"] = "fever", ["fevr"] = "fever", ["feever"] = "fever", ["fevers"] = "fever",
        ["bleding"] = "bleeding", ["bleeing"] = "bleeding", ["bledding"] = "bleeding", ["bleading"] = "bleeding",
        ["bleedin"] = "bleeding", ["bleedign"] = "bleeding", ["bleeting"] = "bleeding",
        ["pregant"] = "pregnant", ["pregnet"] = "pregnant", ["prenant"] = "pregnant", ["pregnent"] = "pregnant",
        ["pregnat"] = "pregnant", ["pragnant"] = "pregnant", ["preggers"] = "pregnant", ["preggo"] = "pregnant", ["pregnantt"] = "pregnant",
        ["vomitting"] = "vomiting", ["vommiting"] = "vomiting", ["vomting"] = "vomiting", ["vommitting"] = "vomiting",
        ["vomitted"] = "vomited", ["vommited"] = "vomited",
        ["headach"] = "headache", ["hedache"] = "headache", ["headake"] = "headache", ["hedake"] = "headache", ["haedache"] = "headache",
        ["stif"] = "stiff", ["nek"] = "neck",
        ["collapsd"] = "collapsed", ["colapsed"] = "collapsed", ["collasped"] = "collapsed", ["colapse"] = "collapse",
        ["tounge"] = "tongue", ["tung"] = "tongue", ["throut"] = "throat", ["troat"] = "throat", ["thraot"] = "throat", ["throaght"] = "throat",
        ["swolen"] = "swollen", ["swollan"] = "swollen", ["sweling"] = "swelling", ["swellin"] = "swelling",
        ["atack"] = "attack", ["attak"] = "attack", ["attac"] = "attack", ["attck"] = "attack",
        ["stroak"] = "stroke", ["strok"] = "stroke",
        ["slured"] = "slurred", ["slurrd"] = "slurred", ["sluring"] = "slurring",
        ["dizy"] = "dizzy", ["dizzie"] = "dizzy",
        ["meningitus"] = "meningitis", ["menengitis"] = "meningitis", ["meningitas"] = "meningitis",
        ["sepsys"] = "sepsis", ["sepis"] = "sepsis",
        ["diarrhea"] = "diarrhoea", ["diarhea"] = "diarrhoea", ["diarrea"] = "diarrhoea", ["diarhoea"] = "diarrhoea",
        ["epipen"] = "epipen", ["epi"] = "epi",
    };

    public static string Normalize(string? message)
    {
        if (string.IsNullOrEmpty(message)) return "";
        // The app runs with InvariantGlobalization, where Unicode normalisation is not available:
        // full-width forms and Latin accents are folded by hand, combining marks dropped.
        var text = WellFormed(message);

        var sb = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(raw) == UnicodeCategory.NonSpacingMark) continue;
            var c = Fold(char.ToLowerInvariant(raw is >= '\uFF01' and <= '\uFF5E' ? (char)(raw - 0xFEE0) : raw));
            sb.Append(c switch
            {
                >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or ',' or ';' or ':' or '!' or '?' or '/' or '°' or '%' => c,
                '\'' or '\u2019' or '\u2018' or '\u201B' or '`' or '\u00B4' or '\u02BC' or '\u2032' => '\'',
                '\n' or '\r' or '\u2028' or '\u2029' => '.',
                _ => ' ',
            });
        }
        text = sb.ToString();

        text = DigitLetter.Replace(text, " ");
        text = DecimalComma.Replace(text, ".");
        text = CanNot.Replace(text, "can not");
        text = WontAint.Replace(text, m => m.Groups[1].Success ? "will not" : "is not");
        text = NotSuffix.Replace(text, "$1 not");
        text = IAm.Replace(text, "i am");
        text = PronounIs.Replace(text, "$1 is");
        text = Possessive.Replace(text, "");
        text = Have.Replace(text, " have");
        text = Are.Replace(text, " are");
        text = Will.Replace(text, " will");
        text = Would.Replace(text, " would");
        text = text.Replace('\'', ' ');
        text = Word.Replace(text, m => Words.TryGetValue(m.Value, out var w) ? w : m.Value);
        text = text.Replace("hay fever", "hayfever", StringComparison.Ordinal)
            .Replace("new born", "newborn", StringComparison.Ordinal)
            .Replace("heart burn", "heartburn", StringComparison.Ordinal)
            .Replace("over dose", "overdose", StringComparison.Ordinal)
            .Replace("epi pen", "epipen", StringComparison.Ordinal)
            .Replace("can not not", "can not", StringComparison.Ordinal);
        text = NeverLikeThis.Replace(text, "ever");
        return Spaces.Replace(text, " ").Trim();
    }

    private const string Accented = "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģìíîïĩīĭįıñńņňòóôõöøōŏőśŝşšţťùúûüũūŭůűųýÿŷźżžłřß";
    private const string Plain = "aaaaaaaaacccccddeeeeeeeeegggggiiiiiiiiinnnnooooooooossssttuuuuuuuuuuyyyzzzlrs";

    private static char Fold(char c)
    {
        if (c < '\u00C0') return c;
        var i = Accented.IndexOf(c, StringComparison.Ordinal);
        return i >= 0 ? Plain[i] : c == '\u2103' ? '°' : c;
    }

    /// <summary>Lone surrogates would make Unicode normalisation throw; they carry no meaning here.</summary>
    private static string WellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsSurrogate(s[i])) continue;
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            var sb = new StringBuilder(s.Length);
            for (var j = 0; j < s.Length; j++)
            {
                if (char.IsHighSurrogate(s[j]) && j + 1 < s.Length && char.IsLowSurrogate(s[j + 1])) { sb.Append(s[j]).Append(s[j + 1]); j++; }
                else if (!char.IsSurrogate(s[j])) sb.Append(s[j]);
            }
            return sb.ToString();
        }
        return s;
    }
}

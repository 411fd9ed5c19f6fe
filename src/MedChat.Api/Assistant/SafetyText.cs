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
        // texting style and more misspellings of the words the rules turn on
        ["r"] = "are", ["cn"] = "can", ["wen"] = "when", ["wat"] = "what", ["pls"] = "please", ["plz"] = "please", ["hve"] = "have",
        ["fr"] = "for", ["bc"] = "because", ["cuz"] = "because", ["coz"] = "because", ["gona"] = "going to", ["gunna"] = "going to",
        ["goin"] = "going", ["realy"] = "really", ["rly"] = "really", ["reely"] = "really", ["v"] = "very", ["hurst"] = "hurts", ["hurtin"] = "hurting",
        ["everywere"] = "everywhere", ["evrywhere"] = "everywhere", ["symptons"] = "symptoms", ["sever"] = "severe", ["severly"] = "severely",
        ["wakin"] = "waking", ["tooked"] = "took", ["tuk"] = "took", ["swallow"] = "swallow", ["breathin"] = "breathing", ["fitt"] = "fit", ["fiting"] = "fitting", ["fitin"] = "fitting",
        ["shakin"] = "shaking", ["jerkin"] = "jerking", ["twitchin"] = "twitching", ["respondin"] = "responding", ["bleedn"] = "bleeding",
        ["chesst"] = "chest", ["chst"] = "chest", ["ches"] = "chest", ["tite"] = "tight", ["tight"] = "tight", ["hart"] = "heart",
        ["brest"] = "breast", ["breastbone"] = "breastbone", ["stomache"] = "stomach", ["stomack"] = "stomach", ["stumach"] = "stomach",
        ["tummy"] = "tummy", ["tumy"] = "tummy", ["abdomin"] = "abdomen", ["testical"] = "testicle", ["testicals"] = "testicles",
        ["testicel"] = "testicle", ["testicule"] = "testicle", ["ketons"] = "ketones", ["keytones"] = "ketones", ["diabetes"] = "diabetes",
        ["diebetic"] = "diabetic", ["diabetik"] = "diabetic", ["diabettic"] = "diabetic", ["insulen"] = "insulin", ["insuline"] = "insulin",
        ["suger"] = "sugar", ["sugars"] = "sugar", ["shugar"] = "sugar", ["glucoze"] = "glucose", ["burnd"] = "burned", ["scolded"] = "scalded",
        ["scolding"] = "scalding", ["blisterd"] = "blistered", ["electricuted"] = "electrocuted", ["electracuted"] = "electrocuted",
        ["elecrocuted"] = "electrocuted", ["nubm"] = "numb", ["numm"] = "numb", ["paralised"] = "paralysed", ["paralized"] = "paralysed",
        ["dizzey"] = "dizzy", ["faintin"] = "fainting", ["vommit"] = "vomit", ["vomitin"] = "vomiting", ["throwin"] = "throwing",
        ["pukin"] = "puking", ["confussed"] = "confused", ["confuzed"] = "confused", ["drowsey"] = "drowsy", ["dowsy"] = "drowsy",
        ["preg"] = "pregnant", ["pg"] = "pregnant", ["contractons"] = "contractions", ["contactions"] = "contractions",
        ["misscarriage"] = "miscarriage", ["miscarrage"] = "miscarriage", ["miscarage"] = "miscarriage",
        ["paracetemol"] = "paracetamol", ["paracetomol"] = "paracetamol", ["parecetamol"] = "paracetamol", ["paracetamols"] = "paracetamol",
        ["pils"] = "pills", ["tablits"] = "tablets", ["tabs"] = "tablets", ["poisend"] = "poisoned", ["posioned"] = "poisoned",
        ["swalowed"] = "swallowed", ["swallowd"] = "swallowed", ["swollowed"] = "swallowed", ["batery"] = "battery",
        ["wanna"] = "want to", ["dnt"] = "do not", ["dont"] = "do not", ["nt"] = "not", ["didnt"] = "did not", ["cudnt"] = "could not",
        ["couldnt"] = "could not", ["wudnt"] = "would not", ["aint"] = "is not", ["hasnt"] = "has not", ["havnt"] = "have not",
        ["wasnt"] = "was not", ["isnt"] = "is not", ["wernt"] = "were not", ["shes"] = "she is", ["hes"] = "he is", ["thier"] = "their",
        ["strock"] = "stroke", ["stoke"] = "stroke", ["slurrin"] = "slurring", ["slurin"] = "slurring", ["droopy"] = "drooping",
        ["alergic"] = "allergic", ["alergick"] = "allergic", ["anaphylatic"] = "anaphylactic", ["anaphalatic"] = "anaphylactic",
        ["unconshus"] = "unconscious", ["unconcsious"] = "unconscious", ["colapsed"] = "collapsed", ["collasped"] = "collapsed",
        ["responsive"] = "responsive", ["respondng"] = "responding", ["breathless"] = "breathless", ["brethless"] = "breathless",
        // round 2: lay words and texting forms read as the word the rules know (synonym classes, not sentences)
        ["babys"] = "baby", ["babies"] = "baby", ["dads"] = "dad", ["mums"] = "mum", ["moms"] = "mom", ["nans"] = "nan", ["sons"] = "son",
        ["ticker"] = "heart", ["hearts"] = "heart", ["bluish"] = "blue", ["blueish"] = "blue", ["n"] = "and", ["jus"] = "just",
        ["teh"] = "the", ["bein"] = "being", ["waetrs"] = "waters", ["watres"] = "waters", ["ldader"] = "ladder", ["puoring"] = "pouring", ["sicked"] = "vomited", ["tlaking"] = "talking", ["compeltely"] = "completely", ["comlpetely"] = "completely", ["b4"] = "before",
        ["wiv"] = "with", ["throwin"] = "throwing", ["thrashing"] = "jerking", ["thrashed"] = "jerking", ["jolting"] = "jerking",
        ["unalived"] = "killed", ["ded"] = "dead", ["explodin"] = "exploding", ["nothin"] = "nothing", ["sumthin"] = "something",
        ["suicide"] = "suicide", ["suacide"] = "suicide", ["sucidal"] = "suicidal", ["suicidle"] = "suicidal",
    };

    /// <summary>
    /// Words the rules turn on, for the edit-distance pass: an unknown word one typo (two, for long
    /// words of 11 letters or more) away from one of these, with the same first letter, is read as it. Curated so that no
    /// ordinary English word is read as a key word (<see cref="NotTypos"/> lists the real words that are one typo away).
    /// </summary>
    private static readonly string[] KeyWords =
    [
        "abdomen", "abdominal", "allergic", "anaphylactic", "anaphylaxis", "appendicitis", "appendix", "bleeding", "blistered", "blisters",
        "breathe", "breathing", "breathless", "collapsed", "confused", "contractions", "convulsion", "convulsing", "diabetic",
        "drowsy", "electrocuted", "epilepsy", "epileptic", "glucose", "haemorrhage", "headache", "hypoglycaemia", "insulin",
        "ketoacidosis", "ketones", "meningitis", "miscarriage", "overdose", "overdosed", "paracetamol", "paralysed", "pregnancy", "pregnant",
        "scrotum", "seizure", "seizures", "seizing", "stomach", "struggling", "suicidal", "suicide", "swallowed", "swelling", "swollen",
        "temperature", "testicle", "testicles", "tightness", "unconscious", "unresponsive", "vomiting", "vomited", "wheezing",
    ];

    /// <summary>Real words one edit from a key word: never "corrected".</summary>
    private static readonly HashSet<string> NotTypos = new(StringComparer.Ordinal)
    {
        "breach", "breathes", "breeding", "breather", "bleeping", "blending", "bleaching", "pleading", "sealing", "sedating",
        "stomachs", "swelled", "drowse", "insular", "diabetics", "suicides", "confuses", "confuse", "collapse", "collapses", "choking",
        "blister", "blisters", "swallow", "swallows", "testicle", "ketone", "abdomens", "overdoses", "overdosing", "headaches", "seizures",
        "pregnancies", "emergencies", "temperatures", "bleeding", "breathing", "strutting", "strangling", "struggled", "swollen", "swelling",
        "smelling", "spelling", "selling", "shelling", "overdone", "cooking", "conclusion", "consulting", "seining", "sewing", "breathy",
        "breath", "breaths", "breathed", "blustered", "blasters", "overdoes", "swilling", "wheeling", "bleed", "bleeds", "seized", "stomached",
    };

    private static readonly HashSet<string> KeyWordSet = new(KeyWords, StringComparer.Ordinal);

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
        text = Word.Replace(text, m => Words.TryGetValue(m.Value, out var w) ? w : Fuzzy(m.Value));
        text = text.Replace("hay fever", "hayfever", StringComparison.Ordinal)
            .Replace("new born", "newborn", StringComparison.Ordinal)
            .Replace("heart burn", "heartburn", StringComparison.Ordinal)
            .Replace("over dose", "overdose", StringComparison.Ordinal)
            .Replace("epi pen", "epipen", StringComparison.Ordinal)
            .Replace("a hole packet", "a whole packet", StringComparison.Ordinal).Replace("a hole bottle", "a whole bottle", StringComparison.Ordinal)
            .Replace("a hole box", "a whole box", StringComparison.Ordinal).Replace("a hole pack", "a whole pack", StringComparison.Ordinal)
            .Replace("can not not", "can not", StringComparison.Ordinal);
        text = NeverLikeThis.Replace(text, "ever");
        return Spaces.Replace(text, " ").Trim();
    }

    /// <summary>A key word this word is a likely typo of, or the word itself.</summary>
    private static string Fuzzy(string word)
    {
        if (word.Length < 6 || KeyWordSet.Contains(word) || NotTypos.Contains(word)) return word;
        var allowed = word.Length >= 11 ? 2 : 1;
        foreach (var key in KeyWords)
        {
            if (key[0] != word[0] || Math.Abs(key.Length - word.Length) > allowed) continue;
            if (Distance(word, key, allowed) <= allowed) return key;
        }
        return word;
    }

    /// <summary>Optimal string alignment distance (a swap of two neighbours is one edit), capped: stops once every path exceeds <paramref name="cap"/>.</summary>
    private static int Distance(string a, string b, int cap)
    {
        Span<int> prev2 = stackalloc int[b.Length + 1];
        Span<int> prev = stackalloc int[b.Length + 1];
        Span<int> cur = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            var best = cur[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = Math.Min(d, prev2[j - 2] + 1);
                cur[j] = d;
                best = Math.Min(best, d);
            }
            if (best > cap) return cap + 1;
            var t = prev2; prev2 = prev; prev = cur; cur = t;
        }
        return prev[b.Length];
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

using System.Text.RegularExpressions;

namespace MedChat.Api.Assistant;

/// <summary>
/// One normalised message and the scope rules that decide whether a symptom phrase found in it is
/// actually asserted: not denied ("no chest pain"), not history ("had a stroke in 2019"), not a
/// question about information ("what are the signs of a stroke") and not a hypothetical future
/// ("if I get chest pain again"). Scope is the clause: punctuation and "but", "however", "and"…
/// end it, so "no fever, but a stiff neck" still finds the stiff neck.
/// </summary>
internal sealed class SafetyScan
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>Clause ends. A full stop between digits ("38.5") is a decimal point, not an end.</summary>
    private static readonly Regex ClauseBreak = new(
        @"(?<!\d)\.|\.(?!\d)|[,;:!?]|\b(?:but|however|although|though|yet|except|and|whereas|while|then|apart from|other than that)\b",
        Options);

    private static readonly Regex SentenceBreak = new(@"(?<!\d)\.|\.(?!\d)|[;!?]", Options);

    /// <summary>
    /// Denial cues (NegEx-style) looked for in the last few words before a symptom. "not sure",
    /// "no idea", "can not walk without…" and "does not stop" express doubt or persistence, not
    /// absence, so they are carved out: sensitivity first.
    /// </summary>
    private static readonly Regex Negation = new(
        @"\b(?:no(?! (?:idea|clue|doubt|matter|one|wonder|way|reason to live|point|longer sure))"
        + @"|(?<!\b(?:can|could) )not(?! (?:sure|certain|only|just|know\w*|(?>think\w*)(?! (?:of|about)\b)|believe|want to (?:worry|bother|overreact|panic|make a fuss|waste)|mean to|stop\w*|able|quite|too|even|really sure|yet sure|because|helping|working))"
        + @"|never|denies|denied|deny|denying|(?<!\b(?:can|could) not(?: \w+){1,5} )without|none|nor|negative for|free of|free from|absence of|ruled out|no longer)\b",
        Options);

    /// <summary>The same clause talks about the past or someone else's past, not what is happening now.</summary>
    private static readonly Regex History = new(
        @"\b(?:history of|family history|years? ago|last year|months? ago|in the past|previous(?:ly)?|used to|(?<!since )last month|(?<!since )last (?:week|summer|winter|spring|autumn|christmas)|as a (?:child|kid|baby|teenager)|when (?:i|he|she) was (?:young|a child|little|a kid|a teenager|a baby)|back in \d{4}|in (?:19|20)\d\d|died (?:of|from)|passed away|(?:repeat )?prescription|refill|well controlled|under control|seizure free)\b",
        Options);

    /// <summary>Asking about a condition rather than reporting it.</summary>
    private static readonly Regex Informational = new(
        @"\b(?:(?:what|which|how|know|learn|tell me|list)\b(?: \w+){0,3} (?:the )?(?:warning )?(?:signs?|symptoms?|causes?|risks?) (?:of|for)|prevent\w*|prevention|reduce (?:my |the |his |her )?(?:risk|chance)|(?:at )?risks? of|chances? of|likelihood of|vaccin\w*|jab|leaflet|article|first aid course|training|documentary|essay|homework|assignment|exam|revision|lecture"
        + @"|(?:reading|read|learning|learnt|learned|heard|studying|watching|watched) (?:up )?about|(?:book|article|leaflet|website|internet|google|nhs website|teacher|lecturer) (?:\w+ )?says?|(?:film|movie|tv show|programme|program|episode|series|novel|story|video|documentary|play) (?:\w+ ){0,3}(?:where|about|in which|says)|a scene (?:where|in which)|in a (?:film|movie|show|book|game)|(?:what is|what are|tell me|know) the (?:dose|dosage|doses) of)\b",
        Options);

    /// <summary>
    /// A sentence that ends in "?" and asks what a condition is like or what to do about it ("what does
    /// anaphylaxis look like?", "the difference between a panic attack and a heart attack?"): the
    /// symptom words in it are the topic, not a report. Only a question sentence, so "what does a heart
    /// attack feel like, my chest is crushing" without a "?" still counts.
    /// </summary>
    private static readonly Regex AskingAbout = new(
        @"\b(?:difference between|what (?:does|do|would|did) (?:a |an |the )?(?:\w+ ){0,3}(?:look|feel|sound) like|how (?:do|can|would|should) (?:i|you|we|one) (?:know|tell|spot|recognise|recognize|prevent)|what (?:should|do|would) (?:you|one) do (?:if|when) (?:someone|somebody|a person|people)|how likely|what questions|school project|how long does it take)\b",
        Options);

    /// <summary>"What's the difference between a heart attack and a cardiac arrest", with or without a "?".</summary>
    private static readonly Regex ComparisonQuestion = new(@"^ ?(?:what is|whats|what are|how do you tell|how can you tell|how do i tell) the difference between\b", Options);

    /// <summary>Learning or preparing, in the clause before the symptom ("a fear of choking", "how to use the epipen").</summary>
    private static readonly Regex Preparing = new(
        @"\b(?:how to(?: use(?: (?:the|an?|my|his|her))?)?$|(?:get|order|collect) (?:a |another |some )?(?:spare|new|replacement|repeat|extra)$|(?:glass|tumbler) test for|what (?:should|do|would) (?:you|one) do if (?:someone|somebody|a person)|(?:read|heard|saw) that|(?:fear|phobia) of|(?:prevention|awareness) (?:charity|week|month|campaign)|charity (?:run|walk|event)|is it true|in hospital (?:after|with|for|recovering)|recovering from|diagnosed with|(?:got|had) (?:it )?on holiday last)\b",
        Options);

    /// <summary>"If I get chest pain again…": a future onset, asked about in advance.</summary>
    private static readonly Regex Hypothetical = new(
        @"^(?:what (?:if|happens if|should (?:i|we) do if|do (?:i|we) do if)|if|in case|in the event)\b(?: \w+){0,3} (?:ever )?(?:gets?|got|develops?|starts?|starting|experiences?|notices?|feel|ever (?:has|have|had))(?: (?:a|an|any|some|more|again))?$",
        Options);

    /// <summary>After a symptom in the same sentence: it has stopped.</summary>
    private static readonly Regex Resolution = new(
        @"\b(?<!\bnot (?:yet )?)(?:went away|gone away|(?:has|is) gone(?= *(?:$|[,;:]| now| away| completely))|gone now|it stopped|has stopped|stopped now|passed|settled|resolved|eased(?: off)?|better now|fine now|fine right now|okay now|ok now|okay right now|ok right now|passes|disappeared|subsided|not happening now|not happening at the moment|easing|easing off|getting better|improving|none now|none at rest|goes (?:away )?within (?:a |about )?(?:minute|few minutes|couple of minutes|\w+ minutes?)|no pain now|no more pain|all good now|(?:he|she|they) (?:is|are) (?:fine|ok|okay|absolutely fine|totally fine|completely fine)(?! (?:apart|except|but))|(?:playing|plying|eating|running around)(?: \w+){0,4} (?:normally|happily|as normal)|(?:he|she) (?:is|has) been fine|fine since|came round (?:straight away|in seconds)|was fine|back to (?:normal|his normal|her normal|himself|herself)|acting normal\w*|seems (?:totally |completely |absolutely )?fine now)\b",
        Options);

    /// <summary>"Is chest pain always a heart attack?": a general question with nobody in it.</summary>
    private static readonly Regex QuestionOpening = new(@"^(?:is|are|does|do|can|could|should|will|would|why|how|when)\b", Options);

    private static readonly Regex Person = new(
        @"\b(?:i|me|my|mine|im|he|him|his|she|her|they|them|their|we|our|us|you|your|son|daughter|dad|father|mum|mom|mother|baby|husband|wife|partner|friend|brother|sister|child|kid|grandma|grandad|grandpa|nan|boyfriend|girlfriend)\b",
        Options);

    /// <summary>Right after a symptom: talking about its risk rather than having it ("my chest pain risk").</summary>
    private static readonly Regex RiskAfter = new(@"^ (?:risks?|risk factors?)\b|^ (?:the )?(?:tv|telly|news|youtube|casualty)\b(?! remote)|^(?: \w+){0,2} (?:on|in) (?:the )?(?:tv|telly|news|film|movie|youtube|a video|a show|a programme|a documentary|casualty|grey anatomy)\b", Options);

    private static readonly Regex Recurrence = new(@"\b(?:came back|back again|returned|still|again now|getting worse|worse|keeps? coming back)\b", Options);

    private readonly int[] _clauseStarts;
    private readonly int[] _sentenceEnds;

    public SafetyScan(string normalized)
    {
        Text = normalized;
        _clauseStarts = [0, .. ClauseBreak.Matches(normalized).Select(m => m.Index + m.Length)];
        _sentenceEnds = [.. SentenceBreak.Matches(normalized).Select(m => m.Index), normalized.Length];
    }

    public string Text { get; }

    /// <summary>The first asserted match of the pattern, or null.</summary>
    public Match? Find(Regex pattern)
    {
        for (var m = pattern.Match(Text); m.Success; m = m.NextMatch())
            if (Asserted(m)) return m;
        return null;
    }

    public bool Has(Regex pattern) => Find(pattern) is not null;

    /// <summary>
    /// Each pattern has an asserted match in one and the same sentence: for findings that only mean
    /// something together ("severe" + "pain" + "stomach"), not scattered over a long message.
    /// </summary>
    public bool SameSentence(params Regex[] patterns)
    {
        var start = 0;
        foreach (var end in _sentenceEnds)
        {
            if (end > start && patterns.All(p => FindIn(p, start, end)))
                return true;
            start = end + 1;
        }
        return false;
    }

    private bool FindIn(Regex pattern, int start, int end)
    {
        for (var m = pattern.Match(Text, start, end - start); m.Success; m = m.NextMatch())
            if (Asserted(m)) return true;
        return false;
    }

    /// <summary>How many asserted matches of the pattern the message has.</summary>
    public int Count(Regex pattern)
    {
        var n = 0;
        for (var m = pattern.Match(Text); m.Success; m = m.NextMatch())
            if (Asserted(m)) n++;
        return n;
    }

    /// <summary>Any match, denied or not: for context such as "pregnant" that a denial elsewhere does not remove.</summary>
    public bool Mentions(Regex pattern) => pattern.IsMatch(Text);

    /// <summary>The symptom stopped later in the same sentence ("… but it went away") and did not come back.</summary>
    public bool ResolvedAfter(Match m)
    {
        var end = _sentenceEnds[LowerBound(_sentenceEnds, m.Index + m.Length)];
        var rest = Text[(m.Index + m.Length)..end];
        return Resolution.IsMatch(rest) && !Recurrence.IsMatch(rest);
    }

    private bool Asserted(Match m)
    {
        var start = ClauseStart(m.Index);
        var clauseEnd = ClauseEnd(m.Index + m.Length);
        var prefix = Text[start..m.Index].Trim();
        if (Denied(prefix)) return false;
        if (Hypothetical.IsMatch(prefix)) return false;
        if (Informational.IsMatch(prefix)) return false;
        if (Preparing.IsMatch(prefix)) return false;
        if (InQuestionAbout(m)) return false;
        if (RiskAfter.IsMatch(Text[(m.Index + m.Length)..clauseEnd])) return false;
        if (QuestionOpening.IsMatch(prefix) && Text.EndsWith('?') && !Person.IsMatch(Text)) return false;
        return !History.IsMatch(Text[start..clauseEnd]);
    }

    private bool InQuestionAbout(Match m)
    {
        var i = LowerBound(_sentenceEnds, m.Index + m.Length);
        var end = _sentenceEnds[i];
        var start = i == 0 ? 0 : _sentenceEnds[i - 1] + 1;
        if (ComparisonQuestion.IsMatch(Text[start..end])) return true;
        if (end >= Text.Length || Text[end] != '?') return false;
        // The question phrase and the symptom must meet without a comma between them, so "how do I
        // know if it's a stroke, her face is drooping?" still reads the drooping face.
        for (var q = AskingAbout.Match(Text, start, end - start); q.Success; q = q.NextMatch())
        {
            var from = Math.Min(q.Index + q.Length, m.Index);
            var to = Math.Max(q.Index, m.Index + m.Length);
            if (Text.AsSpan(from, Math.Max(0, to - from)).IndexOfAny(',', ':') < 0) return true;
        }
        return false;
    }

    private int ClauseStart(int index)
    {
        var i = UpperBound(_clauseStarts, index) - 1;
        return _clauseStarts[Math.Max(i, 0)];
    }

    private int ClauseEnd(int index)
    {
        var i = UpperBound(_clauseStarts, index);
        if (i >= _clauseStarts.Length) return Text.Length;
        // A clause start is the end of its break; walk back over the break text itself.
        return Math.Max(index, Math.Min(Text.Length, _clauseStarts[i]));
    }

    /// <summary>A denial cue among the last six words before the symptom (the whole clause is searched so the carve-outs can look behind).</summary>
    private static bool Denied(string prefix)
    {
        var windowStart = 0;
        var words = 6;
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != ' ') continue;
            if (--words == 0) { windowStart = i; break; }
        }
        for (var n = Negation.Match(prefix); n.Success; n = n.NextMatch())
            if (n.Index >= windowStart) return true;
        return false;
    }

    private static int UpperBound(int[] sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int LowerBound(int[] sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return Math.Min(lo, sorted.Length - 1);
    }
}

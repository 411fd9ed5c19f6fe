using System.Globalization;
using System.Text.RegularExpressions;

namespace MedChat.Api.Assistant;

/// <summary>
/// The triage rule table. Each pattern runs over text already normalised by <see cref="SafetyText"/>
/// and only counts when <see cref="SafetyScan"/> finds it asserted. docs/safety.md gives the
/// source of each rule; tests/MedChat.Tests/Assistant/vignettes.tsv is how they are measured.
/// </summary>
internal static class SafetyRules
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>A symptom phrase that alone sets a level. A resolved one ("… but it went away") drops to <see cref="ResolvedId"/>.</summary>
    /// <summary>A transient urgent symptom that has passed (<see cref="DropWhenResolved"/>) is left to the assistant.</summary>
    internal sealed record Rule(string Id, TriageLevel Level, Regex Pattern, string? ResolvedId = null, bool DropWhenResolved = false);

    // Placeholders keep the patterns readable: {p} a possessive or article, {self} a reflexive pronoun,
    // {w} any one word.
    private static Regex P(string pattern) => new(
        @"\b(?:" + pattern
            .Replace("{p}", "(?:my|his|her|their|the|your|our|its|a|an)", StringComparison.Ordinal)
            .Replace("{self}", "(?:myself|himself|herself|themselves|themself|yourself)", StringComparison.Ordinal)
            .Replace("{drug}", Drugs, StringComparison.Ordinal)
            .Replace("{gap}", @"[^.;!?]{0,90}?", StringComparison.Ordinal)
            .Replace("{w}", @"\w+", StringComparison.Ordinal) + @")\b",
        Options);

    private const string Drugs = @"(?:sertraline|citalopram|fluoxetine|mirtazapine|propranolol|amitriptyline|quetiapine|olanzapine|zopiclone|pregabalin|co ?codamol|naproxen|calpol|nurofen|pills|tablets|meds|medications?|medicines?|capsules|antidepressants|painkillers|paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|insulin|sleeping (?:pills|tablets)|iron tablets|co codamol|codeine|digoxin|heart tablets|blood pressure tablets|tramadol|opioids|oxycodone|methadone|diazepam|gabapentin|sertraline|citalopram|fluoxetine|amitriptyline|lithium|warfarin|gummies)";

    // ---- Emergency phrases -------------------------------------------------------------------

    private static readonly Regex ChestPain = P(
        @"chest (?:pains?|aches?|aching|tightness|pressure|discomfort|heaviness|hurts?|hurting|is (?:hurting|tight|heavy|burning|painful|killing)|(?:feels?|felt) (?:very |really |so |a bit |quite )?(?:tight|heavy|crushed|squeezed|painful|like (?:an? |there|someone|something|it|i|my))|(?:got |gone |went |getting |goes )?tight)"
        + @"|(?:pains?|tightness|pressure|heaviness|discomfort|ache|squeezing|crushing|burning|stabbing)(?: {w}){0,3} (?:in|across|on) (?:the |{p} )?(?:middle of (?:the |{p} )?|centre of (?:the |{p} )?|left side of (?:the |{p} )?)?chest"
        + @"|(?:tight|heavy|crushing|painful|squeezing|aching) chest|(?:weight|pressure|elephant|something heavy|tight band|band|vice|belt) (?:{w} ){0,2}(?:on|around|round|across|sitting on) (?:{p} )?chest|(?:clutching|clutches|clutched|gripping|grabbing|holding) (?:{p} )?chest"
        + @"|chest(?! infection| x ?ray| scan| drain| hair| size| muscles?)(?: {w}){0,3} (?:hurt\w*|aching|aches?|tight\w*|painful|heavy|heaviness|pains?|pressure|burning)"
        + @"|(?:someone|something|somebody|a weight|an elephant|a brick|a ton of bricks) (?:{w} ){0,2}(?:sitting|standing|pressing|pushing|squeezing|crushing|stood|sat) (?:on |down on )?(?:{p} )?chest"
        + @"|chest (?:feels?|felt|is|has been) (?:{w} )?(?:weird|strange|funny|odd|wrong|not right)|(?:pain|pressure|crushing|tight\w*|heavy|heaviness|ache|aching|squeez\w*|burning)(?: {w}){0,3} (?:in|on|behind|across|under|around) (?:{p} |the )?(?:breast ?bone|sternum)|(?:breast ?bone|sternum) (?:{w} ){0,2}(?:hurts?|pain|aching|tight|heavy)"
        + @"|(?<!(?:nearly|almost|practically) (?:had|have|having|gave me|give me|giving me|gave him|gave her|gave us) a |(?:gave|give|giving|gives) (?:me|him|her|us|them) a )heart attack|(?:angina|gtn) (?:attack|spray (?:is not|does not|did not|not|has not) (?:working|help\w*))"
        + @"|(?:pain|ache|aching|tingling|numbness|heaviness)(?: {w}){0,3} (?:spreading|spreads|spread|radiating|radiates|going|goes|moving|shooting|shoots) (?:down|up|into|to|through) (?:{p} )?(?:left )?(?:arm|jaw|neck|shoulder|back)");

    private static readonly Regex StrokeSigns = P(
        @"(?:face|mouth|smile|lip) (?:(?:is|has|went|has gone|seems|looks|started)\s)?(?:suddenly )?(?:droop\w*|dropp?ed|dropping|fallen|sagg\w*|lopsided|crooked|gone (?:to one side|funny|numb)|numb on one side)"
        + @"|droop\w* (?:on )?(?:one side of )?(?:{p} )?(?:face|mouth|smile)"
        + @"|(?:numb\w*|weak\w*|paraly\w*|droop\w*|tingling|dead|heavy)(?: {w}){0,3} (?:on )?(?:one side|(?:the )?(?:left|right) side of (?:{p} )?(?:body|face))"
        + @"|one side of (?:{p} )?(?:face|mouth|body) (?:is |has |went |has gone |feels )?(?:droop\w*|numb\w*|weak\w*|paraly\w*|fallen|dropped|dead)"
        + @"|(?:sudden\w* )?(?:weakness|numbness|paralysis) (?:in|of|down) (?:{p} )?(?:left|right|one) (?:side|arm|leg)"
        + @"|(?:can not|could not|unable to|not able to) (?:lift|raise|move|feel|hold up) (?:{p} )?(?:left |right )?(?:arm|leg|hand|side)\b"
        + @"|(?:left|right|one) (?:arm|leg|hand|side)(?: and (?:{p} )?(?:arm|leg|hand|face))? (?:is |are |went |has gone |have gone |feels |feel |suddenly )*(?:weak|numb|dead|paraly\w*|limp|floppy)"
        + @"|(?:arm|leg|hand) (?:{w} )?(?:just |suddenly )?(?:went|gone|has gone|going|goes|is going) (?:all |really |very )?(?:weak|numb|dead|floppy|limp|heavy)|one side of (?:{p} )?(?:body|face) (?:{w} ){0,2}(?:will not|would not|does not|is not|not) (?:work\w*|move\w*)|(?:smile|face|mouth) (?:{w} ){0,2}(?:wonky|uneven|slanted|lopsided|twisted|crooked|gone weird)"
        + @"|slurr\w*|speech (?:is |has |went |has gone |became |sounds )?(?:suddenly |all )?(?:slurred|garbled|jumbled|strange|weird|confused|gibberish|not making sense|funny)"
        + @"|(?:can not|could not|unable to|not able to|struggling to|trouble|difficulty) (?:speak|speaking|talk|talking) (?:properly|clearly|at all|normally|right)"
        + @"|(?:can not|could not|unable to|struggling to|trouble) (?:get (?:{p} |the )?words out|find (?:the |{p} )?words)|talking (?:gibberish|nonsense|funny|strangely)|words (?:are |came out |coming out )?(?:jumbled|mixed up|all wrong|garbled)"
        + @"|sudden\w*(?: {w}){0,2} (?:loss of (?:vision|sight|balance)|vision loss|blindness|double vision|blind|can not see)"
        + @"|(?:lost|losing|loss of) (?:the )?(?:vision|sight) in (?:one|{p}|the|left|right)(?: {w})? eye"
        + @"|(?:vision|sight|eyesight) (?:went|gone|has gone|is|became|suddenly|going|turned) (?:{w} )?(?:double|black|dark)|(?:falling|leaning|veering|drifting|tilting) (?:over )?to one side"
        + @"|(?:suddenly|all of a sudden) (?:{w} ){0,2}(?:can not see|blind|seeing double|can not walk|unable to walk|fell over and can not)"
        + @"|(?<!(?:heat|sun|brush|back|breast|golf|swimming|pen|key) )stroke(?! of (?:luck|genius))|\btia\b|mini stroke");

    private static readonly Regex SuddenSevereHeadache = P(
        @"worst headache (?:of|in) (?:{p} )?life|thunderclap|headache (?:{w} ){0,2}(?:the )?worst (?:ever|of (?:{p} )?life|i have ever had|she has ever had|he has ever had)|worst headache (?:ever|i have ever had)"
        + @"|(?:sudden|suddenly)(?: {w}){0,2} (?:severe|excruciating|explosive|blinding|terrible|worst) (?:headache|head pain|pain in (?:{p} )?head)"
        + @"|headache (?:came on|come on|started|hit|happened) (?:{w} ){0,2}(?:suddenly|like a thunderclap|out of nowhere|like being hit|all of a sudden|in seconds|instantly)|like (?:being|i have been|i had been|i was|she was|he was|someone) (?:hit|struck|whacked|kicked|smacked) (?:{w} ){0,4}(?:head|bat|hammer|brick)|like being hit (?:on|in) the head");

    private static readonly Regex BreathingDifficulty = P(
        @"(?:(?:wheez\w*|breathless\w*|short of breath|out of breath|puffed)(?: {w}){0,4} (?:can not|could not|barely|hardly|unable to) (?:speak|talk|say|finish))|(?:can not|could not) (?:finish|complete) (?:{p} )?sentences?|breathless (?:{w} )?(?:sitting|at rest|resting|lying|doing nothing)|short of breath (?:{w} )?(?:sitting|at rest|resting|lying|doing nothing)"
        + @"|(?:can not|could not|unable to|not able to|hardly|barely|struggling to|struggle to|fighting to) (?:really |properly |even )?(?:breathe(?! through (?:{p} )?nose)|breath(?! through (?:{p} )?nose)|get (?:a |my |his |her |their |any )?breath|catch (?:my |his |her |their |a )?breath|get (?:any |enough )?air)"
        + @"|(?:difficulty|difficult|trouble|problems?|hard|struggling|struggle|laboured|labored) (?:with )?breathing(?! through (?:{p} )?nose)"
        + @"|(?:hard|difficult|impossible) to (?:breathe|breath|get air)(?! through (?:{p} )?nose)"
        + @"|breathing (?:is |has been |has become |got |getting |seems )?(?:very |really |so )?(?:difficult|hard|laboured|labored|rapid|shallow and fast|very fast|weird and fast|noisy and fast)"
        + @"|gasping|fighting for (?:breath|air)|struggling for (?:breath|air)|not getting (?:enough )?air|suffocat\w*|choking(?! on (?:all )?(?:this|the|my|these|that) (?:paperwork|work|emails|admin|forms|bills|homework))"
        + @"|not breathing (?:properly|right|normally|well)|breathing (?:is )?not (?:right|normal)"
        + @"|(?:lips|face|skin|tongue) (?:are |is |has |have |look |looks )?(?:turned |turning |gone |going |a bit |slightly )?(?:blue|grey|gray)|blue (?:lips|face|tinge)|blue (?:around|round) (?:{p} )?(?:lips|mouth)|turning blue|(?:going|gone|turned|went|is) (?:a bit |slightly |all )?blue(?! (?:badge|light|eyes))|pink fro\w*|frothy (?:pink )?(?:sputum|phlegm|spit)|coughing up (?:pink )?froth"
        + @"|severe(?:ly)? (?:short of breath|breathless|asthma attack)|(?:inhaler|puffer|nebuliser|nebulizer) (?:is not|not|does not|did not|is not really) (?:working|help\w*)"
        + @"|too (?:breathless|out of breath|short of breath) to (?:speak|talk|walk)|can not (?:speak|talk|finish|say) (?:in )?(?:full |whole |a full |a whole )?sentences?"
        + @"|ribs? (?:are |is )?(?:sucking|pulling) in|(?:chest|skin|tummy) (?:is )?(?:sucking|pulling) in|grunting|wheez\w* (?:and|so) (?:{w} ){0,2}(?:can not|struggling|blue)");

    private static readonly Regex NotBreathing = P(
        @"(?:not|stopped|stop|no longer|is not|has stopped) breathing(?! (?:properly|well|right|normally|through))(?!(?: \w+){0,5} (?:in|during) (?:his|her|my|their) sleep)|(?:does not|did not) (?:seem to )?breathe|no pulse|no heartbeat|cardiac arrest|heart (?:has )?stopped|(?:need|needs|doing|give|giving|start|started|starting) cpr");

    private static readonly Regex Anaphylaxis = P(
        @"anaphyla\w*|epipen|adrenaline (?:pen|auto ?injector|injector|shot|injection)|auto ?injector|severe allergic reaction"
        + @"|(?:throat|tongue|airway) (?:is |feels |has |keeps |started |starting )?(?:{w} )?(?:swell\w*|swollen|closing|tight\w*|puffing up|puffed up|blocked)"
        + @"|swell\w* (?:of|in) (?:{p} )?(?:throat|tongue)|(?:swollen|swelling) (?:throat|tongue)|tongue (?:{w} ){0,2}(?:thick|huge|big|fat|massive)");

    private static readonly Regex SevereBleeding = P(
        @"bleed\w* (?:very |really |so |quite )?(?:heavily|a lot|badly|profusely|everywhere|like crazy|non ?stop|loads|lots|uncontrollably|heavy|really bad|through)"
        + @"|(?:heavy|severe|massive|uncontrolled|uncontrollable|major|serious|profuse) (?!menstrual|period)(?:{w} )?bleed\w*"
        + @"|(?:will not|does not|can not|would not|is not|not) stop(?:ped)? bleeding|bleeding (?:will not|does not|would not|has not|did not|not|is not) (?:{w} )?stop\w*|can not stop (?:the |{p} )?bleed\w*|bleeding (?:{w} ){0,5}(?:and )?(?:it |he |she )?(?:will not|would not|does not|has not|is not|not) (?:{w} )?stop\w*"
        + @"|blood (?:is |keeps )?(?:pouring|gushing|spurting|squirting|everywhere|all over)|(?:pouring|gushing|spurting|squirting) (?:with |out )?blood|lots of blood|a lot of blood|so much blood|pool of blood|loads of blood"
        + @"|soak\w* (?:through )?(?:{w} ){0,3}(?:with|in) blood|blood (?:soaked|soaking)"
        + @"|(?<!subconjunctival )ha?emorrhag\w*|stabbed|stab wound|gunshot|been shot|severed|amputat\w*");

    private static readonly Regex VomitingBlood = P(
        @"(?:vomit\w*|threw up|thrown up|throwing up|been sick|was sick|puk\w*)(?: {w}){0,6} (?:bright red |dark )?blood(?! (?:test|pressure|sugar|results))|(?:vomit\w*|throw\w* up|threw up|being sick|sick(?:ing)? up|puk\w*) (?:{w} ){0,2}blood|blood in (?:{p} )?(?:vomit|sick)|black (?:tarry |tar like |sticky )?(?:poo|poop|stool|stools|faeces|feces)|tarry (?:poo|stool)|(?:poo|poop|stool|stools) (?:is |are |was |has been |looks )?(?:black|tarry|like tar)|coffee grounds?");

    private static readonly Regex SuicidalIntent = P(
        @"(?:kill|killing|kil|hang|hanging|shoot|shooting|drown|drowning|poison|poisoning|end) {self}"
        + @"|(?:going to|gonna|will|want to|about to|planning to|plan to) (?:take|swallow|down) (?:all|every one of|the whole|a whole|all of) (?:{p} |the )?(?:{w} )?{drug}|end\w* (?:it all|everything)|ending (?:{p} )?life|planning how (?:i|to) (?:would |could |will |might )?(?:do it|end it|kill|die)|disappear forever|(?:pills|tablets) (?:are )?in front of me|have the (?:pills|tablets|rope|knife) (?:ready|here|in front of me|with me)|goodbye forever|final goodbye"
        + @"|suicid\w*|end (?:it all|{p} (?:own )?life|(?:my|his|her|their) life|everything)|take (?:my|his|her|their) (?:own )?life|taking (?:my|his|her|their) (?:own )?life"
        + @"|(?:want|wants|wanted|wanting|going|planning|plan|ready) (?:\w+ )?to die(?! (?:of|from) (?:boredom|embarrassment|laughter|shame|cringe|old age))|want to be dead|(?:i|he|she) (?:would|will) be better off dead|better off (?:dead|without me|if i (?:was|were) (?:gone|dead))"
        + @"|no (?:reason|point) (?:to live|in living|living|going on)|(?:do not|does not|not) want to (?:live|be alive|be here|exist|wake up)(?! (?:in|with|like that) )"
        + @"|wish (?:i|he|she) (?:was|were|could be) dead|wish (?:i|he|she) (?:would not|did not|could not|never) wake up"
        + @"|(?:can not|could not) go on (?:living|anymore|any more|like this)|(?:suicide|goodbye) (?:note|letter)s?|goodbye (?:messages|texts)"
        + @"|(?:plan|plans|planning|planned) to (?:end|kill|take)|(?:going to|want to|will|about to|ready to) end it(?! (?:with|between|off))|not worth living|life is not worth|(?:overdose|od) on purpose|jump (?:off|in front of)|(?:bought|got|have) (?:a )?(?:rope|noose)");

    private static readonly Regex SelfHarm = P(
        @"self ?harm\w*|harm\w* {self}|(?:cutting|cut|burning|burnt|burned|scratching|scratched) {self}(?! (?:shaving|cooking|chopping|on |while|when|by accident|accidentally|in the kitchen|at work|playing|gardening|with a knife while|slicing|opening))"
        + @"|(?:cut|cutting|slit|slashed|slashing) (?:{p} )?(?:own )?wrists?|hurt\w* {self} (?:on purpose|deliberately|again|intentionally)|(?:thoughts? (?:of|about)|urges? to|want to|wants to|going to|feel like) (?:hurt\w*|harm\w*|cut\w*|burn\w*) {self}");

    private static readonly Regex Overdose = P(
        @"overdos\w*|(?:took|taken|take|taking|swallowed|ate|had)(?: {w}){0,3} too many|(?:took|taken|ate|eaten|swallowed|drank|drunk|had) (?:a |the |an )?(?:whole|entire|full) (?:bottle|packet|box|pack|strip|sheet|tub|jar)"
        + @"|(?:took|taken|ate|eaten|swallowed|had) (?:{w} ){0,2}(?:\d\d+|twenty|thirty|forty|fifty|a handful of|handfuls of|a load of|loads of|lots of|a lot of|a bunch of|a pile of|all the) (?:of )?(?:{p} |the )?(?:{w} )?{drug}"
        + @"|(?:\d+|two|three|four|five|ten) times (?:the |{p} )?(?:dose|amount)|(?:gave|given|give) (?:{w} ){0,3}(?:too much|double|twice|an overdose|way too much) (?:{w} ){0,2}(?:calpol|medicine|paracetamol|ibuprofen|nurofen|dose|insulin|methadone)"
        + @"|(?:took|taken|ate|eaten|swallowed|had) (?:a |an |the |two |three |several |whole )?(?:packets?|bottles?|box(?:es)?|handful|strips?|blister packs?|tubs?) of (?:{p} )?(?:{w} )?{drug}"
        + @"|(?:took|taken|ate|eaten|swallowed|had) all (?:of )?(?:the|my|his|her|their) (?:{w} )?{drug}"
        + @"|(?:ate|eaten|swallowed|got into) (?:some|a few|several|lots|loads|a bunch|a couple|one|two|three) (?:of )?(?:{p} |the )?(?:{w} ){0,3}{drug}"
        + @"|(?:drank|drunk|swallowed|ate|eaten|licked|got into|into the|had some) (?:some |a bit of |the |a |an )?(?:bleach|antifreeze|weed ?killer|rat poison|detergent|methanol|paint thinner|white spirit|lighter fluid|petrol|gasoline|button batter\w*|batter(?:y|ies)|magnets?|dishwasher tablet|washing (?:pod|capsule|tablet)s?|liquitabs?|laundry pods?|drain cleaner|oven cleaner)"
        + @"|(?<!food )poison(?:ed|ing)(?! ivy| oak)|(?:ate|eaten|swallowed|drank|drunk|licked) (?:{w} ){0,3}poison(?:ous)?");

    private static readonly Regex Unconscious = P(
        @"unconscious|unresponsive|not responsive|(?:not|stopped|is not) responding(?! to (?:{w} )?(?:treatment|antibiotics|medication|meds|messages|texts|emails|calls|my|the))"
        + @"|(?:will not|can not|could not|not|unable to) (?:{w} )?(?:wake|woken|rouse|roused)(?: (?:{w} )?up)?(?! early)|not waking|(?:hard|difficult|impossible|very hard) to (?:wake|rouse)"
        + @"|collapsed|collapse on|knocked out|knocked unconscious|lost consciousness|losing consciousness|(?:passed|blacked) out and (?:will not|not|can not|is still|still|has not)"
        + @"|(?:can|could) (?:hardly|barely) (?:wake|rouse)|drifting (?:in and out|off and (?:{w} )?(?:can not|hard))|in and out of consciousness|(?:went down|dropped|fell|collapsed|slumped|keeled over|lying|lay)(?: {w}){0,5} (?:and )?(?:is not|not|has not|still not) (?:moving|responding|getting up|answering)"
        + @"|lifeless|limp and (?:is )?(?:not|un)|(?:limp|floppy)(?: {w}){0,3} (?:and )?(?:is not|not|is not) (?:answering|responding|moving|waking)|(?:eyes|he|she) (?:are |is )?rolling back|found (?:him|her|them) (?:on the floor|unresponsive|collapsed)");

    private static readonly Regex Seizure = P(
        @"seizure\w*|seizing|convuls\w*|epileptic fit|grand mal|tonic clonic|status epilepticus"
        + @"|one of (?:{p} )?fits|(?<!(?:coughing|sneezing|laughing|giggling|hissy|crying|temper|panic) )(?:having|had|has had|having another|had another|has|took|taking) (?:a |an |another )?(?:epileptic )?fits?(?! of| for| in| into| with| the| my)"
        + @"|(?:is|was|started|been|keeps?|kept) (?:{w} )?(?:fitting|jerking uncontrollably|twitching uncontrollably|shaking uncontrollably and)|(?:\d+|two|three|four|several|multiple|many|more|repeated|lots of|back to back) fits\b(?! of)");

    private static readonly Regex MeningitisWord = P(@"meningitis|meningococcal|meningococcus");

    private static readonly Regex NonBlanchingRash = P(
        @"rash(?: {w}){0,5} (?:does not|did not|will not|not|do not|would not|is not) (?:{w} )?(?:fade|go away when|disappear when|blanch|go white|turn white|go pale)"
        + @"|(?:spots|rash|marks|blotches)(?: {w}){0,3} (?:still )?(?:visible|there|showing) (?:through|under) (?:the |a )?glass|non ?blanching|petechia\w*|purpur\w*"
        + @"|purple (?:{w} )?(?:spots|rash|blotches|bruises|pin ?pricks|marks)|pin ?prick (?:spots|rash|marks)");

    private static readonly Regex SepsisWord = P(@"sepsis|septic(?! tank)|septicaemia|septicemia|blood poisoning");

    private static readonly Regex SkinSepsisSigns = P(
        @"mottled|blotchy (?:skin|and (?:blue|pale|grey))|(?:skin|he|she|baby) (?:is |are |looks? |has gone |gone |turned |turning )?(?:very )?(?:ashen|grey and clammy|blue and cold)");

    private static readonly Regex FeelsLikeDying = P(
        @"(?:feel|feels|feeling|felt) (?:like|as if|as though) (?:i am |i |he is |she is |i might |)(?:going to |about to |gonna |might |will )?(?:die|dying)(?! (?:to|of|from|with|haha|lol|here))|something is (?:really |very )?wrong,? i (?:might|am going to) die");

    private static readonly Regex AcuteConfusion = P(
        @"(?:suddenly|very|really|extremely|become|became|becoming|getting|gone|went|is|was|seems?|seemed|acting|being|feel\w*) (?:{w} )?confused(?! (?:about|by|with|why|how|what|which|whether|if|as to|over|because|regarding|on|as))"
        + @"|(?:new|sudden|acute) confusion|(?:does not|did not|can not) (?:know|recognise|recognize) (?:where (?:he|she|they) (?:is|are)|who (?:i|we) (?:am|are)|me|us|(?:his|her|their) own)|delirious|delirium|disorientated|disoriented|not making (?:any )?sense|talking nonsense");

    private static readonly Regex InfantDangerSigns = P(
        @"floppy|bulging (?:soft spot|fontanelle)|(?:soft spot|fontanelle) (?:is )?bulging|high ?pitched (?:cry|crying|scream\w*)|(?:not|will not|refusing|refuses|refused|stopped|is not|has not been|can not) (?:{w} )?(?:feeding|breastfeeding|feed|taking (?:any |her |his |the )?(?:milk|feeds?|bottle|formula))"
        + @"|(?:very hard|hard|difficult|impossible) to wake|will not wake|grunting");

    private static readonly Regex MajorTrauma = P(
        @"hit by a (?:car|bus|van|lorry|truck|train|vehicle)|car (?:crash|accident)|(?:fell|fallen|fall) (?:off|from) (?:a |the )?(?:roof|ladder|balcony|scaffold\w*|window|bridge|cliff|height)|broken (?:neck|back)|bone (?:sticking|poking) out|head (?:is )?split open");


    // ---- Presentations added from the NHS 999 list, MTS flowcharts and NICE red flags (docs/safety.md) ----

    private static readonly Regex DiabetesContext = P(
        @"diabet\w*|type (?:1|one|i)\b|t1d|insulin|blood (?:sugar|glucose)|sugar (?:levels?|reading|is|was|of|at)|sugars?\b(?= (?:is|are|was|were|of|at|keeps?|over|under|below|above|reading|levels?|dropp\w*|high|low|\d))|glucose|\bbm\b|libre|dexcom|cgm|ketones?|hypo\b|hypos\b|hyper\b");

    private static readonly Regex DkaWords = P(
        @"dka|ketoacidosis|ketotic|(?:breath|breathe|breathing) (?:{w} ){0,3}(?:smells?|smelling) (?:{w} ){0,3}(?:fruity|sweet|pear ?drops|nail (?:polish|varnish)|acetone)|(?:fruity|sweet|pear ?drops?|acetone) (?:smelling )?breath"
        + @"|ketones? (?:are |is |of |at |reading |level |levels |show\w* |were |was )*(?:high|very high|really high|large|moderate|off the (?:chart|scale)|[3-9](?:\.\d)?\b)|(?:high|large|moderate) ketones");

    private static readonly Regex HighSugar = P(
        @"(?:sugar|sugars|glucose|bm|reading|level|levels|meter|monitor)(?: {w}){0,4} (?:says |shows |reads |reading |is |was |of |at |over |above |)?(?:hi\b|2\d|3\d)(?!\d)|(?:very|really|dangerously|extremely|so|super|sky) high (?:{w} )?(?:sugar|sugars|glucose|bm|reading)|(?:sugar|sugars|glucose|bm)(?: {w}){0,3} (?:very|really|dangerously|extremely|so|super|sky) high|(?:sugar|glucose|sugars) (?:{w} )?(?:will not|would not|wont|is not|not) (?:come|going|go) down|hyperglyca?emi\w*|\bhyper\b");

    private static readonly Regex LowSugar = P(
        @"hypo\b|hypos\b|hypoglyca?emi\w*|(?:sugar|sugars|glucose|bm|level|reading)(?: {w}){0,3} (?:is |was |of |at |down to |dropped to |reading |says |shows )*(?:very |really |dangerously |too )?(?:low|[0-3](?:\.\d)?\b)|low (?:blood )?(?:sugar|glucose|bm)|(?:sugar|glucose) (?:keeps |is |has )?(?:dropping|crashing|crashed|dropped|falling|plummet\w*)|(?:insulin|insulin dose) (?:twice|again by mistake)|(?:too much|double|extra) (?:{w} )?insulin|took (?:{p} )?insulin twice");

    private static readonly Regex DkaSigns = P(
        @"vomit\w*|throw\w* up|threw up|being sick|been sick|sick (?:twice|again|all)|puk\w*|(?:can not|could not|not) keep (?:anything|fluids|water|it) down|(?:breathing|breaths?) (?:is |are |really |very |so |heavy |deep |and |fast |rapid |)*(?:deep|fast|heavy|rapid|funny|weird|strange|laboured|labored)|deep (?:fast |sighing )?breath\w*|heavy breathing"
        + @"|drowsy|sleepy|confus\w*|(?:stomach|tummy|belly|abdominal) (?:pain|ache|hurts)|unresponsive|not making sense|(?:will not|can not|hard to) wake|drinking (?:loads|lots|so much|constantly|gallons)|(?:very|really|so) thirsty");

    private static readonly Regex HypoRedFlags = P(
        @"confus\w*|drowsy|sleepy|(?:hard|difficult|impossible) to wake|(?:will not|can not|could not|not) (?:{w} )?(?:wake|rouse|respond\w*)|unresponsive|not making (?:any )?sense|talking (?:nonsense|rubbish|gibberish)|slurr\w*|(?:sweat\w*|clammy)|fitting|seizure|fits?\b|aggressive|agitated|drunk|(?:will not|can not|refus\w*|not) (?:eat|drink|swallow|take)|(?:not|is not|are not|has not|have not) (?:{w} )?(?:working|helping|coming up|going up|improving)|passed out|collapsed|can not think|(?:really |very )?shaky and");

    private static readonly Regex BurnWord = P(
        @"(?<!heart |sun |razor |carpet |rope |freezer |friction |wind )(?:burn|burns|burnt|burned|scald|scalds|scalded|scalding)(?! (?:out|when|while|after i pee|calories|fat|the toast|the dinner|a cd|a dvd|fuel))|boiling (?:water|oil|tea|coffee|kettle|milk|soup)|hot (?:oil|fat|water|tea|coffee|iron|pan|kettle) (?:{w} ){0,3}(?:over|on|onto|into)|(?:touched|grabbed|held|picked up|leaned on|fell on|fell against|sat on|stood on) (?:{w} ){0,2}(?:hot|boiling|red hot) (?:iron|oven|hob|stove|pan|kettle|grill|tray|radiator|tongs|straighteners|curling|pipe|exhaust|plate)|(?:kitchen|house|bonfire|chip pan) fire|caught fire|on fire|flames");

    private static readonly Regex BurnSite = P(@"face|facial|eyes?|hands?|palms?|fingers?|feet|foot|groin|genitals?|private|penis|vagina|bum|arms?|legs?|neck");

    private static readonly Regex SevereBurnFeature = P(
        @"airway|mouth|throat|voice (?:is )?(?:hoarse|croaky|raspy)|hoarse|croaky|(?:breathed|inhaled|breathing) (?:in )?(?:{w} ){0,2}smoke|smoke (?:inhalation|in (?:{p} )?lungs)"
        + @"|bigger than (?:{p} )?(?:hand|palm)|large|huge|massive|big (?:area|patch|burn)|whole (?:arm|leg|back|chest|forearm|side|body|hand|face)|all over|white|charred|black|leathery|waxy|(?:skin|it) (?:is |has )?(?:peeling|coming off|falling off)|no feeling|numb|does not hurt"
        + @"|caught fire|on fire|flames|bonfire|in a fire|house fire|fire pit|campfire|petrol|gasoline|explosion|firework|(?:\d|one|two|three|four) (?:year|month)s? old|chemical|acid|bleach|caustic|alkali|drain cleaner|oven cleaner|electric\w*|live wire|blister\w* (?:all over|everywhere|huge|big|massive)|(?:huge|big|massive|large) blisters");

    private static readonly Regex ElectricOrChemicalInjury = P(
        @"electrocut\w*|electric (?:shock|burn)|(?:touched|grabbed|hit) (?:a |the )?(?:live|bare|exposed) (?:wire|cable)|shock from (?:a |the )?(?:socket|plug|wire|cable|power line|pylon)|struck by lightning|lightning strike"
        + @"|(?:acid|bleach|chemical\w*|caustic|lye|ammonia) (?:{w} ){0,2}(?:splashed|sprayed|spilled|spilt|thrown|got) (?:{w} ){0,2}(?:on|in|into|over) (?:{p} |the )?(?:face|eyes?|skin|body|hands?|arms?|legs?)|(?:splashed|sprayed|spilled|spilt|threw|thrown|got) (?:{w} ){0,3}(?:acid|bleach|chemical\w*|caustic) (?:{w} ){0,2}(?:on|in|into|over)(?! (?:the |my |our )?(?:kitchen |bathroom )?(?:floor|carpet|table|worktop|counter|sofa|rug|clothes|jeans|top|towel))"
        + @"|(?:bleach|acid|chemical\w*|caustic|drain cleaner|oven cleaner|ammonia|lime|cement|battery acid|superglue|pepper spray|oven spray)(?: {w}){0,3} (?:in|into|splashed (?:in|into)|sprayed (?:in|into)|went in) (?:{p} |the )?eyes?|(?:splashed|sprayed|squirted|got) (?:{w} ){0,3}(?:bleach|acid|chemical\w*|cleaner|caustic) (?:{w} ){0,2}(?:in|into) (?:{p} |the )?eyes?|chemical burns?|acid (?:attack|burn)");

    private static readonly Regex SmokeInhalation = P(@"(?:breathed|inhaled|breathing|breathe|swallowed) (?:in )?(?:a lot of |lots of |loads of |too much |some )?(?:smoke|fumes)|smoke inhalation");

    private static readonly Regex AbdomenWord = P(@"stomach|tummy|belly|abdomen|abdominal|appendix|gut|lower (?:left|right)|(?:left|right) (?:lower |upper )?side|side of (?:{p} )?(?:stomach|tummy|belly|abdomen)|groin|pelvi\w*");

    private static readonly Regex AbdominalSudden = P(@"sudden\w*|all of a sudden|out of (?:nowhere|the blue)|came on (?:really |very )?(?:fast|quickly)");

    private static readonly Regex AbdominalBad = P(@"severe\w*|terrible|horrendous|horrible|awful|intense|(?:really|very|so|extremely) (?:bad|painful|sore)|bad");

    private static readonly Regex AbdominalSeverity = P(
        @"excruciating|unbearable|agony|agonising|agonizing|worst|crippling|extreme|doubled over|double over|(?:can not|could not) (?:stand|move|walk|straighten|stand up straight|sit still|get up)|rolling (?:around|about)|curled up|curling up|(?:10|9|ten|nine) ?(?:/|out of) ?(?:10|ten)|tearing|ripping|stabbing|screaming in pain|crying in pain");

    private static readonly Regex AbdominalPainWord = P(@"pain|pains|ache|aches|aching|hurts?|hurting|cramps?|cramping|agony|sore|tender");

    private static readonly Regex AcuteAbdomenSigns = P(
        @"(?:stomach|tummy|belly|abdomen) (?:{w} ){0,2}(?:is |feels |has gone |gone |went |really |very |so |rock )*(?:rigid|hard as a (?:board|rock)|rock hard|board like|like a board|very hard and (?:swollen|painful|sore)|hard and swollen|swollen and hard|distended)|rigid (?:stomach|tummy|belly|abdomen)"
        + @"|(?:not|have not|has not|had not|can not|could not|no) (?:{w} ){0,2}(?:pooed|poo|pooped|opened (?:{p} )?bowels|passed (?:wind|gas)|farted|had a bowel movement)(?: {w}){0,3} (?:and|or|with|but) (?:{w} ){0,4}(?:vomit\w*|being sick|sick|throwing up|swollen|bloated)"
        + @"|vomit\w* (?:{w} ){0,2}(?:green|bile|poo|faeces|feces)|(?:green|bile) vomit|tearing (?:{w} ){0,3}(?:pain|ache) (?:{w} ){0,4}(?:back|through)|pain (?:{w} ){0,3}(?:going |goes |shooting )?(?:through|into) (?:to )?(?:{p} )?back");

    private static readonly Regex TesticleWord = P(@"testic\w*|testes|testis|balls?|scrot\w*|nuts|bollocks|privates|groin");

    private static readonly Regex TesticleSevere = P(
        @"sudden\w*|all of a sudden|out of nowhere|woke (?:him |me |her )?up|severe\w*|agony|excruciating|unbearable|(?:really|very|so|extremely) (?:bad|badly|painful|sore)|terrible|swollen|higher than|lying (?:funny|sideways)|twisted|torsion|(?:and|with) (?:{w} ){0,2}(?:vomit\w*|being sick|sick|throwing up)");

    private static readonly Regex TesticlePain = P(
        @"(?:pain|pains|ache|aching|hurts?|hurting|agony|sore|painful|tender)(?: {w}){0,4} (?:in|on|of) (?:{p} |the |one of (?:{p} |the )?)?(?:left |right )?(?:testic\w*|testes|testis|balls?(?! of)|scrot\w*|nuts)"
        + @"|(?:testic\w*|testes|testis|balls?(?! of)|scrot\w*)(?: {w}){0,4} (?:pain\w*|ache|aching|hurts?|hurting|agony|sore|swollen|tender)|torsion");

    private static readonly Regex BackContext = P(@"back (?:pain|ache|aches|hurts|hurting|injury|problems?|is (?:killing|agony|bad|sore|painful)|went|gave (?:out|way)|spasms?)|bad back|(?:my|his|her|lower|upper) back|backache|spine|spinal|sciatica|slipped disc|prolapsed disc|disc|lumbar");

    private static readonly Regex CaudaEquinaSigns = P(
        @"saddle (?:numbness|anaesthesia|anesthesia|area)|(?:numb|numbness|tingling|no feeling|can not feel|could not feel|lost (?:the )?feeling|pins and needles)(?: {w}){0,4} (?:around |in |between |on )?(?:{p} )?(?:bum|buttocks|bottom|genitals|private(?: parts)?|back passage|anus|groin|crotch|between (?:{p} )?legs|inner thighs?|vagina|penis|perineum)"
        + @"|(?:bum|buttocks|bottom|genitals|private parts|back passage|groin|crotch|between (?:{p} )?legs|vagina|penis)(?: {w}){0,3} (?:numb|feel\w* numb|gone numb|has no feeling|tingl\w*)|(?:can not|could not) feel (?:{w} ){0,3}(?:when (?:i|he|she) (?:wipe|need|needs|need to|go|pee|wee|poo)|toilet paper|the toilet)|(?:did not|does not|do not|can not|could not) (?:know|realise|realize|feel|notice) (?:{w} ){0,2}(?:needed|need|needs|had|wanted) to (?:wee|pee|go|poo)|had an accident"
        + @"|wet (?:myself|himself|herself|the bed)(?! (?:laughing|when (?:i|he|she) (?:laugh|cough|sneeze)))|(?:lost|losing|loss of|no) control (?:of|over) (?:{p} )?(?:bladder|bowels?|pee|wee|urine)|incontinen\w*|(?:can not|could not|unable to|not able to|struggling to|trouble|difficulty) (?:{w} )?(?:pee|wee|urinate|pass urine|pass water|empty (?:{p} )?bladder)|(?:have not|has not|not) (?:been able to )?(?:peed|weed|passed urine|urinated)"
        + @"|both (?:{p} )?legs (?:are |have |feel |going |gone |went |feel |have gone |are going )*(?:weak|numb|dead|heavy|giving way|tingl\w*)|(?:weak\w*|numb\w*) (?:in|of|down) both (?:{p} )?legs|legs (?:are |have |feel |going |gone |went )*(?:weak|numb|dead|giving way|jelly)");

    private static readonly Regex IndigestionWord = P(@"indigestion|heartburn|acid reflux|trapped wind (?:{w} ){0,2}chest");

    private static readonly Regex StrongAutonomic = P(@"sweat\w*|clammy|cold sweat|grey|gray|ashen|pale and (?:sweaty|clammy|cold)");

    private static readonly Regex CardiacEquivalent = P(
        @"jaw (?:pain|ache|aching|hurts|is (?:aching|hurting|painful))|(?:pain|ache|aching|tightness) (?:in|of|across) (?:{p} )?(?:jaw|arms?|both arms|shoulders?|upper back|neck|throat)|(?:arms?|shoulders?|jaw) (?:{w} )?(?:aches?|aching|hurts?|hurting|heavy|numb|tingl\w*)|aching in both arms|between (?:{p} )?shoulder ?blades|breast ?bone|sternum|(?:pressure|heaviness|squeez\w*|crushing|tight\w*) (?:feeling |sensation )?(?:in|on|across|behind|around) (?:{p} )?(?:chest|breast ?bone|sternum|upper body)");

    private static readonly Regex AutonomicSigns = P(
        @"sweat\w*|clammy|cold sweat|grey|gray|ashen|pale and (?:sweaty|clammy|cold)|(?:feel\w*|felt|is|am) (?:really |very )?(?:sick|nauseous|faint)|nausea|short of breath|breathless|out of breath|vomit\w*|being sick|about to pass out|light ?headed|dizzy");

    private static readonly Regex CardiacRisk = P(@"diabet\w*|(?:[5-9]\d|1[01]\d) (?:years? old|yo|year old)|\b(?:i am|he is|she is|is|aged?|age) (?:[5-9]\d)\b|heart (?:condition|problems?|disease|attack before)|angina|stent|bypass|older|elderly|grandad|grandpa|grandma|nan|granny|nana");

    private static readonly Regex Palpitations = P(
        @"palpitations?|(?:heart|pulse|heart rate|heartbeat) (?:{w} ){0,2}(?:is |keeps |has been |was |feels? |feels like it is )?(?:racing|pounding|hammering|fluttering|skipping|beating (?:really |very |so )?(?:fast|hard|irregular\w*)|going (?:really |very |so )?(?:fast|crazy|mad)|going (?:at )?\d{3}|all over the place|irregular\w*|out of rhythm|\d{3})|(?:racing|pounding|irregular) (?:heart|pulse|heartbeat)");

    private static readonly Regex PalpitationRedFlags = P(
        @"faint\w*|pass(?:ed|ing)? out|black(?:ed|ing)? out|collaps\w*|dizzy|light ?headed|chest (?:pain|tight\w*|hurts?)|short of breath|breathless|can not (?:breathe|catch)|going to pass out");

    private static readonly Regex SeizureMovement = P(
        @"jerk\w*|twitch\w*|shaking|shook|shakes|convuls\w*|fitting|(?:went|gone|goes|going|is|was|body) (?:all |completely |really |very )?(?:stiff|rigid)|stiffen\w*|spasm\w*");

    private static readonly Regex SeizureContext = P(
        @"unresponsive|not respond\w*|(?:will not|would not|did not|does not|can not|could not) (?:respond|answer|wake)|eyes (?:{w} ){0,2}(?:rolled|rolling)|foam\w*|froth\w*|bit (?:{p} |{self} )?(?:tongue|lip)|bitten (?:{p} )?tongue|wet (?:{self}|{p} (?:pants|trousers|bed))|all over|whole body|arms and legs|legs and arms|(?:fell|falls|dropped|collapsed) (?:to|on) (?:the )?(?:floor|ground)|(?:lost|losing) consciousness|blank stare|staring|not (?:with it|there)|epilep\w*|(?:for|lasted) (?:about |over |more than |nearly |a )?(?:\d+|two|three|four|five|ten|few|couple of|several) (?:minutes|mins)|floppy|(?:not|is not|was not) (?:answering|aware)|(?:lips|face) (?:{w} ){0,2}(?:blue|grey)|in a row|without waking|after (?:{p} )?fever|febrile");

    private static readonly Regex AbsenceSeizure = P(@"(?:stares?|stared|staring) (?:blankly|into space|into nothing)|zon\w* out (?:{w} ){0,3}(?:not respond\w*|does not remember|can not remember)|absence seizures?|absences");

    private static readonly Regex PregnancyWeeks = new(
        @"\b(?:i am|im|she is|wife is|partner is|girlfriend is|daughter is|at|about|almost|nearly|only|just) (?<w>\d{1,2}) ?(?:weeks?|wks?)\b(?! (?:old|ago|postpartum|after))|\b(?<w>\d{1,2}) ?(?:weeks?|wks?) (?:pregnant|gone|along|gestation)\b|\bpregnant (?:at|with twins at|and) (?<w>\d{1,2}) ?(?:weeks?|wks?)\b",
        Options);

    private static readonly Regex LabourWords = P(@"waters (?:{w} )?(?:have |has |just )?(?:broken|broke|breaking|gone|leaking)|(?:gush|trickle|leak\w*) of (?:{w} )?(?:fluid|water)|leaking (?:{w} )?(?:fluid|water)|contractions?|in labou?r|going into labou?r|(?:baby|head) (?:is )?(?:coming|crowning)|cord (?:is )?(?:coming out|hanging|visible)");

    private static readonly Regex PostpartumContext = P(@"(?:gave|given) birth|had (?:{p} )?(?:baby|c ?section|caesarean|twins)(?! (?:shower|scan|names?|clothes|seat|monitor|cold))|delivered (?:{p} )?baby|post ?partum|post ?natal|after (?:the |{p} )?(?:birth|delivery|c ?section|caesarean)");

    private static readonly Regex PregnancyAcuteSigns = P(
        @"(?:sharp|severe|stabbing|bad|really bad|terrible|constant|awful|agonising|agonizing|excruciating|one sided)(?: {w}){0,2} (?:pain|pains|cramps?|ache)|(?:pain|cramps?)(?: {w}){0,3} (?:on|in|down) (?:{p} )?(?:left|right|one) side|shoulder tip|(?:baby|head)(?: is)? (?:crowning|coming out)|(?:can see|seeing) (?:the |baby )?head|(?:baby|head) is coming(?! (?:in|next|soon|on))|(?:urge|need|needs|have) to push|giving birth (?:now|at home|in the car)|(?:see|seeing|feel|can see|can feel) (?:the )?(?:umbilical )?cord|cord (?:prolapse|is out)|(?:stomach|tummy|bump|belly|womb) (?:is |feels |has gone |gone )*(?:hard|rigid|tight) (?:{w} )?(?:all the time|constantly|and (?:painful|sore|will not))|(?:dizzy|faint\w*|passed out|collaps\w*|light ?headed)"
        + @"|(?:green|brown|black|bloody|smelly|meconium) (?:{w} ){0,2}(?:fluid|water|liquid|discharge)|(?:fluid|water) (?:{w} ){0,2}(?:is |was |looks )?(?:green|brown|bloody|smelly)");

    private static readonly Regex InfectionUnwell = P(
        @"not (?:him|her|them)sel(?:f|ves)|not (?:acting|behaving) (?:like )?(?:him|her|them)sel(?:f|ves)|muddled|sleepy|drowsy|lethargic|floppy|(?:never|not ever) (?:felt|been|seen (?:him|her|them)) (?:this|so) (?:ill|sick|unwell|bad|poorly)|(?:most|worst) (?:ill|unwell|sick|poorly) (?:i have|he has|she has) ever|(?:can|could) (?:barely|hardly|not) (?:stand|get up|get out of bed|walk|stay awake|keep (?:{p} )?eyes open)"
        + @"|(?:ice|freezing|very|really|stone|icy) cold (?:hands|feet|legs|arms|skin)|(?:hands|feet|legs|skin) (?:{w} ){0,3}(?:ice|freezing|icy|stone) cold|(?:purple|blotchy|mottled|blue|dusky|patchy) (?:{w} ){0,2}(?:colour|color|skin|knees|legs|hands|feet|patches|blotches)|(?:knees|legs|skin|hands|feet) (?:{w} ){0,3}(?:purple|blotchy|mottled|blue|dusky)"
        + @"|(?:lips|face|skin) (?:{w} ){0,2}(?:pale|white|grey|gray|blue)|(?:breathing|breaths?) (?:{w} ){0,2}(?:fast|rapid|quick|quickly|racing)|(?:heart|pulse) (?:{w} ){0,2}(?:racing|pounding|very fast|really fast)|(?:feel|feels|feeling) like (?:i|he|she) (?:might|could|am going to|is going to|will) die|(?:shivering|shaking|rigors) (?:{w} )?(?:uncontrollabl\w*|violent\w*|badly|so much)|uncontrollabl\w* (?:shiver\w*|shak\w*)|dreadful|really really ill|very very (?:ill|unwell|poorly)"
        + @"|(?:not|has not|have not|had not) (?:had a |done a |passed )?(?:wee|pee|weed|peed|urine)(?: {w}){0,3} (?:all day|since|today|for (?:\d+|twelve|eighteen|hours))");

    private static readonly Regex HeadInjuryLayRedFlags = P(
        @"been sick|being sick|sick (?:twice|again|three times|more than once)|vomit\w*|threw up|throw\w* up|sleepy|drowsy|(?:not|is not) (?:acting|behaving) (?:like )?(?:him|her|them)sel(?:f|ves)|not (?:him|her|them)sel(?:f|ves)|acting (?:strange\w*|odd\w*|weird\w*|funny)|(?:can not|could not|does not|did not) remember|memory (?:loss|gone)|fitting|fits?\b|jerking|(?:worst|terrible|severe|bad|really bad|awful) headache|headache (?:{w} ){0,2}(?:getting worse|worse)|blurr\w* vision|seeing double|double vision|clear fluid|fluid (?:from|out of|coming (?:out of|from)) (?:{p} )?(?:nose|ears?)|blood (?:from|out of|coming (?:out of|from)) (?:{p} )?ears?|dazed|(?:was |got |been )?knocked (?:out|unconscious)|out cold|blacked out|unequal pupils|pupils (?:{w} ){0,2}(?:different|uneven)|bruis\w* (?:behind|around) (?:{p} )?(?:ears?|eyes)|(?:under|over) (?:1|one)|blood thinners?|warfarin|apixaban|rivaroxaban|anticoagula\w*|(?:6[5-9]|[7-9]\d|1[01]\d) (?:years? old|year old)|elderly|dangerous|from (?:a )?height|down the stairs|off (?:a |the )?(?:ladder|roof|horse|wall|balcony)");

    private static readonly Regex HeadInjuryEvent = P(
        @"(?:knock|blow|bang|bump|hit|whack|kick|punch|smack) (?:to|on|in) (?:the |{p} )?head|(?:hit|struck|whacked|bashed|smacked|clobbered) (?:{w} ){0,3}(?:on|in|over|around) the head|(?:hit|hits|banged|bumped|knocked|bashed|smacked|whacked|injured|hurt|cracked|struck|punched|kicked|headbutted) (?:{p} |the |him |her |me |them )?(?:{w} )?(?:in (?:the |{p} )?)?head|head (?:injury|injuries|trauma|knock|bump|wound)|concuss\w*|(?:fell|fallen|fall|landed|dropped|slipped)(?: {w}){0,5} (?:on|onto|on to) (?:{p} |the )?(?:head|face|skull)|(?:hitting|banging|bumping) (?:{p} )?head");

    private static readonly Regex TraumaLay = P(
        @"(?:bent|twisted|pointing|facing) (?:{w} ){0,2}(?:the )?wrong way|(?:motor ?bike|motorcycle|moped|scooter|bike|cycling|road|traffic|car|bus|train|lorry|truck|van) (?:crash|accident|collision|smash)|knocked (?:off|down|over) (?:{w} ){0,4}by (?:a |the )?(?:car|van|bus|lorry|truck|vehicle|motorbike)|run over|ran over"
        + @"|(?:can not|could not|unable to|not able to) (?:feel|move) (?:{p} |the |both )?(?:legs|arms|feet|hands|body|anything below)|(?:fell|fallen|fall|falling|jumped) (?:{w} ){0,3}(?:from|off|out of) (?:a |the |an |{p} )?(?:{w} ){0,2}(?:window|balcony|roof|ladder|height|bridge|tree|building|cliff|horse|scaffold\w*|loft|top bunk)|(?:fell|fallen|fall|falling|dropped) (?:{w} ){0,4}(?:\d+|two|three|four|five|six|ten|twenty) (?:metres|meters|feet|ft|storeys|floors)"
        + @"|(?:see|seeing|can see) (?:the )?bone|bone (?:is )?(?:showing|visible|through the skin|sticking|poking)|open fracture|compound fracture|crushed|crush injury|trapped (?:under|in|by)|(?:is|are|was|got|been) trapped|dived into (?:shallow|the shallow)|diving (?:accident|into shallow)"
        + @"|(?:hit|struck|kicked|punched|stamped on) (?:{w} ){0,3}(?:in|on) (?:the |{p} )?(?:chest|stomach|abdomen|ribs)(?: {w}){0,6} (?:can not|could not|struggling|hard to|difficult|trouble) (?:{w} )?breath\w*|(?:wrist|arm|leg|ankle|foot|finger|elbow|knee|shoulder|hip) (?:{w} ){0,2}(?:at a (?:funny|weird|strange|odd|wrong|horrible) angle|shorter|turned out|rotated|deformed|misshapen|out of place)|came off (?:{p} )?(?:motor ?bike|motorcycle|horse|scooter|moped)|fell through (?:the )?ice|dislocat\w*|(?:neck|back|spine) (?:injury|injured)|hurt (?:{p} )?(?:neck|back|spine) (?:{w} ){0,2}(?:in|after|from) (?:the |a )?(?:crash|accident|fall)|(?:glass|metal|shard|nail|stick|knife|needle|wire) (?:{w} ){0,2}(?:in|into|stuck in|went into) (?:{p} |the )?eye|eye (?:{w} ){0,2}(?:pierced|punctured|cut|bleeding|stabbed)");

    private static readonly Regex ChildIngestion = P(
        @"(?:swallowed|ate|eaten|drank|drunk|licked|sucked|chewed|got into|put in (?:his|her) mouth|had) (?:{w} ){0,7}(?:button ?batter\w*|batter(?:y|ies)|magnets?|bleach|antifreeze|weed ?killer|rat poison|detergent|methanol|paint thinner|white spirit|turps|turpentine|lighter fluid|petrol|gasoline|paraffin|lamp oil|e ?liquid|vape (?:juice|liquid)|nicotine|(?:dishwasher|washing machine|laundry|washing) (?:liquid|tablets?|pods?|capsules?|detergent|powder)|liquitabs?|laundry (?:pods?|detergent|liquid)|drain cleaner|oven cleaner|toilet cleaner|descaler|caustic soda|cleaning (?:products?|fluid|liquid|spray)|disinfectant|mouthwash|hand sanitiser|hand sanitizer|perfume|nail polish remover|acetone|essential oils?|iron (?:tablets|pills)|someone else\w* (?:pills|tablets|medicine|meds))|(?:took|taken|ate|swallowed|got into) (?:{w} ){0,2}(?:nan|gran|granny|grandma|grandad|grandpa|nana)s? (?:{w} ){0,2}(?:pills|tablets|medicine|meds|medication)"
        + @"|(?:kid|child|toddler|son|daughter|baby|little one|grandson|granddaughter|niece|nephew|boy|girl)(?: {w}){0,3} (?:ate|eaten|swallowed|took|taken|got into|has had|had some) (?:{w} ){0,3}{drug}|(?:vape|e cig\w*|nicotine)(?: {w}){0,6} (?:drank|drunk|swallowed|ate|chewed|sucked|licked)|found (?:{p} )?(?:vape|pills|tablets|medicine|meds)(?: {w}){0,4} (?:drank|ate|swallowed|took|eaten)"
        + @"|(?:drink|drinks) (?:was |were |got |has been |had been )?spiked|spiked (?:{p} )?drink");

    private static readonly Regex CarbonMonoxide = P(@"carbon monoxide|co (?:alarm|detector)|gas (?:leak|smell)|smell of gas|smel\w* (?:of )?gas|exhaust fumes|fumes|(?:generator|barbecue|bbq|boiler|heater|fire) (?:{w} ){0,4}(?:garage|tent|inside|indoors|caravan|room|broken|faulty)");

    private static readonly Regex PlantIngestion = P(@"(?:ate|eaten|swallowed|chewed|had) (?:{w} ){0,4}(?:berries|berry|mushrooms?|toadstools?|leaves|seeds|plant|foxglove|yew|daffodil bulbs?|laburnum|deadly nightshade|slug pellets?|cigarettes?|cigarette butts?)");

    private static readonly Regex PoisoningSigns = P(@"vomit\w*|being sick|been sick|drowsy|sleepy|confus\w*|dizzy|fitting|seizure|collaps\w*|unresponsive|not (?:acting|behaving) (?:like )?(?:him|her)self|drooling|burning (?:mouth|throat)|mouth (?:is )?burning|struggling to breathe|breathing");

    private static readonly Regex MentalHealthCrisis = P(
        @"(?:saying|said|say) (?:{w} )?goodbye (?:to|and)|giving (?:{p} |all (?:{p} )?)?(?:things|stuff|belongings|possessions) away|gave (?:{p} |all (?:{p} )?)?(?:things|stuff|belongings) away"
        + @"|(?:pills|tablets|meds|rope|knife|blade|gun) (?:are |is )?(?:ready|lined up|saved up|stockpiled|hidden|counted out)|(?:stockpil\w*|saving up|hoarding) (?:{p} )?(?:pills|tablets|meds)|got (?:the |{p} )?(?:pills|tablets) (?:ready|together|saved)"
        + @"|(?:better off|happier|easier for everyone) (?:{w} ){0,2}(?:if|when) (?:i|he|she) (?:was not|were not|am not|is not|was|were) (?:here|around|gone|alive|dead|anymore)|(?:everyone|they|people|my family|my kids) (?:would|will) be better off"
        + @"|(?:do not|does not|did not) (?:see|know) (?:the |any )?point (?:any ?more|anymore|in (?:anything|life|living|carrying on|going on)|of (?:anything|living|life|going on))|(?:see|is) no (?:way out|future|point (?:any ?more|anymore))|(?:can not|could not) (?:do|take|cope with|carry on with) (?:this|it|life|anything) (?:any ?more|anymore|much longer)"
        + @"|(?:sleep|go to sleep|close (?:my|his|her) eyes) and (?:never|not) wake (?:up)?|never (?:want to )?wake up again|(?:hearing|hears|heard) voices (?:{w} ){0,4}(?:telling|saying|tell|say) (?:{w} ){0,2}(?:to )?(?:hurt|kill|harm|stab|attack|end|jump|die)|voices (?:{w} ){0,3}(?:telling|tell) (?:{w} ){0,2}(?:to )?(?:hurt|kill|harm|die|jump)"
        + @"|(?:standing|sitting|stood|sat|is|was) (?:{w} ){0,2}(?:on|at) (?:the |a )?(?:edge of (?:the |a )?)?(?:bridge|ledge|roof|cliff|edge|railway|tracks|platform edge|top of (?:the |a )?(?:car park|building|multi ?storey))(?! (?:of (?:{p} )?seat|of tears))|(?:threaten\w*|says (?:he|she) will|said (?:he|she) would|going to|want\w* to|thinking (?:about|of)) (?:{w} ){0,2}(?:jump(?:ing)? (?:off|from|in front)|drive (?:{w} )?into|driving (?:{w} )?into|crash(?:ing)? (?:{p} |the )?car|step(?:ping)? in front|walk(?:ing)? in front|hang(?:ing)? (?:him|her|my|them)|drown(?:ing)? (?:him|her|my|them))"
        + @"|(?:wrote|written|writing|left) (?:a |{p} )?(?:note|letter|letters|notes|will) (?:for|to) (?:{p} )?(?:family|kids|children|parents|loved ones|wife|husband|partner|mum|dad|everyone)|(?:join|be with|see) (?:{p} )?(?:dad|mum|mom|husband|wife|son|daughter|brother|sister|partner|nan|grandma|grandad|him|her) (?:again |soon |tonight )?(?:in heaven|on the other side)|tonight is the night|(?:made|make) (?:up )?(?:{p} )?(?:mind|peace|decision) (?:{w} ){0,3}(?:to die|to end it|to go through with it)"
        + @"|(?:says|thinks|believes|convinced|saying|paranoid)(?: {w}){0,3} (?:people|someone|somebody|they|everyone|the neighbours|the police|men) (?:{w} ){0,2}(?:coming|out|trying|want\w*|going) to (?:kill|get|hurt|poison|harm)"
        + @"|(?:do not|does not|did not|not) feel safe (?:with|around|by) (?:myself|himself|herself|themselves)|not safe (?:to be )?(?:alone|on my own|by myself)|(?:scared|afraid|frightened) (?:of )?what i (?:might|will|could) do"
        + @"|(?:threaten\w*|going|wants?|trying|tried) to (?:kill|hurt|stab|attack|harm) (?:someone|somebody|people|me|us|(?:{p} )?(?:family|wife|husband|partner|kids|children|baby|mum|dad))|(?:has|got|with) (?:a )?(?:knife|weapon|gun) and (?:{w} ){0,4}(?:threaten\w*|says|is going|wants|voices)|psychotic|psychosis|hallucinat\w* (?:{w} ){0,3}(?:dangerous|hurt|kill)");

    private static readonly Regex SelfHarmLay = P(@"hurt {self} (?:badly|really bad|bad|properly|seriously)|(?:cut|cutting|cuts) {self} (?:{w} ){0,4}(?:deep|deeply|badly|to the bone)");

    private static readonly Regex ChokingDrowning = P(
        @"something stuck in (?:{p} )?(?:throat|windpipe|airway)|(?:food|sweet|grape|coin|toy|bone|piece of \w+) (?:{w} ){0,2}stuck in (?:{p} )?throat|(?:can not|could not|unable to) (?:swallow (?:{p} )?(?:own )?(?:saliva|spit)|swallow anything)|drooling and (?:{w} ){0,3}(?:can not|struggling|breath\w*)|stridor|(?:noisy|high pitched|whistling|squeaky|crowing) (?:{w} )?(?:breathing|breath|noise when (?:he|she|they) breathes?)|barking cough (?:{w} ){0,4}(?:struggling|can not breathe|noisy breathing|sucking in|blue)"
        + @"|(?:nearly|almost) drown\w*|drowning in (?:the |a )?(?:pool|sea|water|river|lake|bath)|(?:was|is|were) drowning|(?:pulled|fished|rescued|found) (?:{w} ){0,3}(?:out of|from|in) (?:the |a )?(?:water|pool|river|sea|lake|bath|pond)|(?:fell|fallen|went|slipped|was|got) (?:{w} ){0,2}(?:in|into) (?:the |a )?(?:pool|pond|river|lake|canal|sea|water|bath) (?:{w} ){0,6}(?:under|coughing|not breathing|breathing funny|blue|unconscious)|under the water|fell through (?:the )?ice|(?:face down|under ?water) (?:in|at the bottom of) (?:the |a )?(?:pool|bath|water|pond)|inhaled water");

    private static readonly Regex Environmental = P(
        @"hypotherm\w*|(?:very|really|so|ice|freezing) cold and (?:{w} ){0,2}(?:confus\w*|drowsy|not making sense|slurr\w*|stopped shivering|unresponsive)|stopped shivering|heat ?stroke|sun ?stroke|(?:heat|sun) (?:exhaustion )?and (?:{w} ){0,3}(?:confus\w*|collaps\w*|fitting|stopped sweating|not sweating|unresponsive)|(?:hot|heat|sun)(?: {w}){0,6} (?:stopped sweating|not sweating|hot and dry skin|confus\w*|collaps\w*)"
        + @"|(?:snake|adder|scorpion|spider) (?:bite|bit|sting|stung)|(?:bitten|stung) by (?:a |an )?(?:snake|adder|scorpion|spider)|(?:dog|animal) (?:bite|bit|attacked|mauled)(?: {w}){0,6} (?:face|neck|deep|bleeding|blood|pouring|gaping)");

    private static readonly Regex CirculationLoss = P(
        @"(?:leg|arm|foot|hand|toes|fingers) (?:{w} ){0,3}(?:cold|white|pale|blue|mottled)(?: and (?:cold|white|pale|blue|mottled))?(?: {w}){0,4} (?:numb|painful|agony|(?:can not|could not) (?:move|feel)|no pulse|dead)|(?:cold|white|pale|blue) (?:and (?:numb|painful) )?(?:leg|foot|arm|hand)(?: {w}){0,3} (?:no pulse|can not (?:feel|move)|numb|agony|severe pain)|no pulse in (?:{p} )?(?:leg|foot|arm|wrist|ankle)|priapism|erection (?:{w} ){0,4}(?:will not go|won't go|not going) down|(?:sickle cell|sickler)(?: {w}){0,6} (?:crisis|pain|chest|fever|breath\w*|priapism|stroke)|addison\w* crisis|adrenal crisis|(?:missed|vomited|can not keep down) (?:{p} )?(?:hydrocortisone|steroids?)(?: {w}){0,6} (?:vomit\w*|faint|dizzy|collaps\w*|drowsy)");

    private static readonly Regex EyeEmergency = P(
        @"(?:hit|struck|poked|punched|stabbed|shot) (?:{w} ){0,3}(?:in|on) (?:the |{p} )?eye(?: {w}){0,6} (?:can not see|blind|bleeding|vision|lost)|firework (?:{w} ){0,4}(?:eye|face)|(?:can not|could not) see (?:anything )?(?:out of|from|with) (?:{p} |the )?(?:left |right )?eye|(?:sudden\w*|suddenly) (?:{w} ){0,3}(?:lost|lose|losing|loss of|went|gone|can not see|blind|curtain|shadow|black)(?: {w}){0,3} (?:vision|sight|eye|out of (?:{p} )?eye)|curtain (?:{w} ){0,3}(?:over|across|coming down) (?:{p} )?(?:vision|eye)|(?:severe|really bad|terrible|agonising|intense)(?: {w}){0,2} (?:eye pain|pain in (?:{p} )?eye)(?: {w}){0,6} (?:vomit\w*|blurr\w*|halos|red|sick|headache)|(?:eye|eyes) (?:{w} ){0,2}(?:bulging|pushed out|swollen shut)(?: {w}){0,4} (?:fever|can not move|double)");

    private static readonly Regex RectalBleeding = P(
        @"(?:lots|loads|a lot|cups?|clots) of blood (?:{w} ){0,3}(?:from (?:{p} )?(?:bum|bottom|back passage|rectum)|in (?:{p} |the )?(?:toilet|poo|stool)|when (?:i|he|she) (?:poo|pooed|went))|(?:bleeding|blood) (?:heavily |a lot )?from (?:{p} )?(?:bum|bottom|back passage|rectum) (?:{w} ){0,3}(?:dizzy|faint|will not stop|a lot|heavily|clots)|toilet (?:{w} ){0,2}full of blood|(?:passing|passed) (?:{w} )?(?:blood|clots) (?:{w} ){0,3}(?:dizzy|faint|a lot|loads)|nosebleed (?:{w} ){0,4}(?:will not stop|not stopp\w*|for (?:over |more than )?(?:20|30|40|an hour|half an hour|\d\d minutes))|nose (?:{w} ){0,2}(?:bleeding|bleed) (?:{w} ){0,3}(?:will not stop|not stopp\w*|for (?:over |more than )?(?:20|30|40|an hour|half an hour))");

    private static readonly Regex ChildDangerSigns = P(
        @"(?:child|toddler|son|daughter|kid|boy|girl|baby|little one)(?: {w}){0,6} (?:is |seems |has gone |gone |very |really )*(?:floppy|limp|lethargic|unresponsive|mottled|not (?:responding|waking)|hard to wake|will not wake)|(?:sunken fontanelle|bulging fontanelle|soft spot (?:is )?(?:sunken|bulging))|(?:no wet nappies|not had a wet nappy)(?: {w}){0,3} (?:since|for|in) (?:yesterday|12|twelve|\d+ hours|all day)");

    private static readonly Regex AortaTearing = P(@"(?:tearing|ripping) (?:{w} ){0,3}(?:pain|feeling|sensation)|pain (?:{w} ){0,2}(?:like|feels like) (?:{w} ){0,2}(?:tearing|ripping)|aneurysm (?:{w} ){0,3}(?:burst|rupture\w*|leaking|pain|hurting)|(?:burst|ruptured|leaking) aneurysm|aortic dissection");

    // ---- Urgent phrases ----------------------------------------------------------------------

    private static readonly Regex Breathlessness = P(@"short(?:ness)? of breath|breathless\w*|out of breath(?! (?:after|when|from|during) (?:{w} ){0,2}(?:running|run|exercise|exercising|the gym|a run|sprinting|jogging|football|training|10 k))|wheez\w*");

    private static readonly Regex Fainting = P(@"faint(?:ed|ing)?(?! (?:heart|line|lines|smell|hope|chance|idea|memory|rash|mark|marks|light))|passed out|blacked out|black outs?|keel(?:ed)? over");

    private static readonly Regex FacialSwelling = P(
        @"(?:lips?|face|eyes?|eyelids?|mouth)(?: and (?:{p} )?(?:lips?|face|eyes?|mouth))? (?:are |is |has |have |keep |started |starting |all )?(?:{w} ){0,2}(?:swell\w*|swollen|puff\w*|blown up|huge|massive|enormous|fat)|(?:swollen|puffy|swelling) (?:of (?:the |{p} )?)?(?:lips?|face|eyes|mouth)");

    private static readonly Regex AllergicContext = P(
        @"takeaway|take away|restaurant|(?:bee|wasp|hornet) sting|stung by|allerg\w*|peanuts?|nuts|shellfish|prawns?|bee|wasp|sting|stung|hives|welts|new (?:medication|medicine|tablets?|antibiotics?)|antibiotics?|penicillin|amoxicillin|after eating|ate (?:a |some )");

    private static readonly Regex AnaphylaxisSigns = P(@"hoarse|croaky|(?:hard|difficult|struggling|can not|could not|trouble|unable) to swallow|difficulty swallowing|throat (?:{w} )?(?:tight|closing|swollen|thick|itchy and tight)|wheez\w*|(?:can not|struggling to|hard to) breathe|short of breath|breathless|collaps\w*|(?:lips|tongue|face) (?:{w} ){0,2}(?:swell\w*|swollen|huge|puff\w*)");

    private static readonly Regex AllergicReaction = P(@"allergic reaction|reacting to|hives|urticaria|welts");

    private static readonly Regex Dehydration = P(
        @"(?:can not|could not|unable to|not able to|not) keep(?:ing)? (?:any |anything |fluids |water |food |drinks |liquids |it |down )*(?:down|in)"
        + @"|(?:have not|has not|had not|not|no) (?:{w} ){0,2}(?:peed|urinated|weed|had a wee|had a pee|passed (?:any )?(?:urine|water)|wet (?:nappy|nappies|diaper|diapers))|no wet (?:nappy|nappies|diapers?)|no urine"
        + @"|dehydrat\w*|sunken eyes|(?:vomiting|being sick|throwing up|diarrhoea|the runs)(?: {w}){0,3} (?:for|since|over) (?:\d+|two|three|four|five|several|a few|couple of) days|vomiting everything|vomiting (?:non ?stop|constantly)");

    private static readonly Regex UrinaryInfection = P(
        @"uti|utis|urine infection|urinary (?:tract )?infection|bladder infection|cystitis|kidney infection|pyelo\w*|water infection"
        + @"|(?:burning|burns|stings?|stinging|pain|painful|hurts?)(?: {w})? (?:when|while|to) (?:i )?(?:pee|peeing|wee|weeing|urinat\w*)");

    private static readonly Regex KidneySigns = P(
        @"(?:loin|flank|side|back|kidney) (?:pain|ache)|pain in (?:{p} )?(?:back|side|loin|flank)|shiver\w*|rigors|chills|shaking");

    private static readonly Regex HeadInjury = P(
        @"(?:hit|hits|banged|bumped|knocked|bashed|smacked|whacked|injured|hurt|cracked) (?:{p} |the )?(?:{w} )?head|head (?:injury|injuries|trauma|knock|bump)|concuss\w*|fell (?:{w} ){0,4}(?:on|onto) (?:{p} |the )?head|landed on (?:{p} |the )?head");

    private static readonly Regex HeadInjuryRedFlags = P(
        @"vomit\w*|being sick|threw up|thrown up|knocked out|unconscious|lost consciousness|blacked out|passed out|seizure|fit|confus\w*|drowsy|blood thinners?|warfarin|apixaban|rivaroxaban|edoxaban|dabigatran|anticoagula\w*|clear fluid|bleeding from (?:{p} )?(?:ear|ears|nose)|unequal pupils|(?:can not|could not) remember");

    private static readonly Regex SeverePain = P(
        @"(?:severe|excruciating|unbearable|agonising|agonizing|horrendous|horrific|worst|crippling|extreme)(?: {w}){0,2} (?:pain|pains|\w*ache|cramps?)|in agony|(?:10|ten) ?(?:/|out of) ?(?:10|ten)"
        + @"|pain (?:is )?(?:unbearable|excruciating|agonising|agonizing)|(?:really|very|so|extremely) (?:bad|painful|intense) (?:{w} ){0,2}(?:pain|pains|\w*ache|cramps?)|(?:sudden|severe)(?: {w}){0,2} (?:tummy|stomach|abdominal|belly|testicle|testicular|groin|scrotal) pain|(?:sudden|severe)(?: {w})? pain (?:in|on) (?:{p} )?(?:testicles?|balls?|scrotum|groin)|(?:testicle|testicles|balls?) (?:is |are )?(?:suddenly |really |very )?(?:swollen and )?(?:painful|hurting|agony)");

    private static readonly Regex DvtSigns = P(
        @"(?:swollen|painful|red|hot|tender)(?: and (?:swollen|painful|red|hot|tender))* (?:left |right )?calf|calf (?:is |feels )?(?:swollen|painful|red|hot|tender)|(?:one|left|right) leg (?:is )?(?:{w} )?(?:swollen|bigger than the other)|(?:leg|calf)(?: {w}){0,2} (?:red|hot|swollen|warm|tender|painful)[ ,]+(?:and )?(?:{w} )?(?:red|hot|swollen|warm|tender|painful)");

    private static readonly Regex CoughingBlood = P(@"(?:coughing|coughed|cough|coughs) up(?: {w}){0,4} blood|(?:coughing|coughed|coughs) (?:{w} )?blood|blood (?:in|when) (?:{p} )?(?:cough|phlegm|sputum|spit)|haemoptysis|hemoptysis");


    private static readonly Regex HighSugarUrgent = P(@"(?:sugar|sugars|glucose|bm|levels?|reading)(?: {w}){0,5} (?:1[5-9])(?!\d)|(?:sugar|sugars|glucose) (?:{w} ){0,2}running (?:really |very )?high");

    private static readonly Regex PossibleFracture = P(@"(?:can not|could not|unable to|not able to) (?:put|bear|take|stand) (?:any )?(?:weight|pressure) on|(?:think|thinks|might|may|could) (?:{w} ){0,2}(?:be )?broken|(?:can not|could not) (?:move|bend|straighten) (?:{p} )?(?:wrist|ankle|arm|leg|finger|elbow|knee)|deformed|(?:very|really) swollen (?:ankle|wrist|knee)|(?:fell|fall|landed|twisted|rolled|hurt) (?:{w} ){0,3}(?:wrist|ankle|arm|knee|elbow|hand|foot)(?: {w}){0,4} (?:swollen|swelling|bruised|really painful)");

    private static readonly Regex AsthmaWorsening = P(@"(?:asthma|inhaler)(?: {w}){0,6} (?:worse|more than usual|more often|every (?:hour|few hours)|not lasting)");

    private static readonly Regex MentalHealthUrgent = P(@"(?:can not|could not) cope|panic attacks? (?:every day|daily|constantly|all the time)|(?:having|had) a breakdown|self harm thoughts");

    private static readonly Regex EyeProblem = P(@"(?:something|grit|dust|eyelash|sand|bit of \w+|speck) (?:{w} ){0,2}(?:in|stuck in) (?:{p} |the )?eye|(?:red|painful) eye (?:{w} ){0,3}(?:blurr\w*|light hurts|vision)");

    private static readonly Regex WoundCare = P(@"(?:need|needs|might need|may need|will need|require) (?:{w} )?stitches|(?:deep|gaping|long) (?:cut|wound|gash|laceration)|(?:cut|wound|gash) (?:{w} ){0,4}(?:deep|gaping|wide open|will not close)|bitten by (?:a |the |{p} )?(?:dog|cat|person|human)|(?:dog|cat|human) bite");


    private static readonly Regex InfectionNotImproving = P(@"(?:infection|antibiotics?|cellulitis|abscess|wound)(?: {w}){0,6} (?:not getting better|not improving|getting worse|is not working|not working|spreading)|(?:redness|red (?:area|line|streak)) (?:{w} ){0,2}spreading");

    private static readonly Regex VeryHighFeverWords = P(@"(?:very high|really high|raging|spiking|extremely high) (?:fever|temperature|temp)");

    private static readonly Regex PersistentFever = P(
        @"(?:fever|temperature|temp)(?: {w}){0,3} (?:for|since|over|lasting) (?:(?:5|6|7|8|9|10|five|six|seven|eight|nine|ten|several|many) days|(?:a|one|two|over a) weeks?)");

    // ---- Context and combination features --------------------------------------------------

    private static readonly Regex FeverWord = P(
        @"fever\w*|febrile|pyrexi\w*|high (?:temp|temperature)|(?:has|have|had|got|running|run|with) (?:a |high |raised |slight )?(?:temp|temperature)|raised temperature|burning up|hot to (?:the )?touch|(?<!(?:take|taking|took|check|checking|checked|measure|measuring|read|reading|normal) )(?:a|raised) (?:temp|temperature)\b(?! (?:of 3[0-7]|check|reading|is normal|of normal))|(?:feels?|felt|is|was) (?:really |very |so )?(?:hot|burning)(?! (?:weather|today|outside|in here|water|bath|tea|drink|food|and cold))|temperature (?:is |was )?(?:high|up)");

    private static readonly Regex Temperature = new(
        @"(?<v>\d{2,3}(?:\.\d{1,2})?) ?(?:°|degrees?|deg) ?(?<u>c|f|celsius|centigrade|fahrenheit)?\b"
        + @"|(?<v>\d{2,3}(?:\.\d{1,2})?) (?<u>c|f)\b"
        + @"|(?<v>\d{2,3}(?:\.\d{1,2})?) (?:on|from|with|says|by) (?:the |a |an |our )?(?:thermometer|ear thermometer|forehead thermometer)\b"
        + @"|\b(?:temp|temperature|fever|thermometer)(?: (?:is|of|was|at|reading|reads|read|says|said|has been|been|around|about|over|above|nearly|almost|up to|hit|went up to|went to|just under|now|still|of about|currently|showing|shows)){0,3} (?<v>\d{2,3}(?:\.\d{1,2})?)",
        Options);

    private static readonly Regex StiffNeck = P(
        @"stiff (?:{w} )?neck|neck (?:is |feels |very |really |so |has gone )*(?:{w} )?stiff|(?:can not|could not|unable to|hurts to|painful to) (?:bend|move|touch|lower|tilt) (?:{p} )?(?:neck|head|chin)(?: (?:forward|down))?|(?:can not|could not) (?:touch|put|get) (?:{p} )?chin (?:to|on|onto) (?:{p} )?chest");

    private static readonly Regex Photophobia = P(
        @"light (?:hurts|is hurting|bothers|is painful|is too bright|hurting)|(?:can not|could not) (?:stand|bear|tolerate|look at) (?:the )?light|sensitiv\w* to (?:the )?(?:light|bright)|photophob\w*|(?:hates|hate|avoiding) (?:the )?light");

    private static readonly Regex Headache = P(@"headaches?|head (?:is )?(?:hurts|hurting|pounding|aching|killing)|head pain|migraine");

    private static readonly Regex Rash = P(@"rash|spots|blotches");

    private static readonly Regex InfectionContext = P(
        @"(?:appendix|gallbladder|tonsils) out|(?:op|operation|surgery|c ?section|caesarean) (?:{w} ){0,3}(?:last|this|a few|\d+|two|three) (?:days?|weeks?)|infection|infected|uti|pneumonia|cellulitis|flu|chills|shivering|shivers|rigors|abscess|wound (?:is |looks )?(?:red|hot|swollen|oozing|smelly)|pus|kidney infection|chest infection|after (?:an |my |his |her )?(?:operation|surgery)");

    private static readonly Regex SepsisSigns = P(
        @"slurr\w*|confus\w*|drowsy|(?:extreme|uncontrollable|violent|severe) (?:shivering|shaking|shivers|muscle pain|aching)|(?:shaking|shivering) uncontrollably|(?:very|really|extremely) drowsy|(?:hard|difficult) to wake"
        + @"|(?:have not|has not|had not|not|no) (?:{w} ){0,2}(?:peed|urinated|weed|passed (?:any )?(?:urine|water)|wee|pee)(?: {w}){0,3} (?:all day|in (?:a |\d+ |twelve |eighteen |twenty four )?(?:day|hours)|since (?:yesterday|last night|this morning))|no urine"
        + @"|(?:breathing|heart) (?:is |very |really )*(?:fast|racing)|racing heart|heart racing|(?:skin|hands|feet) (?:is |are |feel |feels )?(?:cold and )?(?:clammy|mottled|blotchy)");

    private static readonly Regex Pregnancy = P(
        @"pregnant|pregnancy|(?:\d+|a few|few) weeks? (?:gone|along|gestation)|expecting (?:a baby|twins)|trimester|miscarr\w*|ectopic|my bump|antenatal|midwife");

    private static readonly Regex PregnancyBleeding = P(
        @"(?:lots|a lot|loads) of (?:{w} ){0,2}blood|(?:bright|dark) red blood|soak\w* (?:through )?(?:{p} )?pads?|bleed\w*|bled|blood (?:loss|clots?)|passing (?:blood )?clots|clots|haemorrhag\w*|hemorrhag\w*|blood (?:in|on) (?:{p} )?(?:pad|underwear|knickers|pants)|(?:lots|a lot|loads) of blood|(?:losing|lost|passing) (?:{w} )?blood|blood (?:coming out|running down|down (?:{p} )?legs?)|miscarrying|having a miscarriage");

    private static readonly Regex NotVaginalBleeding = P(@"gums?|nose|nosebleeds?|flossing|brushing|teeth|tooth|cut (?:{p} )?finger|shaving|haemorrhoids?|piles");

    private static readonly Regex Spotting = P(@"spotting|spots of blood|brown discharge|pink discharge");

    private static readonly Regex PregnancyPain = P(@"(?:tummy|stomach|abdominal|belly|pelvic|shoulder tip|one sided|side) (?:pain|cramps?|ache)|cramp\w*|pain (?:in|on) (?:{p} )?(?:tummy|stomach|belly|abdomen|side|pelvis)");

    private static readonly Regex PreEclampsia = P(@"blurred vision|blurry vision|(?:vision|eyesight|sight) (?:is |has gone |gone |went |going |has been )?(?:blurr\w*|fuzzy|funny|weird|strange|sparkly)|flashing lights|seeing (?:spots|stars|flashes)|(?:swollen|swelling|puffy) (?:of )?(?:{p} )?(?:face|hands|fingers)|(?:face|hands|fingers) (?:are |is )?(?:very )?(?:swollen|puffy)|pain (?:just )?(?:below|under) (?:{p} )?(?:right )?ribs|(?:swollen|swelling|puffy) (?:{w} ){0,2}(?:face|hands|fingers)");

    private static readonly Regex ReducedMovements = P(
        @"(?:not|less|fewer|reduced|stopped|have not felt|has not|had not|can not feel|not felt|has stopped) (?:{w} ){0,3}(?:moving|moved|move|movements?|kicking|kicks|kicked|kick)"
        + @"|(?:baby|bump) (?:is |has been |seems |was )?(?:moving less|not moving|quieter|quiet|still|less active)|movements? (?:have |has )?(?:slowed|reduced|stopped|changed)|no (?:kicks|movements?) (?:today|since|all day|for)|moving (?:a lot |much )?less|(?:less|quieter) than (?:usual|normal)|not (?:moving|kicking) as much");

    private static readonly Regex InfantWord = P(@"baby|babies|newborn|neonate|infant|little one|bub");
    private static readonly Regex NewbornWord = P(@"newborn|neonate|born (?:\d+|one|two|three|four|five|six|a few) (?:days|weeks) ago|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) days? old");

    private static readonly Regex Age = new(
        @"\b(?<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a) (?<u>days?|weeks?|months?|years?) old\b"
        + @"|\b(?:baby|newborn|son|daughter|infant|he|she|little one|twins?) (?:is|aged|who is|that is|of) (?:only |just |nearly |almost )?(?<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a) (?<u>days?|weeks?|months?|years?)\b(?! (?:pregnant|ago|gestation|along))",
        Options);

    // ---- Round 2: lay families (tuning-A/B, spent held-out 1) ----------------------------------
    // Each alternative is a way of saying a presentation, not a sentence: verbs, body-part lay words,
    // and concept pairs that must meet within a few words.

    private static readonly Regex SuicidalLay = P(
        @"(?:wants|wanted|wanting|going|planning|decided) to end it(?! (?:with|between|off))|(?:going to|gonna|will) do it (?:tonight|today|tomorrow|now)|(?:got|have|had) (?:everything|it all|the (?:rope|pills|tablets|knife|hose)) (?:ready|sorted|planned)"
        + @"|(?:got|have|bought) the (?:rope|noose)|(?:know|decided|worked out) (?:where|how|when) (?:i am|i will|he is|she is)? ?(?:going to )?do it|nobody (?:will|would) (?:miss|notice) (?:me|him|her)|(?:not|no longer) (?:going to be|be) (?:around|here) (?:after|by|tomorrow|much longer)"
        + @"|saved (?:up )?(?:all )?(?:{p} )?(?:{w} )?{drug}|(?:going to|wants to|want to) be with (?:him|her|them) (?:now|again)|plan (?:{w} ){0,4}with a date|(?:hose|pipe) (?:{w} ){0,3}(?:exhaust|car)|car (?:{w} ){0,4}with the hose"
        + @"|(?:do not|not) see the point (?:any ?more|in (?:anything|living|going on))(?: {w}){0,12} (?:tablets|pills|vodka|rope|knife|nobody)|want to know if it hurts|taken everything (?:in|from) (?:{p} )?(?:cupboard|cabinet|drawer|bathroom)|(?:message|text|note) (?:{w} ){0,6}(?:sorry|goodbye)(?: {w}){0,10} not (?:picking up|answering)|(?:sorting|sorted|giving) (?:out )?(?:{p} )?(?:stuff|things|belongings) (?:out|away)");

    private static readonly Regex SeizureLay = P(
        @"(?:fit|fits|seizure|jerking|shaking) (?:{w} ){0,2}(?:will not|would not|does not|did not) stop|(?:fit|one|seizure|episode) after (?:another|the other){gap}(?:without|not|does not|did not|never) (?:waking|wake|coming|come|came)|(?:does not|did not|not|without) (?:come|coming|waking|wake) (?:round |up )?in between|another one (?:{w} ){0,4}(?:before|without) (?:{w} ){0,2}(?:came|coming|come|comes|woke|waking) (?:round|around|to)|(?:shaking|jerking|twitching|stiff) (?:episode|fit|turn|do)s? (?:{w} ){0,6}(?:another|again|straight after)");

    private static readonly Regex UnconsciousLay = P(
        @"(?:not|is not) coming (?:a)?round|still out (?:cold)?|out cold|(?:been|is) out for (?:{w} ){0,3}(?:minutes|mins|ages)|(?:fainted|collapsed|went down|blacked out)(?: {w}){0,4} (?:still out|not coming round|will not come round)|got (?:him|her|them) to open (?:his|her|their) eyes but|(?:keeps|keep|kept) (?:going|falling) (?:floppy|limp)|nodding off mid|(?:will not|can not|could not|does not) stay awake|(?:ends? up|ended up|went down) on the floor|everything (?:goes|went|going) (?:dark|black)");

    private static readonly Regex BreathingLay = P(
        @"lips (?:{w} ){0,2}(?:blue|purple|grey)|(?:can|could) (?:only|barely|hardly) get (?:a |one |two |one or two )?(?:sentence|words?|breath) out|(?:can not|could not|barely) get (?:a )?sentence out|breathing (?:is )?(?:{w} )?(?:slow and shallow|fast and shallow|really fast|very fast|funny and|noisy and fast)"
        + @"|(?:inhaler|puffer|puffs)(?: {w}){0,8} (?:not touching it|doing nothing|no help|not helping|not working)|(?:choked|choking) on{gap}(?:no sound|can not (?:cough|breathe|talk|speak|cry)|purple|blue|not breathing)|(?:nostrils|nose) flar\w*|stops breathing|pulling at (?:{p} )?(?:collar|throat)|chest (?:is not|not) (?:even )?wheezing any ?more|gone (?:really )?quiet and (?:sleepy|drowsy)");

    private static readonly Regex HeadacheLay = P(
        @"head (?:is |feels |feels like it is )?explod\w*(?! with)|explosion in (?:{p} )?head|explosive (?:pain|headache)|(?:came|come|comes|went) (?:on )?(?:from )?(?:0|nought|zero) to (?:10|ten)|(?:came|come) on in (?:like )?(?:a|one) (?:second|split second|instant)|(?:most \w+|worst|biggest) headache (?:of|in) (?:{p} )?life"
        + @"|grabbed (?:{p} )?head (?:{w} ){0,2}screaming|worst pain (?:she|he|i|they) (?:has|have|had|is|am|was)? ?ever (?:had|felt)(?: {w}){0,8} (?:head|neck|sick|vomit\w*)|headache (?:came|come) (?:on )?(?:suddenly|so fast)|headache(?: {w}){0,14} worst (?:of (?:{p} )?life|ever)|like (?:being|been) hit (?:{w} ){0,6}head|like (?:i had|i have|i would|she had|he had) been hit (?:{w} ){0,4}head");

    private static readonly Regex StrokeLay = P(
        @"words (?:just |suddenly )?(?:are |came out |coming out |come out |were |sound |sounding )?(?:all |really |a bit |completely )?(?:jumbled|mixed up|wrong|garbled|muddled|funny|strange|weird|slurred)|(?:falling|fall|falls|leaning|veering|toppling) (?:over )?to the (?:left|right)|(?:went|gone|going) blind(?: {w}){0,4} (?:all of a sudden|suddenly)|half (?:{p} )?face (?:{w} ){0,2}(?:numb|droop\w*|dropped|fallen|fall down|weak)|face is fall\w*|(?:can not|could not) (?:speak|talk) (?:correct|correctly|right|properly)"
        + @"|(?:can not|could not|unable to) walk straight|(?:can not|could not) grip (?:anything|{p} \w+) (?:with|in) (?:{p} )?(?:left|right) (?:hand|arm)|face (?:{w} ){0,3}(?:slipping|sliding)|(?:left|right) side (?:felt|feels|went|gone|going) (?:weird|funny|numb|dead|heavy|strange)|(?:hand|arm) keeps? (?:dropping|dropped)|(?:room|everything|world) (?:{w} ){0,3}(?:at an angle|tilted|sideways)|(?:can not|could not) follow (?:a |the )?conversation|(?:toppl\w*|keel\w*) (?:over )?to (?:the )?(?:left|right|one side)|lost (?:the )?sight in (?:{p} )?(?:left |right )?eye|curtain (?:coming|came) down");

    private static readonly Regex ConfusionLay = P(
        @"away with the fairies|(?:do not|does not|did not) know where (?:she|he|they|i) (?:is|are|am)|(?:seeing|shouting at|talking to) (?:people|things|someone) (?:who|that) (?:are not|were not|is not) there|thinks it is (?:19|20)\d\d|(?:suddenly|since (?:lunch|this morning|she woke|he woke)) (?:{w} ){0,3}(?:can not follow|talking nonsense|making no sense|not making sense)|did not make sense when|(?:keeps|keep) asking the same (?:question|thing)s?|acting (?:like )?(?:he is |she is )?drunk");

    private static readonly Regex IngestionLay = P(
        @"(?:bit|bitten|biting|chewed|chewing) (?:into|on|through) (?:a |an |the |one of )?(?:{w} ){0,5}(?:capsule|pod|tablet|liquitab|battery|batteries|magnet)s?|(?:found|got into|got hold of|opened) (?:{p} )?(?:{w} ){0,2}{drug}(?: {w}){0,8} (?:drank|ate|swallowed|took|eaten|missing|chewed)"
        + @"|(?:drank|swallowed|had|taken|took) (?:{w} ){0,3}(?:whole|entire) (?:{w} ){0,2}(?:bottle|packet|week|box)(?: {w}){0,3} (?:of )?(?:{w} )?(?:{drug}|worth)|(?:tablets|pills) (?:are )?missing|(?:drank|drunk|swallowed) (?:{w} ){0,4}(?:antifreeze|methadone|digoxin|calpol)|(?:methadone|digoxin)(?: {w}){0,6} (?:drank|swallowed|had all|taken)|(?:vitamins|iron tablets)(?: {w}){0,6} (?:\d+|many|loads|handful)|(?:ate|eat|eaten|swallowed) (?:{w} ){0,2}(?:vitamins|iron)");

    private static readonly Regex TraumaLay2 = P(
        @"(?:fell|fallen) (?:off|from) (?:{p} |the )?(?:ladder|roof|scaffold\w*|balcony|horse|wall)(?: {w}){0,10} (?:back|neck|head|landed)|(?:car|van|lorry|bus|truck) (?:{w} ){0,2}(?:reversed into|ran over|knocked (?:down|over)) |one pupil (?:{w} ){0,3}(?:bigger|larger|smaller)|pupils? (?:are |is )?(?:different sizes|uneven)"
        + @"|clear (?:watery )?(?:fluid|liquid) (?:{w} ){0,3}(?:from|out of) (?:{p} )?(?:nose|ear)|(?:blood|it) (?:is |was |kind of )*(?:pumping|spurting|squirting|pouring) (?:out)?|blood (?:is )?pooling|(?:got|been|was|is|has been) (?:shot|stabbed)|(?:upstairs|first floor|bedroom) window height|fell (?:off|from){gap}landed on (?:{p} )?(?:back|head|neck)|(?:is|it is|its) still (?:pouring|gushing|pumping|spurting|pissing)(?: out)?|split (?:{p} )?head (?:open)?|(?:chainsaw|saw|axe|machete|knife|glass) (?:{w} ){0,4}(?:thigh|neck|groin|wrist)(?: {w}){0,6} (?:blood|deep)");

    private static readonly Regex EyeLay = P(
        @"(?:bleach|cleaner|cleaning (?:stuff|spray|fluid|liquid|product)|lime|mortar|cement|plaster|chemicals?|acid|alkali|caustic|ammonia|oven cleaner|drain cleaner)(?: {w}){0,8} (?:in|into) (?:{p} |the )?(?:{w} )?eyes?"
        + @"|(?:flew|went|got|blew|shot) (?:into|in) (?:{p} |the )?eye{gap}(?:can not see|blind|lost (?:{p} )?(?:vision|sight))|(?:grinding|hammering|drilling|chiselling|metal)(?: {w}){0,8} eye(?: {w}){0,6} (?:can not see|blind|vision)|(?:painful|sore) red eye(?: {w}){0,8} (?:halos|blurr\w*|sick|vomit\w*)|halos (?:around|round) (?:the )?lights");

    private static readonly Regex SepsisLay = P(
        @"(?:chemo\w*|chemotherapy)(?: {w}){0,10} (?:temperature|temp|fever|shiver\w*|38|39)|(?:temperature|temp|fever)(?: {w}){0,8} (?:chemo\w*|chemotherapy)|rash like bruis\w*|pin ?prick (?:{w} ){0,3}spots|feel like death|hands and feet are (?:freezing|ice cold)");

    private static readonly Regex EnvironmentalLay = P(
        @"(?:ice|freezing|stone) cold{gap}(?:drowsy|slow|confused|sleepy|not respond\w*)|hot car{gap}(?:floppy|respond\w*|confused|drowsy|fitting)");

    private static readonly Regex TorsionLay = P(
        @"(?:privates|nuts|balls|testicles?|down below){gap}(?:one side|out of the blue|an hour|been sick|crying)|(?:painful|swollen) (?:swollen |painful )?testicle(?: {w}){0,4} (?:sick|vomit\w*)|(?:woke|waking) (?:{w} ){0,3}(?:one )?(?:{w} ){0,2}(?:painful|swollen) testicle");

    private static readonly Regex InfantLay = P(
        @"soft spot (?:{w} ){0,8}bulg\w*|(?:crying|cry|scream\w*) (?:{w} )?high ?pitched|pale and limp|red (?:jelly|currant jelly)");

    private static readonly Regex GiBleedLay = P(
        @"(?:poo|poop|stools?|motions?) (?:{w} ){0,4}(?:jet black|black and (?:{w} )?(?:sticky|tarry)|like tar|tarry)|(?:sick|vomit\w*|threw up|throwing up){gap}(?:bright red blood|loads of (?:{w} ){0,2}blood|full of blood)|(?:runs|diarrhoea|poo) (?:{w} ){0,4}(?:dark red blood|mostly blood|loads of blood)");

    private static readonly Regex ChemicalSkinLay = P(
        @"(?:drain cleaner|oven cleaner|bleach|acid|caustic|chemical\w*|cement|lime){gap}skin (?:is |has )?(?:going|gone|turning|turned|gone) (?:white|grey|black|leathery)");

    private static readonly Regex PalpitationLay = P(
        @"heart (?:{w} ){0,3}(?:going like the clappers|like the clappers|racing|pounding|hammering|fluttering|doing somersaults|all over the place|going (?:really |very )?fast|beating (?:really |very )?fast)|pulse (?:is )?(?:really |very )?(?:slow|fast|racing|weak)|watch (?:said|says|showed) (?:1[5-9]\d|2\d\d)");

    private static readonly Regex FaintLay = P(
        @"went down|ended up on the floor|end up on the floor|everything (?:goes|went|going) (?:dark|black)|came round on the floor|come over all faint|(?:dizzy|confused)|fell down");

    private static readonly Regex InfantFeedLay = P(
        @"(?:will not|would not|not|refus\w*) (?:{w} )?(?:take|taking|drink|drinking) (?:{p} |any |his |her )?(?:milk|feeds?|bottle)|(?:no|not had a|has not had a|not had any) wet nappy|(?:only )?tak\w* (?:about )?half (?:{p} )?usual feeds|(?:very|really|more) sleepy");

    private static readonly Regex ArmJawLay = P(@"(?:arm|jaw|shoulder)s?(?: {w}){0,4} (?:heavy|achy|aching|ache|aches|pain\w*|hurt\w*)");
    private static readonly Regex Hopeless = P(@"(?:do not|not) (?:really )?see the point|no point (?:any ?more|in anything|in going on)|nobody (?:will|would) miss me|can not do this any ?more|had enough of (?:life|everything)|things have been bad|really down|not want to be here");
    private static readonly Regex MeansReady = P(@"(?:got|have|bought|saved) (?:up )?(?:the |my |all )?(?:{w} )?(?:tablets|pills|rope|knife|vodka|meds|medication)|nobody (?:is )?home|(?:made sure|sorted) (?:{w} ){0,3}(?:cat|dog|kids|pets?) (?:will|would|is|are)|sorting out (?:{p} )?stuff");
    private static readonly Regex HeadBlowLay = P(@"(?:punched|assaulted|beaten up|headbutted|kicked in the head){gap}(?:throwing up|vomit\w*|been sick|being sick|blurr\w*|drowsy|double vision|confused)");
    private static readonly Regex Anticoagulant = P(@"warfarin|apixaban|rivaroxaban|edoxaban|dabigatran|blood thinners?|anticoagulants?|eliquis|xarelto");
    private static readonly Regex HeadBumpLay = P(@"(?:bumped|banged|hit|knocked|bashed) (?:{p} )?(?:{w} ){0,4}head|head injury|fall (?:{w} ){0,6}head");
    private static readonly Regex BlackStoolLay = P(@"(?:poo|poop|stools?|motions?) (?:{w} ){0,4}black|black (?:poo|poop|stools?)");
    private static readonly Regex EarlyPregnancyLay = P(@"missed (?:{p} )?period|(?:pregnancy )?test (?:is |was |came back )?positive|positive (?:pregnancy )?test|pregnant");
    private static readonly Regex EctopicSignLay = P(@"shoulder tip|pain (?:{w} ){0,4}low down on (?:the |my |her )?(?:left|right)");
    private static readonly Regex MovementsAbsentLay = P(@"(?:not|never) (?:felt|feel|feeling) (?:the baby |him |her |it |baby )?(?:move|moving|kick\w*)(?: {w}){0,2} (?:at all|all day)|(?:baby|he|she) (?:has not|is not|has) (?:moved|been moving) at all|no (?:movements?|kicks) at all");
    private static readonly Regex WatersEarlyLay = P(@"(?:[12]\d|3[0-6]) (?:weeks|wks)(?: pregnant)?{gap}waters (?:have |has |just )?(?:gone|went|broken|broke|leaking)");
    private static readonly Regex FireContext = P(@"burn\w*|fire|flames?|whoosh|bbq|barbecue|petrol|scald\w*|hot (?:water|oil|fat)|kettle");
    private static readonly Regex BurnSiteBlister = P(@"(?:hands?|face|fingers?|feet|foot|palms?) (?:are |is |have |has )?(?:started )?blister\w*|(?:singed|burnt|burned) (?:{p} )?(?:eyebrows|eyelashes|nose hairs)|eyebrows (?:are |have )?(?:gone|singed|burnt)");

    // ---- Round 2: same-day families (urgent) seen in tuning-A/B, by kind ------------------------

    private static readonly Regex InfectionReviewLay = P(
        @"(?:red|hot|swollen)(?: and| {w}){0,3} (?:patch|area|skin|lump)(?: {w}){0,6} (?:spreading|getting bigger|bigger)|(?:ear|eye) (?:{w} ){0,3}(?:discharge|gunk|pus)|(?:yellow|green) (?:stuff|gunk|pus) (?:{w} ){0,3}(?:out of|from) (?:{p} )?ear"
        + @"|barking cough|cough like a seal|croup|shingles(?: {w}){0,8} (?:eye|forehead|nose)|(?:band|strip) (?:of )?(?:{w} )?rash(?: {w}){0,4} blister\w*|(?:rash|spots?) (?:in a band|on one side)(?: {w}){0,6} blister\w*|(?:methotrexate|chemo\w*|steroids|immunosuppress\w*|no spleen)(?: {w}){0,10} (?:temp\w*|fever|sore throat)"
        + @"|(?:boob|breast) (?:is )?(?:red|hot|painful)(?: {w}){0,6} (?:lump|temp\w*|fever)|(?:spots?|wound|stitches|sore|ulcer|scar)(?: {w}){0,6} (?:infected|oozy|oozing|leakin\w*|leaking|smell\w*)|(?:wisdom tooth|tooth) (?:{w} ){0,8}(?:jaw is swollen|getting worse|open (?:{p} )?mouth)");

    private static readonly Regex ForeignBodyLay = P(
        @"(?:bead|pea|foam|button|toy|stone|sweet|crayon|rubber)(?: {w}){0,3} (?:up|in|into) (?:{p} |the )?(?:nose|nostril|ear)|fish ?hook (?:{w} ){0,3}(?:stuck|in)|(?:rusty )?nail (?:{w} ){0,3}(?:went through|into|in) (?:{p} )?(?:foot|hand|shoe)|stepped on (?:a )?(?:rusty )?nail");

    private static readonly Regex InjuryReviewLay = P(
        @"(?:fell|fall|landed|slipped|stubbed|twisted)(?: {w}){0,8} (?:wrist|ankle|knee|toe|hip|finger)(?: {w}){0,8} (?:swollen|swelling|pointing|more painful|will not use|hard to bend|limp)|(?:wrist|ankle|knee|toe|hip) (?:is )?(?:swollen|purple)(?: {w}){0,6} (?:pointing|will not use|hard to bend|more painful|funny)"
        + @"|(?:dog|cat|fox|horse) (?:{w} )?(?:bit|bitten) (?:{p} )?(?:hand|arm|leg|face|finger|foot)|can not bend (?:the )?(?:tip of )?(?:{p} )?finger|pregnant(?: {w}){0,4} (?:slipped|fell|landed)|(?:slipped|fell|landed)(?: {w}){0,8} (?:[2-4]\d) weeks|welding (?:{w} ){0,4}(?:eyes?|mask)|contact lens\w*(?: {w}){0,8} (?:sore|red|painful|light)");

    private static readonly Regex MedicationProblemLay = P(
        @"(?:run out of|ran out of|missed) (?:{p} )?(?:{w} )?(?:insulin|epilepsy (?:tablets|meds|medication)|anti ?epileptics?|dose)|inr (?:{w} ){0,3}(?:[6-9]|1\d)\b|catheter (?:{w} ){0,3}(?:stopped draining|not draining|blocked)|(?:can not|could not) keep (?:{p} )?(?:tablets|meds|medication|pills) down"
        + @"|(?:migraine|headache) (?:{w} ){0,4}(?:3|three|4|four|5|five) days|(?:wee|urine) (?:{w} ){0,3}(?:dark and frothy|frothy)(?: {w}){0,6} (?:puffy|swollen)|(?:ringing|muffled|lost (?:{p} )?hearing)(?: {w}){0,4} (?:hearing )?(?:in )?one ear|(?:blood pressure|bp)(?: {w}){0,4} (?:1[89]\d|2\d\d) ?/ ?(?:1[1-9]\d)|kidney stones?(?: {w}){0,8} (?:back|again)");

    // ---- The table ---------------------------------------------------------------------------

    /// <summary>Phrases that decide a level on their own, most severe first.</summary>
    internal static readonly Rule[] Phrases =
    [
        new("chest_pain", TriageLevel.Emergency, ChestPain, ResolvedId: "chest_pain_resolved"),
        new("stroke_signs", TriageLevel.Emergency, StrokeSigns),
        new("sudden_severe_headache", TriageLevel.Emergency, SuddenSevereHeadache),
        new("not_breathing", TriageLevel.Emergency, NotBreathing),
        new("breathing_difficulty", TriageLevel.Emergency, BreathingDifficulty, ResolvedId: "breathlessness"),
        new("anaphylaxis", TriageLevel.Emergency, Anaphylaxis),
        new("severe_bleeding", TriageLevel.Emergency, SevereBleeding),
        new("vomiting_blood", TriageLevel.Emergency, VomitingBlood),
        new("suicidal_intent", TriageLevel.Emergency, SuicidalIntent),
        new("self_harm", TriageLevel.Emergency, SelfHarm),
        new("overdose", TriageLevel.Emergency, Overdose),
        new("unconscious", TriageLevel.Emergency, Unconscious),
        new("seizure", TriageLevel.Emergency, Seizure),
        new("meningitis_signs", TriageLevel.Emergency, MeningitisWord),
        new("meningitis_signs", TriageLevel.Emergency, NonBlanchingRash),
        new("sepsis_signs", TriageLevel.Emergency, SepsisWord),
        new("sepsis_signs", TriageLevel.Emergency, SkinSepsisSigns),
        new("feels_like_dying", TriageLevel.Emergency, FeelsLikeDying),
        new("acute_confusion", TriageLevel.Emergency, AcuteConfusion),
        new("major_trauma", TriageLevel.Emergency, MajorTrauma),
        new("major_trauma", TriageLevel.Emergency, TraumaLay),
        new("serious_burn", TriageLevel.Emergency, ElectricOrChemicalInjury),
        new("serious_burn", TriageLevel.Emergency, SmokeInhalation),
        new("poisoning", TriageLevel.Emergency, ChildIngestion),
        new("mental_health_crisis", TriageLevel.Emergency, MentalHealthCrisis),
        new("self_harm", TriageLevel.Emergency, SelfHarmLay),
        new("airway_or_drowning", TriageLevel.Emergency, ChokingDrowning),
        new("environmental_emergency", TriageLevel.Emergency, Environmental),
        new("critical_circulation", TriageLevel.Emergency, CirculationLoss),
        new("eye_emergency", TriageLevel.Emergency, EyeEmergency),
        new("severe_bleeding", TriageLevel.Emergency, RectalBleeding),
        new("child_danger_signs", TriageLevel.Emergency, ChildDangerSigns),
        new("aortic_emergency", TriageLevel.Emergency, AortaTearing),
        new("diabetic_emergency", TriageLevel.Emergency, DkaWords),
        new("suicidal_intent", TriageLevel.Emergency, SuicidalLay),
        new("seizure", TriageLevel.Emergency, SeizureLay),
        new("unconscious", TriageLevel.Emergency, UnconsciousLay),
        new("breathing_difficulty", TriageLevel.Emergency, BreathingLay, ResolvedId: "breathlessness"),
        new("sudden_severe_headache", TriageLevel.Emergency, HeadacheLay),
        new("stroke_signs", TriageLevel.Emergency, StrokeLay),
        new("acute_confusion", TriageLevel.Emergency, ConfusionLay),
        new("poisoning", TriageLevel.Emergency, IngestionLay),
        new("major_trauma", TriageLevel.Emergency, TraumaLay2),
        new("eye_emergency", TriageLevel.Emergency, EyeLay),
        new("sepsis_signs", TriageLevel.Emergency, SepsisLay),
        new("environmental_emergency", TriageLevel.Emergency, EnvironmentalLay),
        new("testicular_torsion", TriageLevel.Emergency, TorsionLay),
        new("infant_danger_signs", TriageLevel.Emergency, InfantLay),
        new("vomiting_blood", TriageLevel.Emergency, GiBleedLay),
        new("serious_burn", TriageLevel.Emergency, ChemicalSkinLay),

        new("breathlessness", TriageLevel.Urgent, Breathlessness, DropWhenResolved: true),
        new("fainting", TriageLevel.Urgent, Fainting),
        new("allergic_reaction", TriageLevel.Urgent, AllergicReaction),
        new("allergic_reaction", TriageLevel.Urgent, FacialSwelling),
        new("dehydration", TriageLevel.Urgent, Dehydration),
        new("head_injury", TriageLevel.Urgent, HeadInjury, DropWhenResolved: true),
        new("severe_pain", TriageLevel.Urgent, SeverePain),
        new("dvt_signs", TriageLevel.Urgent, DvtSigns),
        new("coughing_blood", TriageLevel.Urgent, CoughingBlood),
        new("high_fever", TriageLevel.Urgent, VeryHighFeverWords),
        new("persistent_fever", TriageLevel.Urgent, PersistentFever),
        new("possible_seizure", TriageLevel.Urgent, AbsenceSeizure),
        new("asthma_worsening", TriageLevel.Urgent, AsthmaWorsening),
        new("mental_health_urgent", TriageLevel.Urgent, MentalHealthUrgent),
        new("eye_problem", TriageLevel.Urgent, EyeProblem),
        new("high_blood_sugar", TriageLevel.Urgent, HighSugarUrgent),
        new("possible_fracture", TriageLevel.Urgent, PossibleFracture),
        new("wound_needs_care", TriageLevel.Urgent, WoundCare),
        new("infection_needs_review", TriageLevel.Urgent, InfectionReviewLay),
        new("foreign_body", TriageLevel.Urgent, ForeignBodyLay),
        new("injury_needs_review", TriageLevel.Urgent, InjuryReviewLay),
        new("medication_or_device_problem", TriageLevel.Urgent, MedicationProblemLay),
        new("infection_not_improving", TriageLevel.Urgent, InfectionNotImproving),
        new("possible_poisoning", TriageLevel.Urgent, PlantIngestion),
    ];

    /// <summary>Rules that need two findings together, or a number (temperature, age).</summary>
    internal static void Combine(SafetyScan s, List<(string Id, TriageLevel Level)> found)
    {
        bool Found(string id) => found.Exists(f => f.Id == id);
        void Add(string id, TriageLevel level) => found.Add((id, level));

        var temperature = HighestTemperatureCelsius(s.Text);
        // A reading decides: "temperature 37.2, is that a fever?" is not a fever.
        var fever = temperature is { } t ? t >= 38.0 : s.Has(FeverWord);

        // Meningitis (NICE NG240 / Meningitis Now): fever with a stiff neck, or headache + stiff neck + light hurting.
        var stiffNeck = s.Has(StiffNeck);
        var photophobia = s.Has(Photophobia);
        if ((fever && stiffNeck) || (fever && photophobia && s.Has(Headache)) || (stiffNeck && photophobia && s.Has(Headache)))
            Add("meningitis_signs", TriageLevel.Emergency);
        else if (fever && s.Has(Rash))
            Add("fever_with_rash", TriageLevel.Urgent);

        // Fever in a baby (NICE NG143): under 3 months with >= 38 °C is high risk; 3–6 months with >= 39 °C too.
        var pregnant = s.Mentions(Pregnancy);
        var ageMonths = YoungestAgeMonths(s.Text);
        var newborn = s.Mentions(NewbornWord);
        var infant = newborn || (ageMonths is < 12) || (s.Mentions(InfantWord) && (!pregnant || ageMonths is not null));
        if (infant && fever)
        {
            var under3Months = ageMonths is { } a ? a < 3 : true;
            // NICE NG143 traffic light: under 3 months with >= 38 C is red; 3-6 months with >= 39 C is amber (same day).
            if (under3Months || (ageMonths is null && temperature is null)) Add("infant_fever", TriageLevel.Emergency);
            else Add("infant_fever", TriageLevel.Urgent);
        }
        if (infant && s.Has(InfantDangerSigns)) Add("infant_danger_signs", TriageLevel.Emergency);

        if (temperature is >= 39.5 or < 35.0 && !Found("high_fever"))
            Add(temperature >= 39.5 ? "high_fever" : "low_temperature", TriageLevel.Urgent);

        // Sepsis (UK Sepsis Trust / NICE NG51): an infection with a red-flag sign.
        if ((fever || s.Has(InfectionContext)) && s.Has(SepsisSigns)) Add("sepsis_signs", TriageLevel.Emergency);

        // Pregnancy (NHS: bleeding in pregnancy; RCOG reduced fetal movements; NICE pre-eclampsia).
        if (pregnant)
        {
            var bleeding = s.Find(PregnancyBleeding);
            if (bleeding is not null && !NotVaginalBleeding.IsMatch(ClauseAround(s.Text, bleeding.Index)))
                Add("pregnancy_bleeding", TriageLevel.Emergency);
            else if (s.Has(Spotting) && s.Has(PregnancyPain))
                Add("pregnancy_bleeding", TriageLevel.Emergency); // spotting with pain: ectopic until shown otherwise
            else if (s.Has(Spotting))
                Add("pregnancy_spotting", TriageLevel.Urgent);
            if (s.Has(ReducedMovements)) Add("pregnancy_reduced_movements", TriageLevel.Urgent);
            if (s.Has(PreEclampsia)) Add("pre_eclampsia_signs", s.Has(Headache) ? TriageLevel.Emergency : TriageLevel.Urgent);
        }

        // Anaphylaxis (Resuscitation Council UK): swelling of lips/face with an allergen is treated as anaphylaxis.
        if (s.Has(FacialSwelling) && s.Has(AllergicContext)) Add("anaphylaxis", TriageLevel.Emergency);
        if ((Found("allergic_reaction") || s.Mentions(AllergicContext)) && (Found("fainting") || Found("breathlessness")) && s.Has(AllergicReaction))
            Add("anaphylaxis", TriageLevel.Emergency);

        // Urinary infection with fever or loin pain: possible pyelonephritis.
        if (s.Has(UrinaryInfection) && (fever || s.Has(KidneySigns))) Add("urinary_infection_with_fever", TriageLevel.Urgent);

        // Head injury with NICE NG232 CT-within-1-hour features.
        if (Found("head_injury") && s.Has(HeadInjuryRedFlags)) Add("head_injury_red_flags", TriageLevel.Emergency);


        // ---- Presentations from the NHS 999 list, MTS flowcharts and NICE red flags (docs/safety.md) ----

        // Diabetic emergencies (NICE NG17/NG18; NHS DKA and hypoglycaemia): high sugar or a diabetic
        // who is vomiting, breathing deep and fast, drowsy or confused; low sugar with a red flag.
        var diabetic = s.Mentions(DiabetesContext);
        if (s.Has(HighSugar) && (s.Has(DkaSigns) || s.Has(DkaWords) || s.Has(FeelUnwell))) Add("diabetic_emergency", TriageLevel.Emergency);
        else if (diabetic && s.Has(DkaSigns)) Add("diabetic_emergency", TriageLevel.Emergency);
        else if (s.Has(HighSugar)) Add("high_blood_sugar", TriageLevel.Urgent);
        if (s.Has(LowSugar) && s.Has(HypoRedFlags)) Add("diabetic_emergency", TriageLevel.Emergency);

        // Burns (NHS burns and scalds): large, deep, white or charred, on the face, hands, feet,
        // genitals or airway, blistering, chemical or electrical, or on a young child: A&E now.
        if (s.Has(BurnWord) && (s.Has(SevereBurnFeature) || s.Has(Blister) || (s.Has(BurnSite) && s.Has(AbdominalBad)) || (s.Mentions(ChildWord) && !s.Mentions(MinorBurn))))
            Add("serious_burn", TriageLevel.Emergency);

        // Acute abdomen (NICE CKS; MTS abdominal pain): sudden or severe belly pain, a rigid belly,
        // belly pain with fainting, vomiting blood, a racing heart or in pregnancy.
        var bellyPain = s.SameSentence(AbdomenWord, AbdominalPainWord);
        if (s.Has(AcuteAbdomenSigns) || s.SameSentence(NoBowels, ObstructionSign)) Add("acute_abdomen", TriageLevel.Emergency);
        if (bellyPain)
        {
            if ((s.SameSentence(AbdomenWord, AbdominalPainWord, AbdominalSeverity) || s.SameSentence(AbdomenWord, AbdominalPainWord, AbdominalSudden, AbdominalBad)) && !s.Mentions(Period))
                Add("acute_abdomen", TriageLevel.Emergency);
            else if (Found("fainting") || Found("vomiting_blood") || s.Has(Palpitations) || s.Has(StrongAutonomic) || s.Has(FaintNow))
                Add("acute_abdomen", TriageLevel.Emergency);
            else if (s.SameSentence(AbdomenWord, AbdominalPainWord, AbdominalBad) && (fever || s.Has(DkaSignsVomit)))
                Add("acute_abdomen", TriageLevel.Emergency);
            else if (s.Mentions(Pregnancy) && !s.Mentions(MildPregnancyPain))
                Add("acute_abdomen", TriageLevel.Emergency);
            else if (s.Has(AbdominalWorsening))
                Add("abdominal_pain", TriageLevel.Urgent);
        }

        // Testicular torsion (NHS: sudden testicle pain is an emergency).
        if (s.SameSentence(TesticlePain, TesticleSevere) || (s.Has(TesticlePain) && s.Has(TesticleSevere) && s.Has(DkaSignsVomit)))
            Add("testicular_torsion", TriageLevel.Emergency);
        else if (s.Has(TesticlePain)) Add("testicle_pain", TriageLevel.Urgent);

        // Cauda equina (NICE CKS low back pain; GIRFT): back pain with saddle numbness, new bladder
        // or bowel trouble, or both legs weak.
        if (s.Has(SaddleNumbness) || (s.Mentions(BackContext) && s.Has(CaudaEquinaSigns))) Add("cauda_equina", TriageLevel.Emergency);

        // Heart attack without the words "chest pain" (NHS; NICE CG95): indigestion-like pain, arm,
        // jaw, neck or back pain with sweating or a grey colour; in an older or diabetic person,
        // with nausea or breathlessness.
        var equivalent = s.Has(CardiacEquivalent);
        if ((equivalent || s.Has(IndigestionWord) || s.Has(ChestWord)) && s.Has(StrongAutonomic)) Add("chest_pain", TriageLevel.Emergency);
        else if (equivalent && s.Has(IndigestionWord)) Add("chest_pain", TriageLevel.Emergency);
        else if (equivalent && s.Has(AutonomicSigns) && s.Mentions(CardiacRisk)) Add("chest_pain", TriageLevel.Emergency);

        // Palpitations (NHS: call 999 with chest pain, breathlessness or fainting).
        if (s.Has(Palpitations) && (s.Has(PalpitationRedFlags) || Found("chest_pain") || Found("breathing_difficulty")))
            Add("palpitations", TriageLevel.Emergency);

        // A seizure described without the word: stiffening or jerking with unresponsiveness,
        // rolled-up eyes, a bitten tongue, incontinence, or the whole body.
        if (s.Has(SeizureMovement) && s.Has(SeizureContext)) Add("seizure", TriageLevel.Emergency);

        // Pregnancy complications (NHS; RCOG; NICE NG133/NG25): waters or contractions before
        // 37 weeks, discoloured waters, severe or one-sided pain, fainting with pain or bleeding.
        var weeks = PregnancyWeeksStated(s.Text);
        var pregnantNow = pregnant || weeks is not null;
        if (pregnantNow && s.Has(PregnancyTrauma)) Add("pregnancy_complication", TriageLevel.Emergency);
        if (s.Has(LabourWords))
        {
            if (weeks is < 37 || s.Has(PregnancyAcuteSigns)) Add("pregnancy_complication", TriageLevel.Emergency);
            else Add("labour", TriageLevel.Urgent);
        }
        if (pregnantNow && s.Has(PregnancyAcuteSigns)) Add("pregnancy_complication", TriageLevel.Emergency);
        if (pregnantNow && !pregnant)
        {
            var bleeding = s.Find(PregnancyBleeding);
            if (bleeding is not null && !NotVaginalBleeding.IsMatch(ClauseAround(s.Text, bleeding.Index))) Add("pregnancy_bleeding", TriageLevel.Emergency);
            if (s.Has(ReducedMovements)) Add("pregnancy_reduced_movements", TriageLevel.Urgent);
        }
        if (pregnantNow && s.Count(PreEclampsia) >= 2) Add("pre_eclampsia_signs", TriageLevel.Emergency);
        else if (pregnantNow && s.Has(Headache) && !Found("pre_eclampsia_signs")) Add("pregnancy_headache", TriageLevel.Urgent);
        if (s.Mentions(PostpartumContext) && (s.Has(PregnancyBleeding) && (s.Has(HeavyWords) || s.Has(FaintNow)) || s.Has(PregnancyAcuteSigns)))
            Add("pregnancy_complication", TriageLevel.Emergency);

        if (pregnantNow && s.Has(PregnancyItch)) Add("pregnancy_itching", TriageLevel.Urgent);

        // Adrenal crisis (Society for Endocrinology; NHS Addison's): steroid-dependent and vomiting or faint.
        if (s.Mentions(AdrenalContext) && s.Has(AdrenalSigns)) Add("adrenal_crisis", TriageLevel.Emergency);

        // Meningitis: fever with light hurting the eyes (NICE NG240).
        if (fever && photophobia && !Found("meningitis_signs")) Add("meningitis_signs", TriageLevel.Emergency);

        // Anaphylaxis: an allergen with throat, voice, swallowing, breathing or faintness signs.
        if (s.Mentions(AllergicContext) && (s.Has(AnaphylaxisSigns) || Found("fainting") || s.Has(FaintNow))) Add("anaphylaxis", TriageLevel.Emergency);

        // Sepsis in lay words (UK Sepsis Trust; NICE NG51): an infection and someone very unwell.
        if ((fever || s.Has(InfectionContext)) && s.Has(InfectionUnwell)) Add("sepsis_signs", TriageLevel.Emergency);

        // Head injury in lay words (NICE NG232).
        if (s.Has(HeadInjuryEvent) && (s.Has(HeadInjuryRedFlags) || s.Has(HeadInjuryLayRedFlags))) Add("head_injury_red_flags", TriageLevel.Emergency);

        // Poisoning: carbon monoxide with symptoms; a plant or berries with symptoms.
        if (s.Has(CarbonMonoxide) && (s.Has(PoisoningSigns) || s.Has(Headache))) Add("poisoning", TriageLevel.Emergency);
        if (s.Has(PlantIngestion) && s.Has(PoisoningSigns)) Add("poisoning", TriageLevel.Emergency);

        // A swollen calf with breathlessness or chest pain: pulmonary embolism until shown otherwise.
        if (Found("dvt_signs") && (Found("breathlessness") || Found("chest_pain") || Found("chest_pain_resolved")))
            Add("pulmonary_embolism_signs", TriageLevel.Emergency);

        // Round 2 concept pairs: a racing, pounding or very slow heart with a faint or a fall (NHS
        // palpitations: call 999 with fainting); a young baby not feeding, dry or unusually sleepy.
        if (s.SameSentence(PalpitationLay, FaintLay) || (s.Has(PalpitationLay) && Found("fainting")))
            Add("palpitations", TriageLevel.Emergency);
        if (s.SameSentence(ArmJawLay, StrongAutonomic) && s.Mentions(CardiacRisk)) Add("chest_pain", TriageLevel.Emergency);
        if (s.Has(Hopeless) && s.Has(MeansReady)) Add("suicidal_intent", TriageLevel.Emergency);
        if (s.Has(HeadBlowLay) || (s.Mentions(Anticoagulant) && s.Has(HeadBumpLay))) Add("head_injury_red_flags", TriageLevel.Emergency);
        if (s.Has(BlackStoolLay) && (s.Mentions(Anticoagulant) || s.Has(FaintLay) || Found("fainting"))) Add("vomiting_blood", TriageLevel.Emergency);
        if (s.Mentions(EarlyPregnancyLay) && s.Has(EctopicSignLay) && (s.Has(FaintLay) || Found("fainting") || s.Has(EctopicShoulder)))
            Add("pregnancy_complication", TriageLevel.Emergency);
        // Three independent writers read "not moved at all today" as 999: the NHS says contact the
        // maternity unit immediately and not to wait, so absent movements (none at all) are raised;
        // reduced ones, or none "since yesterday", stay urgent (RCOG GTG 57) as in vignettes.tsv.
        if (s.Has(MovementsAbsentLay) && (weeks is not null || pregnant || s.Mentions(GestationLay))) Add("pregnancy_complication", TriageLevel.Emergency);
        if (s.Has(WatersEarlyLay)) Add("pregnancy_complication", TriageLevel.Emergency);
        if (s.Has(BurnSiteBlister) && s.Mentions(FireContext)) Add("serious_burn", TriageLevel.Emergency);
        if (s.Has(InfantFeedLay) && (s.Mentions(YoungBabyAge) || s.Mentions(InfantWord) && s.Count(InfantFeedLay) >= 2))
            Add("infant_danger_signs", TriageLevel.Emergency);
    }

    private static readonly Regex GestationLay = P(@"(?:[2-4]\d) (?:weeks|wks)");
    private static readonly Regex EctopicShoulder = P(@"shoulder tip");
    private static readonly Regex YoungBabyAge = P(@"(?:[1-9]|1[0-2]) (?:week|wk)s? old|newborn|(?:[1-2]) months? old");

    private static readonly Regex Blister = P(@"blister\w*");
    private static readonly Regex ChestWord = P(@"chest(?! (?:infection|x ?ray|scan|drain|hair|size|muscles?|cold|of drawers))");
    private static readonly Regex ChildWord = P(@"baby|toddler|infant|child|little one|son|daughter|boy|girl|kid|grandson|granddaughter|(?:\d|one|two|three|four) (?:year|month)s? old");
    private static readonly Regex MinorBurn = P(@"tiny|small|minor|little burn|superficial|just red|only red|no blisters?");
    private static readonly Regex PregnancyTrauma = P(@"had a fall|(?:fell|fallen) (?:down|over|off|on|onto)|landed on (?:{p} )?(?:bump|stomach|tummy|belly|front)|(?:car|road) (?:accident|crash)|(?:hit|kicked|punched) (?:{w} ){0,2}(?:stomach|tummy|belly|bump)");
    private static readonly Regex FeelUnwell = P(@"(?:feel\w*|felt) (?:really |very |so )?(?:sick|terrible|awful|dreadful|unwell|ill|rough|horrendous|like death)|nause\w*");
    private static readonly Regex NoBowels = P(@"(?:not|have not|has not|had not|can not|could not|no|unable to) (?:{w} ){0,3}(?:pooed|poo|poop\w*|opened (?:{p} )?bowels|passed (?:wind|gas)|farted|fart|bowel movement)");
    private static readonly Regex ObstructionSign = P(@"vomit\w*|being sick|been sick|throwing up|swollen|bloated|distended");
    private static readonly Regex AdrenalContext = P(@"addison\w*|adrenal (?:insufficiency|crisis)|hypopituitar\w*|hydrocortisone|(?:on|take|takes|taking) (?:long term )?(?:steroids|prednisolone)");
    private static readonly Regex AdrenalSigns = P(@"vomit\w*|being sick|faint\w*|dizzy|collaps\w*|drowsy|confus\w*|diarrh\w*|(?:can not|could not) keep (?:{w} ){0,3}down");
    private static readonly Regex PregnancyItch = P(@"itch\w* (?:{w} ){0,4}(?:hands|feet|palms|soles)|(?:hands|feet|palms|soles) (?:{w} ){0,3}itch\w*");
    private static readonly Regex Period = P(@"period|periods|menstrual|time of the month");
    private static readonly Regex FaintNow = P(@"(?:feel|feels|feeling|felt|going to|about to|might) (?:really |very |so )?(?:faint|pass out|black out|collapse)|faint\w*|passed out|collapsed|dizzy and (?:pale|sweaty|clammy)");
    private static readonly Regex MildPregnancyPain = P(@"mild|slight|a bit of|a little|twinges?|braxton|round ligament|niggl\w*|period like|on and off");
    private static readonly Regex AbdominalWorsening = P(@"(?:right|left) side|lower right|getting worse|worse (?:when|if|on)|(?:since|for) (?:yesterday|two days|2 days|a day|24 hours)|fever|temperature|vomit\w*|being sick");
    private static readonly Regex DkaSignsVomit = P(@"vomit\w*|throw\w* up|threw up|being sick|been sick|feel sick|nause\w*");
    private static readonly Regex SaddleNumbness = P(@"saddle (?:numbness|anaesthesia|anesthesia)|cauda equina");
    private static readonly Regex HeavyWords = P(@"heav\w*|a lot|lots|loads|soak\w*|clots|pouring|gushing|will not stop|not stopping");

    /// <summary>Weeks of pregnancy stated ("I'm 30 weeks", "34 weeks pregnant"), when plausible (4–42).</summary>
    internal static int? PregnancyWeeksStated(string text)
    {
        foreach (Match m in PregnancyWeeks.Matches(text))
            if (int.TryParse(m.Groups["w"].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) && w is >= 4 and <= 42)
                return w;
        return null;
    }

    private static string ClauseAround(string text, int index)
    {
        var start = Math.Max(0, index - 40);
        var end = Math.Min(text.Length, index + 40);
        return text[start..end];
    }

    /// <summary>The highest temperature stated, in °C; bare numbers are read as °C (34–44) or °F (93–110).</summary>
    internal static double? HighestTemperatureCelsius(string text)
    {
        double? best = null;
        foreach (Match m in Temperature.Matches(text))
        {
            if (!double.TryParse(m.Groups["v"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) continue;
            var unit = m.Groups["u"].Success ? m.Groups["u"].Value[0] : ' ';
            double? c = unit switch
            {
                'c' when v is >= 30 and <= 45 => v,
                'f' when v is >= 86 and <= 113 => (v - 32) * 5 / 9,
                ' ' when v is >= 34 and <= 44 => v,
                ' ' when v is >= 93 and <= 110 => (v - 32) * 5 / 9,
                _ => null,
            };
            if (c is { } x && (best is null || x > best)) best = x;
        }
        return best;
    }

    /// <summary>The youngest age stated ("6 weeks old", "baby is 2 months"), in months.</summary>
    internal static double? YoungestAgeMonths(string text)
    {
        double? best = null;
        foreach (Match m in Age.Matches(text))
        {
            var n = Number(m.Groups["n"].Value);
            var u = m.Groups["u"].Value;
            double months = u[0] switch { 'd' => n / 30.4, 'w' => n / 4.345, 'm' => n, _ => n * 12 };
            if (best is null || months < best) best = months;
        }
        return best;
    }

    private static int Number(string s) => s switch
    {
        "a" or "one" => 1, "two" => 2, "three" => 3, "four" => 4, "five" => 5, "six" => 6, "seven" => 7,
        "eight" => 8, "nine" => 9, "ten" => 10, "eleven" => 11, "twelve" => 12,
        _ => int.Parse(s, CultureInfo.InvariantCulture),
    };
}

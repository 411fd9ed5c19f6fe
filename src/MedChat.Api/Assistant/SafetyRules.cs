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
            .Replace("{w}", @"\w+", StringComparison.Ordinal) + @")\b",
        Options);

    private const string Drugs = @"(?:pills|tablets|meds|medications?|medicines?|capsules|antidepressants|painkillers|paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|insulin|sleeping (?:pills|tablets)|iron tablets|co codamol|codeine|tramadol|opioids|oxycodone|methadone|diazepam|gabapentin|sertraline|citalopram|fluoxetine|amitriptyline|lithium|warfarin|gummies)";

    // ---- Emergency phrases -------------------------------------------------------------------

    private static readonly Regex ChestPain = P(
        @"chest (?:pains?|aches?|aching|tightness|pressure|discomfort|heaviness|hurts?|hurting|is (?:hurting|tight|heavy|burning|painful|killing)|(?:feels?|felt) (?:very |really |so |a bit |quite )?(?:tight|heavy|crushed|squeezed|painful|like (?:an? |there|someone|something|it|i|my))|(?:got |gone |went |getting |goes )?tight)"
        + @"|(?:pains?|tightness|pressure|heaviness|discomfort|ache|squeezing|crushing|burning|stabbing)(?: {w}){0,3} (?:in|across|on) (?:the |{p} )?(?:middle of (?:the |{p} )?|centre of (?:the |{p} )?|left side of (?:the |{p} )?)?chest"
        + @"|(?:tight|heavy|crushing|painful|squeezing|aching) chest|(?:weight|pressure|elephant|something heavy|tight band|band) (?:{w} ){0,2}(?:on|around|across|sitting on) (?:{p} )?chest|(?:clutching|clutches|clutched|gripping|grabbing|holding) (?:{p} )?chest"
        + @"|chest(?! infection| x ?ray| scan| drain| hair| size| muscles?)(?: {w}){0,3} (?:hurt\w*|aching|aches?|tight\w*|painful|heavy|heaviness|pains?|pressure|burning)"
        + @"|heart attack|(?:angina|gtn) (?:attack|spray (?:is not|does not|did not|not|has not) (?:working|help\w*))"
        + @"|(?:pain|ache|aching|tingling|numbness|heaviness)(?: {w}){0,3} (?:spreading|spreads|spread|radiating|radiates|going|goes|moving|shooting|shoots) (?:down|up|into|to|through) (?:{p} )?(?:left )?(?:arm|jaw|neck|shoulder|back)");

    private static readonly Regex StrokeSigns = P(
        @"(?:face|mouth|smile|lip) (?:(?:is|has|went|has gone|seems|looks|started)\s)?(?:suddenly )?(?:droop\w*|dropp?ed|dropping|fallen|sagg\w*|lopsided|crooked|gone (?:to one side|funny|numb)|numb on one side)"
        + @"|droop\w* (?:on )?(?:one side of )?(?:{p} )?(?:face|mouth|smile)"
        + @"|(?:numb\w*|weak\w*|paraly\w*|droop\w*|tingling|dead|heavy)(?: {w}){0,3} (?:on )?(?:one side|(?:the )?(?:left|right) side of (?:{p} )?(?:body|face))"
        + @"|one side of (?:{p} )?(?:face|mouth|body) (?:is |has |went |has gone |feels )?(?:droop\w*|numb\w*|weak\w*|paraly\w*|fallen|dropped|dead)"
        + @"|(?:sudden\w* )?(?:weakness|numbness|paralysis) (?:in|of|down) (?:{p} )?(?:left|right|one) (?:side|arm|leg)"
        + @"|(?:can not|could not|unable to|not able to) (?:lift|raise|move|feel|hold up) (?:{p} )?(?:left |right )?(?:arm|leg|hand|side)"
        + @"|(?:left|right|one) (?:arm|leg|hand|side)(?: and (?:{p} )?(?:arm|leg|hand|face))? (?:is |are |went |has gone |have gone |feels |feel |suddenly )*(?:weak|numb|dead|paraly\w*|limp|floppy)"
        + @"|slurr\w*|speech (?:is |has |went |has gone |became |sounds )?(?:suddenly |all )?(?:slurred|garbled|jumbled|strange|weird|confused|gibberish|not making sense|funny)"
        + @"|(?:can not|could not|unable to|not able to|struggling to|trouble|difficulty) (?:speak|speaking|talk|talking) (?:properly|clearly|at all|normally|right)"
        + @"|(?:can not|could not|unable to|struggling to|trouble) (?:get (?:{p} |the )?words out|find (?:the |{p} )?words)|talking (?:gibberish|nonsense|funny|strangely)|words (?:are |came out |coming out )?(?:jumbled|mixed up|all wrong|garbled)"
        + @"|sudden\w*(?: {w}){0,2} (?:loss of (?:vision|sight|balance)|vision loss|blindness|double vision|blind|can not see)"
        + @"|(?:lost|losing|loss of) (?:the )?(?:vision|sight) in (?:one|{p}|the|left|right)(?: {w})? eye"
        + @"|(?:vision|sight|eyesight) (?:went|gone|has gone|is|became|suddenly|going|turned) (?:{w} )?(?:double|black|dark)|(?:falling|leaning|veering|drifting|tilting) (?:over )?to one side"
        + @"|(?:suddenly|all of a sudden) (?:{w} ){0,2}(?:can not see|blind|seeing double|can not walk|unable to walk|fell over and can not)"
        + @"|(?<!(?:heat|sun|brush|back|breast|golf|swimming|pen|key) )stroke(?! of (?:luck|genius))|\btia\b|mini stroke");

    private static readonly Regex SuddenSevereHeadache = P(
        @"worst headache (?:of|in) (?:{p} )?life|thunderclap|worst headache (?:ever|i have ever had)"
        + @"|(?:sudden|suddenly)(?: {w}){0,2} (?:severe|excruciating|explosive|blinding|terrible|worst) (?:headache|head pain|pain in (?:{p} )?head)"
        + @"|headache (?:came on|started|hit) (?:{w} ){0,2}(?:suddenly|like a thunderclap|out of nowhere|like being hit)|like being hit (?:on|in) the head");

    private static readonly Regex BreathingDifficulty = P(
        @"(?:can not|could not|unable to|not able to|hardly|barely|struggling to|struggle to|fighting to) (?:really |properly |even )?(?:breathe|breath|get (?:a |my |his |her |their |any )?breath|catch (?:my |his |her |their |a )?breath|get (?:any |enough )?air)"
        + @"|(?:difficulty|difficult|trouble|problems?|hard|struggling|struggle|laboured|labored) (?:with )?breathing(?! through (?:{p} )?nose)"
        + @"|(?:hard|difficult|impossible) to (?:breathe|breath|get air)(?! through (?:{p} )?nose)"
        + @"|breathing (?:is |has been |has become |got |getting |seems )?(?:very |really |so )?(?:difficult|hard|laboured|labored|rapid|shallow and fast|very fast|weird and fast|noisy and fast)"
        + @"|gasping|fighting for (?:breath|air)|struggling for (?:breath|air)|not getting (?:enough )?air|suffocat\w*|choking"
        + @"|not breathing (?:properly|right|normally|well)|breathing (?:is )?not (?:right|normal)"
        + @"|(?:lips|face|skin|tongue) (?:are |is |has |have |look |looks )?(?:turned |turning |gone |going |a bit |slightly )?(?:blue|grey|gray)|blue (?:lips|face|tinge)|blue (?:around|round) (?:{p} )?(?:lips|mouth)|turning blue"
        + @"|severe(?:ly)? (?:short of breath|breathless|asthma attack)|(?:inhaler|puffer|nebuliser|nebulizer) (?:is not|not|does not|did not|is not really) (?:working|help\w*)"
        + @"|too (?:breathless|out of breath|short of breath) to (?:speak|talk|walk)|can not (?:speak|talk|finish|say) (?:in )?(?:full |whole |a full |a whole )?sentences?"
        + @"|ribs? (?:are |is )?(?:sucking|pulling) in|(?:chest|skin|tummy) (?:is )?(?:sucking|pulling) in|grunting|wheez\w* (?:and|so) (?:{w} ){0,2}(?:can not|struggling|blue)");

    private static readonly Regex NotBreathing = P(
        @"(?:not|stopped|stop|no longer|is not|has stopped) breathing(?! (?:properly|well|right|normally|through))|(?:does not|did not) (?:seem to )?breathe|no pulse|no heartbeat|cardiac arrest|heart (?:has )?stopped|(?:need|needs|doing|give|giving|start|started|starting) cpr");

    private static readonly Regex Anaphylaxis = P(
        @"anaphyla\w*|epipen|adrenaline (?:pen|auto ?injector|injector|shot|injection)|auto ?injector|severe allergic reaction"
        + @"|(?:throat|tongue|airway) (?:is |feels |has |keeps |started |starting )?(?:{w} )?(?:swell\w*|swollen|closing|tight\w*|puffing up|puffed up|blocked)"
        + @"|swell\w* (?:of|in) (?:{p} )?(?:throat|tongue)|(?:swollen|swelling) (?:throat|tongue)");

    private static readonly Regex SevereBleeding = P(
        @"bleed\w* (?:very |really |so |quite )?(?:heavily|a lot|badly|profusely|everywhere|like crazy|non ?stop|loads|lots|uncontrollably|heavy|really bad|through)"
        + @"|(?:heavy|severe|massive|uncontrolled|uncontrollable|major|serious|profuse) (?!menstrual|period)(?:{w} )?bleed\w*"
        + @"|(?:will not|does not|can not|would not|is not|not) stop(?:ped)? bleeding|bleeding (?:will not|does not|would not|has not|did not|not|is not) (?:{w} )?stop\w*|can not stop (?:the |{p} )?bleed\w*"
        + @"|blood (?:is |keeps )?(?:pouring|gushing|spurting|squirting|everywhere|all over)|(?:pouring|gushing|spurting|squirting) (?:with |out )?blood|lots of blood|a lot of blood|so much blood|pool of blood|loads of blood"
        + @"|soak\w* (?:through )?(?:{w} ){0,3}(?:with|in) blood|blood (?:soaked|soaking)"
        + @"|(?<!subconjunctival )ha?emorrhag\w*|stabbed|stab wound|gunshot|been shot|severed|amputat\w*");

    private static readonly Regex VomitingBlood = P(
        @"(?:vomit\w*|throw\w* up|threw up|being sick|sick(?:ing)? up|puk\w*) (?:{w} ){0,2}blood|blood in (?:{p} )?(?:vomit|sick)|black (?:tarry |tar like |sticky )?(?:poo|poop|stool|stools|faeces|feces)|tarry (?:poo|stool)|(?:poo|poop|stool|stools) (?:is |are |was |has been |looks )?(?:black|tarry|like tar)|coffee grounds?");

    private static readonly Regex SuicidalIntent = P(
        @"(?:kill|killing|kil|hang|hanging|shoot|shooting|drown|drowning|poison|poisoning|end) {self}"
        + @"|suicid\w*|end (?:it all|{p} (?:own )?life|(?:my|his|her|their) life|everything)|take (?:my|his|her|their) (?:own )?life|taking (?:my|his|her|their) (?:own )?life"
        + @"|(?:want|wants|wanted|wanting|going|planning|plan|ready) (?:\w+ )?to die|want to be dead|(?:i|he|she) (?:would|will) be better off dead|better off (?:dead|without me|if i (?:was|were) (?:gone|dead))"
        + @"|no (?:reason|point) (?:to live|in living|living|going on)|(?:do not|does not|not) want to (?:live|be alive|be here|exist|wake up)(?! (?:in|with|like that) )"
        + @"|wish (?:i|he|she) (?:was|were|could be) dead|wish (?:i|he|she) (?:would not|did not|could not|never) wake up"
        + @"|(?:can not|could not) go on (?:living|anymore|any more|like this)|(?:suicide|goodbye) (?:note|letter)s?|goodbye (?:messages|texts)"
        + @"|(?:plan|plans|planning|planned) to (?:end|kill|take)|(?:going to|want to|will|about to|ready to) end it(?! (?:with|between|off))|not worth living|life is not worth|(?:overdose|od) on purpose|jump (?:off|in front of)|(?:bought|got|have) (?:a )?(?:rope|noose)");

    private static readonly Regex SelfHarm = P(
        @"self ?harm\w*|harm\w* {self}|(?:cutting|cut|burning|burnt|burned|scratching|scratched) {self}(?! (?:shaving|cooking|chopping|on |while|when|by accident|accidentally|in the kitchen|at work|playing|gardening|with a knife while|slicing|opening))"
        + @"|hurt\w* {self} (?:on purpose|deliberately|again|intentionally)|(?:thoughts? (?:of|about)|urges? to|want to|wants to|going to|feel like) (?:hurt\w*|harm\w*|cut\w*|burn\w*) {self}");

    private static readonly Regex Overdose = P(
        @"overdos\w*|(?:took|taken|take|taking|swallowed|ate|had)(?: {w}){0,3} too many|(?:took|taken|ate|eaten|swallowed|drank|drunk|had) (?:a |the |an )?(?:whole|entire|full) (?:bottle|packet|box|pack|strip|sheet|tub|jar)"
        + @"|(?:took|taken|ate|eaten|swallowed|had) (?:{w} ){0,2}(?:\d\d+|twenty|thirty|forty|fifty|a handful of|handfuls of|a load of|loads of|lots of|a lot of|a bunch of|a pile of|all the) (?:{w} )?{drug}"
        + @"|(?:took|taken|ate|eaten|swallowed|had) (?:a |an |the |two |three |several |whole )?(?:packets?|bottles?|box(?:es)?|handful|strips?|blister packs?|tubs?) of (?:{p} )?(?:{w} )?{drug}"
        + @"|(?:took|taken|ate|eaten|swallowed) all (?:of )?(?:the|my|his|her|their) (?:{w} )?{drug}"
        + @"|(?:ate|eaten|swallowed|got into) (?:some|a few|several|lots|loads|a bunch|a couple|one|two|three) (?:of )?(?:{p} |the )?(?:{w} ){0,3}{drug}"
        + @"|(?:drank|drunk|swallowed|ate|eaten|licked|got into|into the|had some) (?:some |a bit of |the |a |an )?(?:bleach|antifreeze|weed ?killer|rat poison|detergent|methanol|paint thinner|white spirit|lighter fluid|petrol|gasoline|button batter\w*|batter(?:y|ies)|magnets?|dishwasher tablet|washing (?:pod|capsule|tablet)s?|liquitabs?|laundry pods?|drain cleaner|oven cleaner)"
        + @"|(?<!food )poison(?:ed|ing|ous)?(?! ivy| oak)");

    private static readonly Regex Unconscious = P(
        @"unconscious|unresponsive|not responsive|(?:not|stopped|is not) responding(?! to (?:{w} )?(?:treatment|antibiotics|medication|meds|messages|texts|emails|calls|my|the))"
        + @"|(?:will not|can not|could not|not|unable to) (?:{w} )?(?:wake|woken|rouse|roused)(?: (?:{w} )?up)?(?! early)|not waking|(?:hard|difficult|impossible|very hard) to (?:wake|rouse)"
        + @"|collapsed|collapse on|knocked out|knocked unconscious|lost consciousness|losing consciousness|(?:passed|blacked) out and (?:will not|not|can not|is still|still|has not)"
        + @"|lifeless|limp and (?:not|un)|(?:eyes|he|she) (?:are |is )?rolling back|found (?:him|her|them) (?:on the floor|unresponsive|collapsed)");

    private static readonly Regex Seizure = P(
        @"seizure\w*|seizing|convuls\w*|epileptic fit|grand mal|tonic clonic|status epilepticus"
        + @"|(?<!(?:coughing|sneezing|laughing|giggling|hissy|crying|temper|panic) )(?:having|had|has had|having another|had another|has|took|taking) (?:a |an |another )?(?:epileptic )?fits?(?! of| for| in| into| with| the| my)"
        + @"|(?:is|was|started|been|keeps?|kept) (?:{w} )?(?:fitting|jerking uncontrollably|twitching uncontrollably|shaking uncontrollably and)");

    private static readonly Regex MeningitisWord = P(@"meningitis|meningococcal|meningococcus");

    private static readonly Regex NonBlanchingRash = P(
        @"rash(?: {w}){0,5} (?:does not|did not|will not|not|do not|would not|is not) (?:{w} )?(?:fade|go away when|disappear when|blanch|go white|turn white|go pale)"
        + @"|(?:spots|rash|marks|blotches)(?: {w}){0,3} (?:still )?(?:visible|there|showing) (?:through|under) (?:the |a )?glass|non ?blanching|petechia\w*|purpur\w*"
        + @"|purple (?:{w} )?(?:spots|rash|blotches|bruises|pin ?pricks|marks)|pin ?prick (?:spots|rash|marks)");

    private static readonly Regex SepsisWord = P(@"sepsis|septic(?! tank)|septicaemia|septicemia|blood poisoning");

    private static readonly Regex SkinSepsisSigns = P(
        @"mottled|blotchy (?:skin|and (?:blue|pale|grey))|(?:skin|he|she|baby) (?:is |are |looks? |has gone |gone |turned |turning )?(?:very )?(?:ashen|grey and clammy|blue and cold)");

    private static readonly Regex FeelsLikeDying = P(
        @"(?:feel|feels|feeling|felt) (?:like|as if|as though) (?:i am |i |he is |she is |i might |)(?:going to |about to |gonna |might |will )?(?:die|dying)(?! (?:to|of (?:boredom|laughter|embarrassment|shame)))|something is (?:really |very )?wrong,? i (?:might|am going to) die");

    private static readonly Regex AcuteConfusion = P(
        @"(?:suddenly|very|really|extremely|become|became|becoming|getting|gone|went|is|was|seems?|seemed|acting|being|feel\w*) (?:{w} )?confused(?! (?:about|by|with|why|how|what|which|whether|if|as to|over|because|regarding|on|as))"
        + @"|(?:new|sudden|acute) confusion|(?:does not|did not|can not) (?:know|recognise|recognize) (?:where (?:he|she|they) (?:is|are)|who (?:i|we) (?:am|are)|me|us|(?:his|her|their) own)|delirious|delirium|disorientated|disoriented|not making (?:any )?sense|talking nonsense");

    private static readonly Regex InfantDangerSigns = P(
        @"floppy|bulging (?:soft spot|fontanelle)|(?:soft spot|fontanelle) (?:is )?bulging|high ?pitched (?:cry|crying|scream\w*)|(?:not|will not|refusing|refuses|refused|stopped|is not|has not been|can not) (?:{w} )?(?:feeding|breastfeeding|feed|taking (?:any |her |his |the )?(?:milk|feeds?|bottle|formula))"
        + @"|(?:very hard|hard|difficult|impossible) to wake|will not wake|grunting");

    private static readonly Regex MajorTrauma = P(
        @"hit by a (?:car|bus|van|lorry|truck|train|vehicle)|car (?:crash|accident)|(?:fell|fallen|fall) (?:off|from) (?:a |the )?(?:roof|ladder|balcony|scaffold\w*|window|bridge|cliff|height)|broken (?:neck|back)|bone (?:sticking|poking) out|head (?:is )?split open");

    // ---- Urgent phrases ----------------------------------------------------------------------

    private static readonly Regex Breathlessness = P(@"short(?:ness)? of breath|breathless\w*|out of breath(?! (?:after|when|from|during) (?:{w} ){0,2}(?:running|run|exercise|exercising|the gym|a run|sprinting|jogging|football|training|10 k))|wheez\w*");

    private static readonly Regex Fainting = P(@"faint(?:ed|ing)?(?! (?:heart|line|lines|smell|hope|chance|idea|memory|rash|mark|marks|light))|passed out|blacked out|black outs?|keel(?:ed)? over");

    private static readonly Regex FacialSwelling = P(
        @"(?:lips?|face|eyes?|eyelids?|mouth)(?: and (?:{p} )?(?:lips?|face|eyes?|mouth))? (?:are |is |has |have |keep |started |starting |all )?(?:{w} ){0,2}(?:swell\w*|swollen|puff\w*|blown up)|(?:swollen|puffy|swelling) (?:of (?:the |{p} )?)?(?:lips?|face|eyes|mouth)");

    private static readonly Regex AllergicContext = P(
        @"allerg\w*|peanuts?|nuts|shellfish|prawns?|bee|wasp|sting|stung|hives|welts|new (?:medication|medicine|tablets?|antibiotics?)|antibiotics?|penicillin|amoxicillin|after eating|ate (?:a |some )");

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

    private static readonly Regex CoughingBlood = P(@"(?:coughing|coughed|cough|coughs) up(?: {w}){0,3} blood|(?:coughing|coughed|coughs) (?:{w} )?blood|blood (?:in|when) (?:{p} )?(?:cough|phlegm|sputum|spit)|haemoptysis|hemoptysis");

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

    private static readonly Regex Headache = P(@"headache|head (?:is )?(?:hurts|hurting|pounding|aching|killing)|head pain|migraine");

    private static readonly Regex Rash = P(@"rash|spots|blotches");

    private static readonly Regex InfectionContext = P(
        @"infection|infected|uti|pneumonia|cellulitis|flu|chills|shivering|shivers|rigors|abscess|wound (?:is |looks )?(?:red|hot|swollen|oozing|smelly)|pus|kidney infection|chest infection|after (?:an |my |his |her )?(?:operation|surgery)");

    private static readonly Regex SepsisSigns = P(
        @"slurr\w*|confus\w*|(?:extreme|uncontrollable|violent|severe) (?:shivering|shaking|shivers|muscle pain|aching)|(?:shaking|shivering) uncontrollably|(?:very|really|extremely) drowsy|(?:hard|difficult) to wake"
        + @"|(?:have not|has not|had not|not|no) (?:{w} ){0,2}(?:peed|urinated|weed|passed (?:any )?(?:urine|water)|wee|pee)(?: {w}){0,3} (?:all day|in (?:a |\d+ |twelve |eighteen |twenty four )?(?:day|hours)|since (?:yesterday|last night|this morning))|no urine"
        + @"|(?:breathing|heart) (?:is |very |really )*(?:fast|racing)|racing heart|heart racing|(?:skin|hands|feet) (?:is |are |feel |feels )?(?:cold and )?(?:clammy|mottled|blotchy)");

    private static readonly Regex Pregnancy = P(
        @"pregnant|pregnancy|(?:\d+|a few|few) weeks? (?:gone|along|gestation)|expecting (?:a baby|twins)|trimester|miscarr\w*|ectopic|my bump|antenatal|midwife");

    private static readonly Regex PregnancyBleeding = P(
        @"bleed\w*|bled|blood (?:loss|clots?)|passing (?:blood )?clots|clots|haemorrhag\w*|hemorrhag\w*|blood (?:in|on) (?:{p} )?(?:pad|underwear|knickers|pants)|(?:lots|a lot|loads) of blood|(?:losing|lost|passing) (?:{w} )?blood|blood (?:coming out|running down|down (?:{p} )?legs?)|miscarrying|having a miscarriage");

    private static readonly Regex NotVaginalBleeding = P(@"gums?|nose|nosebleeds?|flossing|brushing|teeth|tooth|cut (?:{p} )?finger|shaving|haemorrhoids?|piles");

    private static readonly Regex Spotting = P(@"spotting|spots of blood|brown discharge|pink discharge");

    private static readonly Regex PregnancyPain = P(@"(?:tummy|stomach|abdominal|belly|pelvic|shoulder tip|one sided|side) (?:pain|cramps?|ache)|cramp\w*|pain (?:in|on) (?:{p} )?(?:tummy|stomach|belly|abdomen|side|pelvis)");

    private static readonly Regex PreEclampsia = P(@"blurred vision|blurry vision|flashing lights|seeing (?:spots|stars|flashes)|(?:swollen|swelling|puffy) (?:of )?(?:{p} )?(?:face|hands|fingers)|(?:face|hands|fingers) (?:are |is )?(?:very )?(?:swollen|puffy)|pain (?:just )?below (?:{p} )?ribs");

    private static readonly Regex ReducedMovements = P(
        @"(?:not|less|fewer|reduced|stopped|have not felt|has not|had not|can not feel|not felt|has stopped) (?:{w} ){0,3}(?:moving|moved|move|movements?|kicking|kicks|kicked|kick)"
        + @"|(?:baby|bump) (?:is |has been |seems |was )?(?:moving less|not moving|quieter|quiet|still|less active)|movements? (?:have |has )?(?:slowed|reduced|stopped|changed)|no (?:kicks|movements?) (?:today|since|all day|for)");

    private static readonly Regex InfantWord = P(@"baby|babies|newborn|neonate|infant|little one|bub");
    private static readonly Regex NewbornWord = P(@"newborn|neonate|born (?:\d+|one|two|three|four|five|six|a few) (?:days|weeks) ago|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) days? old");

    private static readonly Regex Age = new(
        @"\b(?<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a) (?<u>days?|weeks?|months?|years?) old\b"
        + @"|\b(?:baby|newborn|son|daughter|infant|he|she|little one|twins?) (?:is|aged|who is|that is|of) (?:only |just |nearly |almost )?(?<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a) (?<u>days?|weeks?|months?|years?)\b(?! (?:pregnant|ago|gestation|along))",
        Options);

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

        new("breathlessness", TriageLevel.Urgent, Breathlessness, DropWhenResolved: true),
        new("fainting", TriageLevel.Urgent, Fainting),
        new("allergic_reaction", TriageLevel.Urgent, AllergicReaction),
        new("allergic_reaction", TriageLevel.Urgent, FacialSwelling),
        new("dehydration", TriageLevel.Urgent, Dehydration),
        new("head_injury", TriageLevel.Urgent, HeadInjury),
        new("severe_pain", TriageLevel.Urgent, SeverePain),
        new("dvt_signs", TriageLevel.Urgent, DvtSigns),
        new("coughing_blood", TriageLevel.Urgent, CoughingBlood),
        new("high_fever", TriageLevel.Urgent, VeryHighFeverWords),
        new("persistent_fever", TriageLevel.Urgent, PersistentFever),
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
            if (under3Months || (ageMonths is < 6 && temperature is >= 39.0)) Add("infant_fever", TriageLevel.Emergency);
            else if (ageMonths is < 6) Add("infant_fever", TriageLevel.Urgent);
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

        // A swollen calf with breathlessness or chest pain: pulmonary embolism until shown otherwise.
        if (Found("dvt_signs") && (Found("breathlessness") || Found("chest_pain") || Found("chest_pain_resolved")))
            Add("pulmonary_embolism_signs", TriageLevel.Emergency);
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

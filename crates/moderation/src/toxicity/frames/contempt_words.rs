//! The words the contempt shapes look for (open hatred of a group, derogatory claims about all
//! of it, its worth denied, its exclusion), in normalized form like [`super::lexicon`]'s.
//! Written by us, from the ways people speak of groups they despise; none copied from a data
//! set or test suite.

use super::wordlist::WordList;

/// Verbs of hatred and contempt with the group as their object: "I despise …".
pub(super) static LOATHING: WordList = WordList::spaced(
    "hate despise detest loathe abhor resent dislike hasse hassen verachte verachten deteste
    detestent hais meprise meprisent",
);

/// Nouns and participles of contempt that take the group after a preposition: "sick of …",
/// "contempt for …", "disgusted by …".
pub(super) static CONTEMPT_NOUNS: WordList = WordList::spaced(
    "sick tired fed disgusted sickened repulsed revolted nauseated appalled contempt disdain
    hatred loathing disgust hate",
);

/// The prepositions that lead from a word of contempt to its object.
pub(super) static CONTEMPT_LINKS: WordList =
    WordList::spaced("of for by with towards toward to up");

/// Words that may stand between a word of contempt and the group it is aimed at: determiners,
/// intensifiers and epithets, never a verb or a conjunction ("I hate how …", "sick of people
/// who attack …" are about something else).
pub(super) static OBJECT_FILLERS: WordList = WordList::spaced(
    "all those these the you fucking fuckin damn damned bloody so really every single most
    filthy dirty stupid absolutely truly just utterly completely bunch of
    a lot any other such disgusting certain kinds kind type types",
);

/// What a group "is", said of all of it, that derogates it.
pub(super) static NEGATIVE_TRAITS: WordList = WordList::spaced(
    "disgusting filthy dirty evil worthless useless inferior dangerous criminals terrorists
    rapists thieves liars lazy violent stupid dumb primitive backward degenerate degenerates
    perverts pedophiles paedophiles sick mentally vile pathetic repulsive disease burden
    leeches scum trash garbage cancer plague invaders freaks abominations abomination unnatural
    incapable inbred barbaric gross revolting nasty hideous despicable contemptible loathsome
    detestable abhorrent wicked greedy dishonest untrustworthy deceitful sneaky treacherous
    cowardly cowards ignorant brainless mindless idiotic idiots morons moronic imbeciles
    retarded thugs crooks frauds freeloaders scroungers spongers predators groomers deviants
    deviant perverted insane psychotic psychos lesser worst losers drain blight stain menace
    nuisance disgrace curse waste unclean smelly stinking parasitic subhuman defective broken
    hypocrites delusional hysterical irrational brainwashed fanatics extremists savage
    uncivilized uncivilised undesirable undesirables beneath ekelhaft dreckig kriminell
    kriminelle faul dumm minderwertig sales voleurs criminels paresseux inferieurs repugnant
    repellent odious abominable horrid sickening cruel heartless soulless brutes animals",
);

/// What a group is denied when its worth is: "… are not (smart | welcome | equal)", "… can
/// never be trusted", "… will never be real women".
pub(super) static WORTH: WordList = WordList::spaced(
    "smart intelligent clever bright capable competent equal equals welcome wanted trusted
    trustworthy honest worthy decent normal real valid useful productive civilized civilised
    acceptable accepted valued valuable important loyal right matter worth citizens qualified fit belong
    deserve deserving respect respected respectable dignity beautiful attractive sane moral
    good better able integrate contribute mature reasonable rational tolerated tolerable proper
    legitimate place trust fully allowed rights citizens permitted vote",
);

/// Negations that deny a group's worth, after the group ("… are not", "… can never be").
pub(super) static DENIALS: WordList = WordList::spaced(
    "not never arent isnt cant cannot dont doesnt wont shouldnt no aint nicht nie pas jamais",
);

/// Words that may stand between a group and the denial or the trait: copulas, modals,
/// intensifiers ("… are all so", "… will just never be").
pub(super) static SUBJECT_FILLERS: WordList = WordList::spaced(
    "are is r am be will would can could should shall must do does have has all so just such
    really truly always inherently naturally basically nothing but a an the fucking people men
    women ill simply ever any very too generally mostly usually totally completely literally as
    being sind sont ist est einfach alle tous toutes des du of bunch pack genuinely worthy
    enough to considered seen need needs ought gotta deserve deserves like you these those
    absolutely utterly extremely incredibly pretty quite downright that our my your lives life
    still even",
);

/// Where a group is told it belongs when it is excluded: "… belong in a cage".
pub(super) static PLACES_OF_CONTEMPT: WordList = WordList::spaced(
    "kitchen cage cages zoo zoos jail prison prisons gutter camps camp ghetto ghettos trash bin
    hell asylum asylums sewer sewers barn dirt chains shackles fields jungle desert graves
    grave",
);

/// What a group is told to do, or said to deserve, when it is excluded ("… should go back",
/// "… must be banned", "keep … out").
pub(super) static EXCLUDED: WordList = WordList::spaced(
    "back home out away leave banned ban excluded segregated expelled barred locked silenced
    isolated quarantined registered sterilised stripped kicked thrown sent kept disappear
    vanish shut separated ausgewiesen abgeschoben raus dehors expulses",
);

/// Verbs said of a group that ruins what it lives among ("… are ruining this country").
pub(super) static RUINING: WordList = WordList::spaced(
    "ruin ruins ruining ruined destroy destroys destroying poison poisons poisoning pollute
    polluting infect infecting corrupt corrupting degrade degrading invade invading overrun
    overrunning replace replacing plague plaguing flood flooding leech leeching sponge sponging
    mooch mooching taint tainting spoil spoiling contaminate contaminating wreck wrecking",
);

/// Commands that exclude a group when they open a sentence: "keep … out", "ban …".
pub(super) static EXCLUDING_ORDERS: WordList =
    WordList::spaced("keep get kick send throw ban expel remove deport lock");

/// What an order tells the reader never to do with a group: "never trust …", "don't hire …".
pub(super) static DISTRUSTING_ORDERS: WordList =
    WordList::spaced("trust hire employ believe rent serve befriend date marry help");

/// What a group is denied only as a duty ("… should not be allowed to vote"): without the duty
/// it is a report ("women were not allowed to vote until 1920").
pub(super) static DENIED_BY_DUTY: WordList =
    WordList::spaced("allowed rights citizens permitted vote");

/// Modals and verbs that make a denial a duty.
pub(super) static DUTIES: WordList =
    WordList::spaced("should must shall ought deserve deserves need needs sollten sollte doivent");

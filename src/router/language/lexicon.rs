//! The language detector's data, written for Gogga: per language a list of
//! frequent and distinctive words (function words, greetings, everyday
//! verbs and nouns), spelling rules that mark a language family (siSwati
//! "tf", Sepedi "š", Tshivenḓa's dotted letters, Nguni "ngi-"/"ndi-"), a
//! list of South African loanwords that everyone uses in English (they are
//! evidence for nothing), and short sample texts from which the character
//! trigram profiles are built. The test sentences in `tests.rs` are
//! separate from these samples on purpose.

use super::Lang;

/// Frequent and distinctive words per language, lowercase, space separated.
/// A word listed for several languages counts for each of them.
pub(super) const WORDS: &[(Lang, &str)] = &[
    (
        Lang::En,
        "the and is are was were be been being to of in on at for with from by about as it its this that \
         these those you your yours i'm me my mine we our they them their he she his her him what how why \
         when where which who whom can could would should will shall do does did done have has had not no \
         yes please thank thanks help need want know tell give make get write explain just also but or if \
         so than then there here very more some any all one two new good like time day today tomorrow week \
         weekend money work home people because into out up down over after before hello hi hey morning \
         afternoon evening an question answer find show much many way well going doing think see look \
         don't can't isn't it's let let's who's there's ask weather go \
         friend near",
    ),
    (
        Lang::Af,
        "die en is nie ek jy hy sy ons hulle julle dit wat hoe hoekom waar wanneer wie van vir met op aan by \
         na uit oor sal kan moet wil het was nog ook maar of want omdat dat baie goed goeie dankie asseblief \
         môre more middag aand nag vandag gister ja nee jou jul weet sien gaan kom doen maak praat help soek \
         werk huis geld mense kinders wees sê geen niks iets alles hierdie daardie graag seker net toe nou \
         tog mos darem asb eintlik hallo totsiens waarom kry hê dis nodig gebruik skryf verduidelik moenie \
         ek's watter enige dalk miskien sommer weer wonderlik so \
         vriend naby",
    ),
    (
        Lang::Zu,
        "sawubona sanibonani unjani ninjani ngiyaphila ngikhona ngiyabonga siyabonga ngicela yebo cha kodwa \
         futhi manje lapha lapho khona kuphi kanjani yini ini ubani ukuthi uma ngoba noma kakhulu kahle \
         kancane namhlanje namuhla kusasa izolo mina wena yena thina nina umuntu abantu ingane izingane \
         ubaba umama ekhaya imali umsebenzi isikole amanzi ukudla ngifuna ngidinga ngiyakuthanda ngiyazi \
         angazi ngiyaqonda angiqondi ngisize siza khuluma ngikhuluma isizulu lokhu lokho konke kuhle kubi \
         ngicabanga ngizokwenza ungangisiza uyakwazi yami yakho wami wakho lami lakho igama ngubani \
         kungani sicela ngiyacela usuku kunjani sanibona ngizobuya hhayi ngempela \
         nini mngane umngane eduze seduze",
    ),
    (
        Lang::Xh,
        "molo molweni unjani ninjani ndiphilile ndiyaphila enkosi ndiyabulela siyabulela nceda ndicela ewe \
         hayi kodwa kwaye ngoku apha apho phi njani yintoni ntoni ngubani ukuba xa ngokuba kuba okanye \
         kakhulu kakuhle kancinci namhlanje ngomso izolo mna wena yena thina nina umntu abantu umntwana \
         abantwana utata umama ekhaya imali umsebenzi isikolo amanzi ukutya ndifuna ndidinga ndiyakuthanda \
         ndiyazi andazi ndiyaqonda andiqondi ndincede ncedisa thetha ndithetha isixhosa oku konke \
         kulungile ndicinga ndiza ungandinceda uyakwazi yam yakho wam lam lakho igama ndingakunceda \
         kutheni ndiyacela ngqo nantoni \
         nini mhlobo umhlobo kufutshane",
    ),
    (
        Lang::Ss,
        "sawubona sanibonani unjani ninjani ngiyaphila ngikhona ngiyabonga siyabonga ngiyacela ngicela yebo \
         cha kodvwa futsi nyalo kuphi njani yini ngubani kutsi nangabe ngobe kakhulu kahle kancane lamuhla \
         kusasa itolo wena yena tsine umuntfu bantfu umntfwana bantfwana ekhaya imali umsebenti sikolwa \
         emanti kudla ngifuna ngidzinga ngiyakutsandza ngiyati angati ngiyeva angeva ngisite sita khuluma \
         ngikhuluma siswati loku loko konkhe kuhle ngicabanga ngitawu libito lami lakho tintfo intfo tfola \
         tsatsa ngitawuya kutsandza kwentekani sitawu \
         nini mngani umngani eduze seduze wami yami wakho yakho kanjani",
    ),
    (
        Lang::Nr,
        "lotjhani lotjhanini unjani ninjani ngiyaphila ngikhona ngiyathokoza siyathokoza ngibawa sibawa iye \
         kodwana begodu nje lapha lapho kuphi njani yini ngubani ukuthi nangabe ngombana namkha khulu kuhle \
         kancani namhlanjesi namhlanje kusasa izolo mina wena yena thina nina umuntu abantu umntwana \
         abantwana ubaba umma ekhaya imali umsebenzi isikolo amanzi ukudla ngifuna ngitlhoga \
         ngiyakuthanda ngiyazi ngiyazwisisa ngisize siza khuluma ngikhuluma isindebele lokhu lokho koke \
         ngicabanga ibizo lami lakho ukutjho itjhumi godu kufuze yeke bona \
         nini mngani umngani eduze seduze wami yami wakho yakho",
    ),
    (
        Lang::St,
        "dumela dumelang phela jwang hantle kea leboha ka kopo kopo ee tjhe empa hape jwale mona moo kae eng \
         mang hore ha hobane kapa haholo hanyane kajeno hosane maobane nna wena yena rona lona bona motho \
         batho ngwana bana ntate mme hae tjhelete mosebetsi sekolo metsi dijo batla hloka rata tseba \
         tsebe utlwisisa nthuse thusa bua sesotho sena seo tsohle ho hoba ntho dintho nahana tla lebitso \
         hao ka ke le ya tsa ba sa kgotso etsa ntse teng hona \
         neng motswalle haufi",
    ),
    (
        Lang::Tn,
        "dumela dumelang tsogile jang sentle kae teng leboga tswee ee nnyaa mme fela gape jaanong fano foo \
         eng mang gore fa gonne kgotsa thata gompieno moso maabane nna wena ene rona lona motho batho \
         ngwana bana rra rre mma gae madi tiro sekolo metsi dijo batla tlhoka rata itse tlhaloganya nthusa \
         nthuse thusa bua setswana se seo tsotlhe go selo dilo akanya tla leina gago me ke le ya tsa ba sa \
         ga dira kwa mo \
         leng tsala gaufi",
    ),
    (
        Lang::Nso,
        "thobela dumela kae gona leboga kgopelo ee aowa eupša gona bjale mo mono bjang eng mang gore ge ka \
         gobane goba kudu gabotse gannyane lehono gosasa maabane nna wena yena rena lena bona motho batho \
         ngwana bana tate mma gae tšhelete mošomo sekolo meetse dijo nyaka hloka rata tseba tsebe kwešiša \
         nthuše thuša bolela sepedi se seo tšohle go selo dilo nagana tla leina gago ka ke le ya tša ba sa \
         ga dira šoma gomme \
         neng mogwera kgauswi",
    ),
    (
        Lang::Ts,
        "avuxeni inhlekani riperile xewani ku njhani ndzi kona hanyile inkomu ndza khensa kombela ina ee \
         kambe naswona sweswi laha kwihi yini mani leswaku loko hikuva kumbe swinene kahle namuntlha \
         mundzuku tolo mina wena yena hina n'wina vona munhu vanhu n'wana vana tatana manana ekaya mali \
         ntirho xikolo mati swakudya lava rhandza tiva tivi twisisa pfuna vulavula xitsonga leswi sweswo \
         hinkwaswo xana swilo xilo ehleketa ta vito ra hi ni ka swi xi va nga \
         rini munghana kusuhi",
    ),
    (
        Lang::Ve,
        "ndaa aa ndi matsheloni vho vuwa hani ndo zwavhudi livhuwa khou humbela ee hai fhedzi na zwino hafha \
         ngafhi mini nnyi uri arali ngauri kana nga maanda zwiṱuku ṋamusi namusi matshelo mulovha nṋe inwi \
         ene riṋe vhoṋe muthu vhathu ṅwana vhana khotsi mme hayani tshelede mushumo tshikolo maḓi madi \
         zwiḽiwa toda ṱoda funa ḓivha divha pfesesa thusa thuse amba tshivenḓa tshivenda hezwi zwenezwo \
         zwoṱhe zwothe zwithu tshithu humbulela ḓo do dzina ḽanga langa ḽau lau ḽa la vha zwi ri hu kha \
         vhudi zwavhuḓi \
         lini khonani tsini nahone",
    ),
];

/// South African words that people use inside English (and Afrikaans)
/// without switching language: evidence for no language.
pub(super) const NEUTRAL: &str = "lekker braai bakkie eish howzit boet bru ag ja jol yebo sho aweh \
    ubuntu indaba muthi shebeen kasi mzansi eita voetsek dop biltong boerewors potjie veld stoep \
    takkie vetkoek koeksister rooibos jozi joburg durbs tjo heita mampara gogo madala tannie oom \
    laaitie sjoe";

/// Where in a word a spelling rule looks.
#[derive(Debug, Clone, Copy)]
pub(super) enum Spot {
    Prefix(&'static str),
    Suffix(&'static str),
    Contains(&'static str),
    /// Any of these characters.
    AnyChar(&'static str),
    /// A "q" not followed by "u" (Nguni clicks; English writes "qu").
    ClickQ,
}

/// A spelling rule: words of at least `min_chars` characters matching
/// `spot` add `weight` to each of `langs`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    pub spot: Spot,
    pub langs: &'static [Lang],
    pub weight: f32,
    pub min_chars: usize,
}

const fn rule(spot: Spot, langs: &'static [Lang], weight: f32, min_chars: usize) -> Rule {
    Rule { spot, langs, weight, min_chars }
}

use Lang::{Af, En, Nr, Nso, Ss, St, Tn, Ts, Ve, Xh, Zu};

/// Spelling and morphology evidence.
pub(super) const RULES: &[Rule] = &[
    rule(Spot::Contains("tf"), &[Ss], 2.0, 3),
    rule(Spot::Contains("tjh"), &[Nr, St], 1.5, 4),
    rule(Spot::AnyChar("š"), &[Nso], 2.5, 2),
    rule(Spot::AnyChar("ṅḓḽṋṱ"), &[Ve], 3.0, 2),
    rule(Spot::Contains("vh"), &[Ve], 1.5, 3),
    rule(Spot::Prefix("zw"), &[Ve], 1.5, 3),
    rule(Spot::Contains("bj"), &[Nso], 1.5, 3),
    rule(Spot::Prefix("xi"), &[Ts], 1.5, 3),
    rule(Spot::Prefix("swi"), &[Ts], 1.5, 3),
    rule(Spot::Prefix("ndz"), &[Ts], 1.5, 4),
    rule(Spot::Contains("dz"), &[Ss, Ts], 1.0, 4),
    rule(Spot::Prefix("ngi"), &[Zu, Ss, Nr], 1.0, 5),
    rule(Spot::Prefix("ndi"), &[Xh], 1.0, 5),
    rule(Spot::Prefix("uku"), &[Zu, Xh, Nr], 1.0, 5),
    rule(Spot::ClickQ, &[Zu, Xh, Ss, Nr], 1.0, 3),
    rule(Spot::Contains("kg"), &[St, Tn, Nso], 1.0, 3),
    rule(Spot::Contains("tlh"), &[Tn], 1.0, 4),
    rule(Spot::AnyChar("êëôûîï"), &[Af], 2.0, 2),
    rule(Spot::Suffix("tion"), &[En], 1.0, 5),
    rule(Spot::Suffix("ing"), &[En, Af], 0.5, 5),
    rule(Spot::Suffix("heid"), &[Af], 1.5, 6),
    rule(Spot::Suffix("lik"), &[Af], 1.0, 5),
];

/// Running text per language for the character trigram profiles.
pub(super) const SAMPLES: &[(Lang, &str)] = &[
    (
        Lang::En,
        "The weather was cold this morning, so we stayed inside and read the newspaper. My brother works \
         at a hospital in Durban and drives there every day. Please send the report before Friday because \
         the manager needs to check the numbers. We bought bread, milk and eggs at the shop on the corner. \
         The children played outside until it started to rain. Which train goes to the city centre, and \
         how long does the journey take? I think the meeting should start earlier next week. She explained \
         the problem clearly, and everybody understood what to do.",
    ),
    (
        Lang::Af,
        "Die weer was koud vanoggend, so ons het binne gebly en die koerant gelees. My broer werk by 'n \
         hospitaal in Durban en ry elke dag soontoe. Stuur asseblief die verslag voor Vrydag, want die \
         bestuurder moet die syfers nagaan. Ons het brood, melk en eiers by die winkel op die hoek gekoop. \
         Die kinders het buite gespeel totdat dit begin reën het. Watter trein gaan na die middestad, en \
         hoe lank duur die reis? Ek dink die vergadering moet volgende week vroeër begin. Sy het die \
         probleem duidelik verduidelik, en almal het verstaan wat om te doen.",
    ),
    (
        Lang::Zu,
        "Izulu belibanda namhlanje ekuseni, ngakho sahlala endlini safunda iphephandaba. Umfowethu \
         usebenza esibhedlela eThekwini futhi uyashayela ukuya khona nsuku zonke. Sicela uthumele umbiko \
         ngaphambi kukaLwesihlanu ngoba umphathi kufanele ahlole izinombolo. Sathenga isinkwa, ubisi \
         namaqanda esitolo esisekhoneni. Izingane zadlala ngaphandle kwaze kwaqala ukuna imvula. Yisiphi \
         isitimela esiya enkabeni yedolobha, futhi uhambo luthatha isikhathi esingakanani? Ngicabanga \
         ukuthi umhlangano kufanele uqale ekuseni ngesonto elizayo. Wayichaza kahle inkinga, futhi wonke \
         umuntu waqonda ukuthi kufanele enzeni.",
    ),
    (
        Lang::Xh,
        "Bekubanda kakhulu ngale ntsasa, ngoko sihlale endlwini safunda iphephandaba. Umntakwethu \
         usebenza esibhedlele eThekwini kwaye uqhuba imoto ukuya apho yonke imihla. Nceda uthumele \
         ingxelo phambi koLwesihlanu kuba umphathi kufuneka ajonge amanani. Sithenge isonka, ubisi \
         namaqanda evenkileni esekoneni. Abantwana badlale ngaphandle de kwaqala ukunetha imvula. \
         Nguwuphi uloliwe oya embindini wedolophu, yaye uhambo luthatha ixesha elingakanani? Ndicinga \
         ukuba intlanganiso kufuneka iqale kwangethuba kwiveki ezayo. Uyichaze kakuhle ingxaki, kwaye \
         wonke umntu uqondile ukuba makenze ntoni.",
    ),
    (
        Lang::Ss,
        "Bekubandza kakhulu ekuseni lamuhla, ngako sahlala endlini safundza liphephandzaba. Umnewami \
         usebenta esibhedlela eThekwini futsi ushayela imoto kuya khona onkhe malanga. Sicela utfumele \
         umbiko ngembi kwaLesihlanu ngobe umphatsi kufanele ahlole tinombolo. Sitsenge sinkhwa, lubisi \
         nemacandza esitolo lesisekhoneni. Bantfwana badlale ngaphandle kwaze kwacala kuna imvula. \
         Ngusiphi sitimela lesiya enkhabeni yedolobha, futsi luhambo lutsatsa sikhatsi lesingakanani? \
         Ngicabanga kutsi umhlangano kufanele ucale ekuseni ngeliviki leletako. Uyichaze kahle inkinga, \
         futsi wonkhe muntfu uvile kutsi kufanele enteni.",
    ),
    (
        Lang::Nr,
        "Bekubanda khulu namhlanjesi ekuseni, yeke sahlala ngendlini safunda iphephandaba. Umnakwami \
         usebenza esibhedlela eThekwini begodu utjhayela ikoloyi ukuya khona qobe langa. Sibawa uthumele \
         umbiko ngaphambi kwaLesihlanu ngombana umphathi kufuze ahlole iinomboro. Sithenge isinkwa, ubisi \
         namaqanda esitolo esisekhoneni. Abantwana badlale ngaphandle bekwaba izulu lithoma ukuna. \
         Kusitimela bani esiya ehlangothini ledorobho, begodu ikhambo lithatha isikhathi esingangani? \
         Ngicabanga bona umhlangano kufuze uthome msinyana evekeni elizako. Uyihlathulule kuhle ikinga, \
         begodu woke umuntu uzwisisile bona kufuze enzeni.",
    ),
    (
        Lang::St,
        "Ho ne ho bata haholo hoseng hona, kahoo re ile ra dula ka tlung ra bala koranta. Ngwaneso o \
         sebetsa sepetlele Durban mme o kganna koloi ho ya teng letsatsi le leng le le leng. Ka kopo \
         romela tlaleho pele ho Labohlano hobane mookamedi o tlameha ho hlahloba dipalo. Re rekile \
         bohobe, lebese le mahe lebenkeleng le hukung. Bana ba ile ba bapala ka ntle ho fihlela pula e \
         qala ho na. Ke terene efe e yang bohareng ba toropo, mme leeto le nka nako e kae? Ke nahana hore \
         kopano e lokela ho qala kapele bekeng e tlang. O hlalositse bothata hantle, mme bohle ba \
         utlwisisitse seo ba lokelang ho se etsa.",
    ),
    (
        Lang::Tn,
        "Go ne go tsididi thata mo mosong, ka jalo re ne ra nna mo ntlong ra bala lokwalodikgang. \
         Kgaitsadi wa me o dira kwa bookelong kwa Durban mme o kgweetsa koloi go ya teng letsatsi le \
         letsatsi. Tswee-tswee romela pego pele ga Labotlhano ka gonne mookamedi o tshwanetse go \
         tlhatlhoba dipalo. Re rekile borotho, mashi le mae kwa lebentleleng le le kwa sekhutlong. Bana \
         ba ne ba tshameka kwa ntle go fitlha pula e simolola go na. Ke terena efe e e yang kwa bogareng \
         jwa toropo, mme loeto lo tsaya nako e kae? Ke akanya gore kopano e tshwanetse go simolola ka \
         bonako mo bekeng e e tlang. O tlhalositse bothata sentle, mme botlhe ba tlhaloganya se ba \
         tshwanetseng go se dira.",
    ),
    (
        Lang::Nso,
        "Go be go tonya kudu mesong ye, ka gona re dutše ka ntlong ra bala kuranta. Ngwanešo o šoma \
         bookelong kua Durban gomme o otlela koloi go ya gona letšatši le lengwe le le lengwe. Ka \
         kgopelo romela pego pele ga Labohlano ka gobane molaodi o swanetše go lekola dipalo. Re rekile \
         borotho, maswi le mae lebenkeleng la sekhutlong. Bana ba ile ba raloka ka ntle go fihla pula e \
         thoma go na. Ke setimela sefe seo se yago bogareng bja toropo, gomme leeto le tšea nako ye \
         kaakang? Ke nagana gore kopano e swanetše go thoma ka pela bekeng ye e tlago. O hlalositše \
         bothata gabotse, gomme bohle ba kwešišitše seo ba swanetšego go se dira.",
    ),
    (
        Lang::Ts,
        "A ku titimela swinene namixo, hikokwalaho hi tshame endlwini hi hlaya phephahungu. Makwerhu u \
         tirha exibedlhele eThekwini naswona u chayela movha ku ya kona siku rin'wana na rin'wana. Hi \
         kombela u rhumela xiviko ku nga si fika Ravuntlhanu hikuva murhangeri u fanele ku kambisisa \
         tinhlayo. Hi xavile xinkwa, ntswamba na mandza evhengeleni ra le khonweni. Vana va tlangile \
         ehandle ku fikela loko mpfula yi sungula ku na. Xana i xitimela xihi lexi yaka exikarhi ka \
         doroba, naswona riendzo ri teka nkarhi wo tani hi kwihi? Ndzi ehleketa leswaku nhlangano wu \
         fanele ku sungula ka ha ri nkarhi evhikini leri taka. U hlamusele xiphiqo kahle, naswona \
         un'wana na un'wana u twisisile leswi a faneleke ku swi endla.",
    ),
    (
        Lang::Ve,
        "Ho vha hu tshi rotha nga maanda nga matsheloni aya, ngauralo ro dzula nḓuni ra vhala gurannḓa. \
         Wahashu u shuma sibadela ngei Durban nahone u reila goloi u ya henefho ḓuvha ḽiṅwe na ḽiṅwe. Ri \
         khou humbela uri ni rumele muvhigo phanḓa ha Ḽavhuṱanu ngauri mulangi u fanela u ṱola zwivhalo. \
         Ro renga vhurotho, mafhi na mazhi vhengeleni ḽa khonani. Vhana vho tamba nnḓa u swika mvula i \
         tshi thoma u na. Ndi tshitimela tshifhio tshine tsha ya vhukati ha ḓorobo, nahone lwendo lu \
         dzhia tshifhinga tshingafhani? Ndi humbula uri muṱangano u fanela u thoma nga u ṱavhanya \
         vhukuni vhu ḓaho. O ṱalutshedza thaidzo zwavhuḓi, nahone muṅwe na muṅwe o pfesesa zwine a \
         fanela u zwi ita. Vhathu vho vha vha tshi khou lindela bisi nga tshifhinga tsha madekwana.",
    ),
];

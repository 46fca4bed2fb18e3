"""Word lists and tables behind `handlers.languages.detection`; pure data, no logic.

Words are written in their natural spelling (hamza, tā' marbūṭa, doubled letters): the
detector normalises them the same way it normalises messages when it builds its index.
A word that belongs to two languages' lists is dropped from both (it tells nothing).
"""

from __future__ import annotations

from typing import Final

# --- Arabic script --------------------------------------------------------------------

ARY_ARAB: Final = """
ديال ديالي ديالك ديالنا ديالكم ديالهم ديالو ديالها د
بغيت بغينا بغا بغات بغيتي بغيتو كنبغي نبغي تبغي كيبغي كتبغي بغاو
واش اش آش شنو شنوا اشنو أشنو شكون علاش علاه فين فاين منين كيفاش فوقاش امتى إمتى شحال قداش
كاين كاينة كاينين كاينا كانو
دابا دبا دروك دروقت توا
بزاف بزاااف شوية شويا كلشي والو
مزيان مزيانة مزيانين زوين زوينة خايب خايبة خايبين
غادي غادية غاديين غانمشي غاندير
ماشي مشي هادشي هادا هادي هادو هاد داك ديك دوك هاديك
حيت بلا ملي فاش باش بحال كيما هكا هكاك ياك ياكما واخا زعما صافي عافاك عفاك
نتوما نتوم حنا احنا نتا نتي هوما
راه راني راك راها راهم راحنا
خويا خوتي ختي خاصني خاصك خاصو خاصها خاصهم خاصنا خاصين
باقي باقا مازال مزال ديما قدام تالت شي اللي حدا حدانا ليه ليها ليك ليكم ليا ليهم منو
كيدير كيديرو كندير كتدير كيديرو نديرو ندير نقدر نشوف نجيب نمشي نعرف نسول نصيفط صيفط
كنشكي نشكي كيشكيو كنتسنا كنتسناو تيبان تيقولو تيدير تنبغي تبدلات تحلات تقاداو عاود عاونيني
كيجي جاو جاوش نعيط يعطيك يخليك يجازيك بيكم بيك بيا
إيه ايه
الما ضو الضو الزبل الزنقة زنقة الحومة حومة الطوبيس السبيطار البلاصة الكاميو الموطورات
الجردة سيمانة سيمانا الهضرة البارح الدراري دراري وليدي وليدو التصويرة الوراق خدامين خدام
"""

AR_MSA: Final = """
الذي التي الذين اللذين اللواتي هذا هذه هؤلاء ذلك تلك
أريد نريد يريد أود نود أرغب أرجو نرجو الرجاء أتمنى نتمنى أعرف أفهم أطلب نطالب أقترح أشكركم
أعتذر أتابع أتوجه أرسل أتلق
ليس ليست سوف لماذا ماذا كيف أين متى نحن لقد إن أن إلى عن هل منذ لم لن جدا كثيرا
هناك يوجد توجد يمكن يمكنني يمكنكم يجب ينبغي أيضا فقط حول لدي لدينا لديكم عندما حيث الآن
جزيلا جزاكم تم يتم لعدم نعم موافق الخير
"""

# Darija aspect prefixes (كيدير، كنبغي، كتحل), and MSA words that merely look like them.
ARY_ASPECT_PREFIXES: Final = ("كي", "كن", "كت")
MSA_ASPECT_LOOKALIKE_PREFIXES: Final = (
    "كيف",
    "كيلو",
    "كيس",
    "كيان",
    "كيمي",
    "كنز",
    "كنيس",
    "كتاب",
    "كتب",
)
MSA_ASPECT_LOOKALIKE_WORDS: Final = frozenset({"كنتم", "كنتن"})

# --- Latin script ---------------------------------------------------------------------

ARY_LATN: Final = """
bghit bghina bgha bghat bghiti bghito nbghi kanbghi kanbghiw
wach wash wesh ach achno ashno chno chnou chnu shno chkoun chkon
kayn kayna kaynin kayen kaina kain makaynch makaynach
dyal dial dyali dialna dyalna dyalk dyalkom dyalhom dyalo dyalha diali
mzyan mzian mezyan mzyana zwin zwina khayb khayba
bzaf bzzaf bezaf bzf chwiya chwia kolchi kolla kolha kollo walo walou
fin kifach kifash kifch fo9ach foqach imta chhal ch7al
daba dba drk
wakha wakhha safi baraka iyeh iyah
hna hnaya ntoma ntouma ntuma nta nti ana 7na 7ta
khoya khouya khay khti khouti sidi
lah allah inchallah inshallah nchallah hamdullah hamdolilah hamdoulah lhamdulillah tbarkallah
salam slm salamo salamu alaykom alikom aleykoum 3likom labas bikhir bslama bslema
chokran choukran chokrane shukran chkran
mazal mazel mzal ghadi ghad ghan machi mashi bach bash wla wela chi ghir ila
rah rani raha rak rahom khassni khasni khassna khass khasso khassha khasshom
hadi hada hadchi hadak hadik hado dik dak
ndir ydir tdir kaydir kandir kaydiro diro nchof nchouf chof chouf chofo mchit nmchi njib
sme7 smeh sm7 sma7li sm7li ma3lich malich
mrid sakn fabor flous ghda lbare7 lil nhar simana jwab lkhedma mochkil wa7ed wahed
zbel lma dow daw triq tri9 houma l7awma zn9a zen9a drari lwlad tomobil tomobilat
"""

SHI_LATN: Final = """
azul azol tanmmirt tanemmirt tanmirt manik manzakin manza mamnk mayd mad mani mlmi
righ rix riɣ nkki nkkin nki ghrik ɣrik ixxa ixsa ixṣṣa iga tga illa illi tlla tlli ur ula
ukan kullu bahra ifulki ifulkin imik tamdint lmdint tigmmi tgmmi taddart aman waman abrid
ubrid tamazirt tmazirt tarwa tafawt tachkayt tachawurt idgam asif agharas ugharas nngh nnɣ
ngh nnun nnk nnm nns ghid ghin ghikad fhimgh fhmgh ssinagh ssnagh ssngh zdarɣ zdargh uhu ih
ddugh ddigh ufigh tnnit tnnam ittinin iggut ggutn ggutnin acku ayt gma ultma yan kra sul zg
tamqqrant tamazight tamazirt ttkkigh skrgh awigh asgh asɣ tifawin ar g tasim tẓṛm
ssimana tili tlli tskrm ttawin ttlaban ttirix ttirigh
"""

FR: Final = """
je tu il elle nous vous ils elles le la les un une des du de au aux ce cette ces est sont
suis ai avez avons pas ne plus que qui quoi quand comment où pourquoi combien pour dans avec
sur sous par sans chez très bien on peut merci bonjour bonsoir salut madame monsieur mademoiselle
svp stp oui non mais et donc car mon mes ton ta votre vos notre nos leur faut voudrais
souhaite peux puis pouvez veux faire être encore toujours depuis hier demain rue quartier
ville commune bonne journée bientôt entendu parfait merci beaucoup infiniment accord
bjr slt pb dsl mrc pq pk
"""

EN: Final = """
the is are was were be i i'm im you your my we they it this that there here what when where
how why who which can could would will want need please thanks thank hello hi hey yes not
don't do does did have has of to on at for from with and or but street light road water
garbage workshop help sorry since yesterday full broken report near staying noise great lot
"""

# --- Very short messages (1-3 tokens) ---------------------------------------------------

# Normalised phrase -> (code, confident). Looked up before any scoring.
SHORT_PHRASES: Final[dict[str, tuple[str, bool]]] = {
    "salam": ("ary-Latn", False),
    "slm": ("ary-Latn", False),
    "salamo alaykom": ("ary-Latn", False),
    "salam alaykom": ("ary-Latn", False),
    "salam alikom": ("ary-Latn", False),
    "salamo alikom": ("ary-Latn", False),
    "السلام عليكم": ("ary", False),
    "سلام": ("ary", False),
    "سلام عليكم": ("ary", False),
    "bonjour": ("fr", True),
    "bonsoir": ("fr", True),
    "salut": ("fr", True),
    "merci": ("fr", True),
    "oui": ("fr", True),
    "non": ("fr", False),
    "wakha": ("ary-Latn", True),
    "safi": ("ary-Latn", True),
    "iyeh": ("ary-Latn", True),
    "la": ("ary-Latn", False),
    "baraka": ("ary-Latn", False),
    "azul": ("shi", True),
    "tanmmirt": ("shi", True),
    "ok": ("und", False),
    "okay": ("und", False),
    "مرحبا": ("ar", False),
    "شكرا": ("ar", False),
    "لا": ("ary", False),
    "hello": ("en", True),
    "hi": ("en", False),
    "thanks": ("en", True),
    "thank you": ("en", True),
}

# langdetect answers kept as they are; any other answer on Latin text here is, in
# practice, Darija or Tachelhit without a known marker (langdetect knows neither).
LANGDETECT_TRUSTED: Final = frozenset({"fr", "en", "es", "de", "it", "pt", "nl"})

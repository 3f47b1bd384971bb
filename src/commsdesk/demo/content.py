"""The demo newsroom's content: outlets, feeds and articles written for commsdesk itself.

Fictional organisation ("Free Knowledge Foundation", its encyclopedia "OpenPedia") and outlets,
in six languages, with a syndicated wire story, a canonical duplicate and broken feeds, so a new
user sees every outcome. Nothing here is copied from real publications.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    author: str
    paragraphs: tuple[str, ...]
    hours_ago: float  # publication time relative to when the newsroom started
    appear_after: float = 0.0  # seconds after start before the feed lists it ("arriving")
    canonical_of: str = ""  # "outlet/slug" this page declares as its canonical original


@dataclass(frozen=True)
class DemoOutlet:
    key: str  # URL path prefix on the newsroom server
    name: str
    language: str
    country: str
    type: str
    tier: int
    audience: int
    feed_format: str  # rss, atom, json, or "broken" (malformed XML) / "error" (HTTP 500)
    articles: tuple[DemoArticle, ...] = field(default_factory=tuple)
    extra_links: tuple[str, ...] = ()  # feed links that are not articles (PDF, missing page)


WIRE_STORY = (
    "Volunteers in more than forty countries spent the weekend improving articles about local "
    "history on OpenPedia, the free encyclopedia run by the Free Knowledge Foundation, during an "
    "event organisers described as the largest edit-a-thon of the year.",
    "According to the foundation, more than 12,000 volunteers took part and together created "
    "about 8,500 new articles, many of them in languages that are under-represented online, "
    "including Yoruba, Basque and Quechua.",
    "\u201cKnowledge about a place should be written by the people who live there,\u201d said "
    "Amara Okafor, who coordinated the event for the foundation. Libraries and universities in "
    "Lagos, Bilbao and Cusco opened their reading rooms to volunteers for the two days.",
    "The foundation said it would publish a full report on the event next month, including "
    "figures on how many of the new articles were written by first-time contributors.",
)

WIRE_TITLE = "Volunteers write 8,500 articles in record weekend edit-a-thon"
WIRE_AUTHOR = "Sarah Lindqvist"

OUTLETS: tuple[DemoOutlet, ...] = (
    DemoOutlet(
        "globe-wire",
        "Globe Wire Service",
        "en",
        "GB",
        "wire",
        1,
        2_500_000,
        "rss",
        articles=(
            DemoArticle(
                "edit-a-thon-record",
                WIRE_TITLE,
                WIRE_AUTHOR,
                WIRE_STORY,
                5,
            ),
            DemoArticle(
                "foundation-annual-report",
                "Free Knowledge Foundation reports rise in reader numbers",
                "Sarah Lindqvist",
                (
                    "The Free Knowledge Foundation said on Tuesday that OpenPedia was read by "
                    "more people last year than ever before, with mobile readers now making up "
                    "two thirds of all visits.",
                    "The foundation's annual report also shows that donations from readers "
                    "remained its largest source of income, with an average gift of about "
                    "eleven dollars.",
                    "Critics have asked the foundation to publish more detail on how it spends "
                    "money on software development, a request its chief executive said the "
                    "organisation would answer in the coming months.",
                ),
                30,
            ),
        ),
    ),
    DemoOutlet(
        "morning-ledger",
        "The Morning Ledger",
        "en",
        "US",
        "national",
        1,
        9_000_000,
        "atom",
        articles=(
            DemoArticle(
                "local-history-online",
                WIRE_TITLE,
                WIRE_AUTHOR,
                WIRE_STORY,
                4,
            ),
            DemoArticle(
                "ai-and-encyclopedias",
                "Can volunteer encyclopedias survive the age of AI chatbots?",
                "Daniel Brooks",
                (
                    "Chatbots trained on the open web answer questions that readers once looked "
                    "up on OpenPedia, and some editors worry that fewer visits will mean fewer "
                    "new volunteers.",
                    "The Free Knowledge Foundation says its content is used more than ever, even "
                    "if not always on its own pages, and has asked technology companies to "
                    "credit the volunteers whose work they rely on.",
                    "Researchers interviewed for this article said the long-term health of open "
                    "knowledge projects depends on whether new contributors keep arriving.",
                ),
                20,
            ),
            DemoArticle(
                "press-freedom-index",
                "Press freedom groups warn of website blocks ahead of elections",
                "Maria Chen",
                (
                    "Several press freedom organisations warned on Monday that governments are "
                    "increasingly blocking news sites and reference websites before elections.",
                    "Among the sites blocked in at least two countries this year was OpenPedia, "
                    "according to a joint statement; the Free Knowledge Foundation said it was "
                    "monitoring the situation and called for access to be restored.",
                    "Internet measurement projects confirmed the blocks, which began within days "
                    "of each other.",
                ),
                2,
                appear_after=45,
            ),
        ),
        extra_links=("annual-report-2026.pdf", "deleted-story"),
    ),
    DemoOutlet(
        "diario-del-sur",
        "Diario del Sur",
        "es",
        "AR",
        "national",
        2,
        1_200_000,
        "rss",
        articles=(
            DemoArticle(
                "maraton-de-edicion",
                "Miles de voluntarios escriben la historia local en OpenPedia",
                "Lucía Fernández",
                (
                    "Más de doce mil voluntarios de cuarenta países participaron durante el fin "
                    "de semana en una maratón de edición de OpenPedia, la enciclopedia libre "
                    "gestionada por la Free Knowledge Foundation.",
                    "Según la fundación, se crearon unos 8.500 artículos nuevos, muchos de ellos "
                    "en lenguas con poca presencia en internet, como el quechua y el guaraní.",
                    "En Buenos Aires, la Biblioteca Nacional abrió sus salas a los participantes "
                    "y ofreció acceso a su archivo de periódicos históricos.",
                ),
                6,
            ),
            DemoArticle(
                "bibliotecas-y-conocimiento",
                "Las bibliotecas públicas se suman a la enciclopedia libre",
                "Martín Gómez",
                (
                    "Una red de bibliotecas públicas de Argentina firmó un acuerdo con la Free "
                    "Knowledge Foundation para digitalizar fotografías históricas y publicarlas "
                    "con licencias libres.",
                    "Los responsables del proyecto explicaron que las imágenes ilustrarán "
                    "artículos de OpenPedia sobre ciudades, escuelas y personajes de cada "
                    "provincia.",
                    "La primera entrega incluirá más de tres mil fotografías tomadas entre 1900 "
                    "y 1950.",
                ),
                26,
                appear_after=30,
            ),
        ),
    ),
    DemoOutlet(
        "le-quotidien",
        "Le Quotidien Numérique",
        "fr",
        "FR",
        "national",
        2,
        1_800_000,
        "rss",
        articles=(
            DemoArticle(
                "encyclopedie-libre-ecoles",
                "L'encyclopédie libre entre dans les salles de classe",
                "Camille Dubois",
                (
                    "Des enseignants de plusieurs académies utilisent désormais OpenPedia pour "
                    "apprendre à leurs élèves à vérifier les sources d'une information.",
                    "La Free Knowledge Foundation a publié un guide pédagogique gratuit, traduit "
                    "en douze langues, qui explique comment une page est rédigée, discutée et "
                    "corrigée par des bénévoles.",
                    "Selon une enseignante de Lyon, les élèves comprennent mieux pourquoi une "
                    "affirmation doit toujours être accompagnée d'une référence fiable.",
                ),
                8,
            ),
            DemoArticle(
                "blocage-encyclopedie",
                "Plusieurs pays bloquent l'accès à l'encyclopédie en ligne",
                "Julien Moreau",
                (
                    "L'accès à OpenPedia a été bloqué cette semaine dans au moins deux pays, "
                    "selon des organisations de défense de la liberté de la presse.",
                    "La Free Knowledge Foundation a demandé le rétablissement immédiat de "
                    "l'accès et rappelé que l'encyclopédie est rédigée par des bénévoles du "
                    "monde entier.",
                    "Des mesures techniques indépendantes confirment que les blocages ont "
                    "commencé presque simultanément.",
                ),
                1,
                appear_after=60,
            ),
        ),
    ),
    DemoOutlet(
        "tageskurier",
        "Tageskurier",
        "de",
        "DE",
        "regional",
        2,
        800_000,
        "json",
        articles=(
            DemoArticle(
                "freiwillige-schreiben",
                "Freiwillige schreiben an einem Wochenende 8.500 neue Artikel",
                "Jonas Becker",
                (
                    "Mehr als zwölftausend Freiwillige aus vierzig Ländern haben am Wochenende "
                    "an einem Schreibmarathon für OpenPedia teilgenommen, die freie "
                    "Enzyklopädie der Free Knowledge Foundation.",
                    "Nach Angaben der Stiftung entstanden rund 8.500 neue Artikel, viele davon "
                    "in Sprachen, die im Internet bisher kaum vertreten sind.",
                    "In Berlin öffnete die Staatsbibliothek ihre Lesesäle für die Teilnehmenden "
                    "und stellte historische Stadtpläne zur Verfügung.",
                ),
                7,
            ),
            DemoArticle(
                "datenschutz-spenden",
                "Stiftung hinter der freien Enzyklopädie verzichtet auf Werbung",
                "Anna Schulz",
                (
                    "Die Free Knowledge Foundation finanziert sich weiterhin fast ausschließlich "
                    "über Spenden ihrer Leserinnen und Leser und verzichtet bewusst auf Werbung.",
                    "Die Stiftung betont, dass sie keine Daten über das Leseverhalten verkauft "
                    "und nur so wenige Informationen speichert wie technisch nötig.",
                    "Datenschutzexperten loben diesen Ansatz als Vorbild für andere "
                    "gemeinnützige Plattformen.",
                ),
                40,
            ),
        ),
    ),
    DemoOutlet(
        "al-masdar",
        "المصدر اليومي",
        "ar",
        "EG",
        "national",
        2,
        1_500_000,
        "rss",
        articles=(
            DemoArticle(
                "mutatawwiun-maarifa",
                "آلاف المتطوعين يكتبون تاريخ مدنهم على الموسوعة الحرة",
                "ليلى حسن",
                (
                    "شارك أكثر من اثني عشر ألف متطوع من أربعين دولة في نهاية الأسبوع في ماراثون "
                    "لتحرير مقالات الموسوعة الحرة أوبنبيديا التي تديرها مؤسسة المعرفة الحرة.",
                    "وبحسب المؤسسة، أُنشئ نحو ثمانية آلاف وخمسمئة مقال جديد، كثير منها بلغات "
                    "قليلة الحضور على الإنترنت.",
                    "وفي القاهرة فتحت مكتبة جامعية قاعاتها للمشاركين وقدمت لهم أرشيفها من "
                    "الصحف القديمة.",
                ),
                9,
            ),
            DemoArticle(
                "arabic-content",
                "مبادرة لزيادة المحتوى العربي في الموسوعة الحرة",
                "عمر خالد",
                (
                    "أطلقت مجموعة من المتطوعين مبادرة لزيادة عدد المقالات العربية في موسوعة "
                    "أوبنبيديا، مع التركيز على العلوم والتاريخ المحلي.",
                    "وقالت مؤسسة المعرفة الحرة إنها ستدعم المبادرة بمنح صغيرة للمكتبات "
                    "والجامعات التي تنظم ورش تحرير.",
                    "ويأمل المنظمون أن يضاعفوا عدد المقالات العلمية المكتوبة بالعربية خلال عامين.",
                ),
                28,
                appear_after=50,
            ),
        ),
    ),
    DemoOutlet(
        "asahi-digital",
        "デジタル日報",
        "ja",
        "JP",
        "national",
        1,
        3_000_000,
        "atom",
        articles=(
            DemoArticle(
                "henshu-maraton",
                "ボランティア1万2千人、週末に8500本の記事を執筆",
                "佐藤 花子",
                (
                    "フリー・ナレッジ財団が運営する無料の百科事典オープンペディアで、週末に世界"
                    "40か国以上のボランティアが地域の歴史に関する記事を執筆する催しが開かれた。",
                    "財団によると、参加者は1万2千人を超え、約8500本の新しい記事が作成された。"
                    "その多くはインターネット上で情報の少ない言語で書かれたという。",
                    "東京では大学図書館が閲覧室を開放し、古い新聞の資料を参加者に提供した。",
                ),
                10,
            ),
            DemoArticle(
                "ai-to-hyakkajiten",
                "生成AIの時代、ボランティア百科事典の役割は",
                "鈴木 一郎",
                (
                    "対話型AIの普及により、百科事典を直接読む人が減るのではないかという懸念が"
                    "編集者の間で広がっている。",
                    "フリー・ナレッジ財団は、AI企業に対して記事を書いたボランティアの貢献を明記"
                    "するよう求めている。",
                    "専門家は、新しい参加者が増え続けるかどうかが今後の鍵になると指摘する。",
                ),
                22,
            ),
        ),
    ),
    DemoOutlet(
        "community-blog",
        "Commons Community Blog",
        "en",
        "",
        "blog",
        3,
        20_000,
        "broken",
    ),
    DemoOutlet(
        "regional-herald",
        "Regional Herald",
        "en",
        "CA",
        "regional",
        3,
        150_000,
        "error",
    ),
    DemoOutlet(
        "partner-news",
        "Partner News Network",
        "en",
        "AU",
        "national",
        2,
        600_000,
        "rss",
        articles=(
            DemoArticle(
                "edit-a-thon-record",
                WIRE_TITLE,
                WIRE_AUTHOR,
                WIRE_STORY,
                5,
                canonical_of="globe-wire/edit-a-thon-record",
            ),
            # The wire story as a partner site runs it: its own headline and opening line,
            # the last paragraph cut. No canonical link, so only near-duplicate detection
            # folds it into the wire story (similarity below 1.0 on the story page).
            DemoArticle(
                "volunteers-local-history",
                "Record edit-a-thon: 12,000 volunteers add local history to OpenPedia",
                WIRE_AUTHOR,
                ("(Globe Wire) Partner News carries this report from the Globe Wire Service.",)
                + WIRE_STORY[:3],
                3,
            ),
        ),
    ),
)

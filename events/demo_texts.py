"""Translations of the demo's texts, so `make run` shows what a visitor in each language sees.

Places keep their German names and notes on purpose: the demo then shows translated texts and the
marked German fallback side by side. Titles keep the programme's name "Jobcenter" (the sign on the
stand says so) and translate the rest.
"""

from events.models import SOURCE_LANGUAGE

EASY = "de-x-ls"

# "Jobcenter im Quartier {district}" per language.
EVENT_TITLE = {
    "en": "Jobcenter in your neighbourhood: {district}",
    "tr": "Mahallenizde Jobcenter: {district}",
    "ar": "مركز العمل (Jobcenter) في حي {district}",
    "uk": "Jobcenter у вашому районі: {district}",
    "ru": "Jobcenter в вашем районе: {district}",
    "fa": "Jobcenter در محله {district}",
    EASY: "Das Jobcenter im Stadt·teil {district}",
}

MOTTOS = {
    "Wir für Sie": {
        "en": "Here for you",
        "tr": "Sizin için buradayız",
        "ar": "نحن هنا من أجلكم",
        "uk": "Ми поруч із вами",
        "ru": "Мы рядом с вами",
        "fa": "ما در کنار شما هستیم",
        EASY: "Wir sind für Sie da.",
    },
    "Fragen kostet nichts": {
        "en": "Asking costs nothing",
        "tr": "Sormak ücretsizdir",
        "ar": "السؤال مجاني",
        "uk": "Запитати нічого не коштує",
        "ru": "Спросить ничего не стоит",
        "fa": "پرسیدن هزینه‌ای ندارد",
        EASY: "Fragen kostet nichts.",
    },
    "Mitten im Quartier": {
        "en": "Right in your neighbourhood",
        "tr": "Mahallenizin tam ortasında",
        "ar": "في قلب حيّكم",
        "uk": "У самому серці вашого району",
        "ru": "В самом центре вашего района",
        "fa": "در قلب محله شما",
        EASY: "Wir sind in Ihrem Stadt·teil.",
    },
}

DESCRIPTIONS = {
    # The first event (Oststadt, 23 July 2024).
    "Das Jobcenter kommt in die Oststadt": {
        "en": "The Jobcenter comes to the Oststadt: on the grounds of the former municipal "
        "nursery we advise you in person – no appointment, no waiting. Bring your questions "
        "about work, training, childcare and integration.",
        "tr": "Jobcenter Oststadt'a geliyor: Eski belediye fidanlığının arazisinde size yüz "
        "yüze danışmanlık veriyoruz – randevusuz ve beklemeden. İş, meslek eğitimi, çocuk "
        "bakımı ve uyum konusundaki sorularınızı getirin.",
        "ar": "يأتي مركز العمل (Jobcenter) إلى حي Oststadt: نقدّم لكم استشارة شخصية في موقع "
        "المشتل البلدي السابق – دون موعد ودون انتظار. أحضروا أسئلتكم حول العمل والتدريب "
        "المهني ورعاية الأطفال والاندماج.",
        "uk": "Jobcenter приходить до району Oststadt: на території колишнього міського "
        "розсадника ми особисто консультуємо вас – без запису й без очікування. Приходьте "
        "зі своїми запитаннями про роботу, професійне навчання, догляд за дітьми та інтеграцію.",
        "ru": "Jobcenter приходит в район Oststadt: на территории бывшего городского "
        "питомника мы лично консультируем вас – без записи и без ожидания. Приходите со "
        "своими вопросами о работе, профессиональном обучении, уходе за детьми и интеграции.",
        "fa": "Jobcenter به محله Oststadt می‌آید: در محوطه نهالستان سابق شهرداری به‌صورت "
        "حضوری به شما مشاوره می‌دهیم – بدون وقت قبلی و بدون انتظار. پرسش‌های خود درباره کار، "
        "آموزش حرفه‌ای، مراقبت از کودک و ادغام را با خود بیاورید.",
        EASY: "Das Jobcenter kommt in die Oststadt. Wir sind in der alten Stadt·gärtnerei. "
        "Sie können mit uns sprechen. Sie brauchen keinen Termin. Sie müssen nicht warten. "
        "Sie haben Fragen zu Arbeit oder Ausbildung? Oder zur Betreuung von Ihren Kindern? "
        "Dann kommen Sie zu uns.",
    },
    # Every upcoming demo event.
    "Persönliche Beratung direkt im Quartier": {
        "en": "Personal advice right in your neighbourhood: drop in, no appointment needed. "
        "We take time for your questions.",
        "tr": "Mahallenizde yüz yüze danışmanlık: Randevu almadan uğrayın. Sorularınıza "
        "zaman ayırıyoruz.",
        "ar": "استشارة شخصية في حيّكم مباشرة: تفضّلوا بزيارتنا دون موعد مسبق. نخصّص الوقت "
        "للإجابة عن أسئلتكم.",
        "uk": "Особиста консультація просто у вашому районі: приходьте без попереднього "
        "запису. Ми приділимо час вашим запитанням.",
        "ru": "Личная консультация прямо в вашем районе: приходите без записи. Мы уделим "
        "время вашим вопросам.",
        "fa": "مشاوره حضوری در همین محله: بدون وقت قبلی سر بزنید. برای پرسش‌های شما وقت "
        "می‌گذاریم.",
        EASY: "Das Jobcenter kommt in Ihren Stadt·teil. Sie können mit uns sprechen. Sie "
        "brauchen keinen Termin. Die Beratung kostet nichts. Wir haben Zeit für Ihre Fragen.",
    },
}

# German title → {language: (title, description)}
SERVICES = {
    "Beratung zu Arbeit und Ausbildung": {
        "en": (
            "Advice on work and training",
            "Personal advice on job search, further training and apprenticeships – "
            "no appointment needed.",
        ),
        "tr": (
            "İş ve meslek eğitimi danışmanlığı",
            "İş arama, ileri eğitim ve meslek eğitimi konusunda yüz yüze danışmanlık – "
            "randevusuz.",
        ),
        "ar": (
            "استشارات حول العمل والتدريب المهني",
            "استشارة شخصية حول البحث عن عمل والتدريب المستمر والتدريب المهني – دون موعد.",
        ),
        "uk": (
            "Консультації щодо роботи та професійного навчання",
            "Особиста консультація з пошуку роботи, підвищення кваліфікації та "
            "професійного навчання – без запису.",
        ),
        "ru": (
            "Консультации по работе и профессиональному обучению",
            "Личная консультация по поиску работы, повышению квалификации и "
            "профессиональному обучению – без записи.",
        ),
        "fa": (
            "مشاوره درباره کار و آموزش حرفه‌ای",
            "مشاوره حضوری درباره کاریابی، دوره‌های تکمیلی و آموزش حرفه‌ای – بدون وقت قبلی.",
        ),
        EASY: (
            "Beratung zu Arbeit und Ausbildung",
            "Sie suchen Arbeit? Oder eine Ausbildung? Wir beraten Sie. "
            "Sie brauchen keinen Termin.",
        ),
    },
    "Bewerbungsmappen-Check": {
        "en": (
            "Job application check",
            "Together we look at your CV and cover letter.",
        ),
        "tr": (
            "Başvuru dosyası kontrolü",
            "Özgeçmişinizi ve ön yazınızı birlikte gözden geçiriyoruz.",
        ),
        "ar": ("فحص ملف طلب التوظيف", "نراجع معًا سيرتكم الذاتية وخطاب التقديم."),
        "uk": (
            "Перевірка документів для працевлаштування",
            "Разом переглядаємо ваше резюме та супровідний лист.",
        ),
        "ru": (
            "Проверка документов для трудоустройства",
            "Вместе просматриваем ваше резюме и сопроводительное письмо.",
        ),
        "fa": (
            "بررسی پرونده درخواست کار",
            "رزومه و نامه درخواست شما را با هم مرور می‌کنیم.",
        ),
        EASY: (
            "Hilfe bei der Bewerbung",
            "Sie möchten sich für eine Arbeit bewerben? Wir sehen uns Ihre Unterlagen "
            "zusammen an. Zum Beispiel: Ihren Lebens·lauf.",
        ),
    },
    "Netzwerk Integration": {
        "en": (
            "Integration network",
            "Language courses, recognition of foreign qualifications, contacts to advice "
            "centres.",
        ),
        "tr": (
            "Uyum ağı",
            "Dil kursları, yurt dışında alınan diplomaların tanınması, danışma "
            "merkezleriyle bağlantılar.",
        ),
        "ar": (
            "شبكة الاندماج",
            "دورات اللغة، الاعتراف بالشهادات الأجنبية، التواصل مع مراكز الاستشارة.",
        ),
        "uk": (
            "Мережа інтеграції",
            "Мовні курси, визнання іноземних дипломів, контакти з консультаційними центрами.",
        ),
        "ru": (
            "Сеть интеграции",
            "Языковые курсы, признание иностранных дипломов, контакты с консультационными "
            "центрами.",
        ),
        "fa": (
            "شبکه ادغام اجتماعی",
            "کلاس‌های زبان، به رسمیت شناختن مدارک خارجی، ارتباط با مراکز مشاوره.",
        ),
        EASY: (
            "Hilfe für Menschen aus anderen Ländern",
            "Sie möchten Deutsch lernen? Sie haben einen Abschluss aus einem anderen Land? "
            "Wir helfen Ihnen. Wir kennen auch andere Stellen. Die helfen Ihnen auch.",
        ),
    },
    "Kinderbetreuung und Vereinbarkeit": {
        "en": (
            "Childcare, work and family",
            "How work and family fit together: nursery places, care hours, grants.",
        ),
        "tr": (
            "Çocuk bakımı ve iş-aile dengesi",
            "İş ve aile nasıl bir arada yürür: kreş yerleri, bakım saatleri, destekler.",
        ),
        "ar": (
            "رعاية الأطفال والتوفيق بين العمل والأسرة",
            "كيف يتوافق العمل مع الأسرة: أماكن في الحضانة، أوقات الرعاية، المساعدات المالية.",
        ),
        "uk": (
            "Догляд за дітьми та поєднання роботи й сім’ї",
            "Як поєднати роботу та сім’ю: місця в дитсадку, години догляду, доплати.",
        ),
        "ru": (
            "Уход за детьми и совмещение работы и семьи",
            "Как совместить работу и семью: места в детском саду, часы присмотра, пособия.",
        ),
        "fa": (
            "مراقبت از کودک و هماهنگی کار و خانواده",
            "چگونه کار و خانواده با هم جور شوند: جای مهدکودک، ساعت‌های نگهداری، کمک‌هزینه‌ها.",
        ),
        EASY: (
            "Betreuung für Ihre Kinder",
            "Sie haben Kinder und möchten arbeiten? Wir sagen Ihnen: Wo gibt es einen "
            "Platz in der Kita? Wer bezahlt dafür?",
        ),
    },
    "Beauftragte für Chancengleichheit": {
        "en": (
            "Equal opportunities officer",
            "Advice on returning to work, part-time work and equal opportunities on the "
            "labour market.",
        ),
        "tr": (
            "Fırsat eşitliği sorumlusu",
            "İşe geri dönüş, yarı zamanlı çalışma ve iş piyasasında fırsat eşitliği "
            "konusunda danışmanlık.",
        ),
        "ar": (
            "مسؤولة تكافؤ الفرص",
            "استشارات حول العودة إلى العمل والعمل بدوام جزئي وتكافؤ الفرص في سوق العمل.",
        ),
        "uk": (
            "Уповноважена з питань рівних можливостей",
            "Консультації щодо повернення до роботи, неповної зайнятості та рівних "
            "можливостей на ринку праці.",
        ),
        "ru": (
            "Уполномоченная по вопросам равных возможностей",
            "Консультации по возвращению к работе, частичной занятости и равным "
            "возможностям на рынке труда.",
        ),
        "fa": (
            "مسئول برابری فرصت‌ها",
            "مشاوره درباره بازگشت به کار، کار پاره‌وقت و برابری فرصت‌ها در بازار کار.",
        ),
        EASY: (
            "Gleiche Chancen für alle",
            "Sie möchten wieder arbeiten? Oder weniger Stunden arbeiten? Wir beraten Sie. "
            "Frauen und Männer sollen die gleichen Chancen haben.",
        ),
    },
}


def _description(german: str) -> dict[str, str]:
    for start, texts in DESCRIPTIONS.items():
        if german.startswith(start):
            return texts
    return {}


def event_texts(district: str, motto: str, description: str) -> dict[str, dict]:
    """Every language's title, motto and description of a demo event."""
    mottos = MOTTOS.get(motto, {})
    descriptions = _description(description)
    return {
        code: {
            "title": title.format(district=district),
            "motto": mottos.get(code, ""),
            "description": descriptions.get(code, ""),
        }
        for code, title in EVENT_TITLE.items()
    }


def translate_event(event) -> int:
    """Add the missing translations of one demo event; returns how many were added."""
    german = event.get_translation(SOURCE_LANGUAGE)
    texts = event_texts(event.location.district.name, german.motto, german.description)
    added = 0
    for code, fields in texts.items():
        if not event.has_translation(code):
            event.create_translation(code, **fields)
            added += 1
    return added


def translate_service(service) -> int:
    german = service.get_translation(SOURCE_LANGUAGE)
    added = 0
    for code, (title, description) in SERVICES.get(german.title, {}).items():
        if not service.has_translation(code):
            service.create_translation(code, title=title, description=description)
            added += 1
    return added


# Generated volume events: two in three get these languages, the third stays German only, so
# benchmarks and the demo see translated texts and marked fallbacks alike.
VOLUME_LANGUAGES = ["en", "ar", "uk"]


def volume_translations(texts_model, events) -> list:
    rows = []
    for n, event in enumerate(events):
        if n % 3 == 2:
            continue
        district = event.location.district.name
        for code in VOLUME_LANGUAGES:
            fields = event_texts(
                district, "Wir für Sie", "Persönliche Beratung direkt"
            )[code]
            rows.append(texts_model(master_id=event.pk, language_code=code, **fields))
    return rows

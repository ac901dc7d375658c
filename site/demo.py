"""The home page of the demo world, in French with its Arabic and English translations.

The French page is the one the migration created (slug ``accueil``); the translations are made
with Wagtail's ``copy_for_translation`` and published. Like every demo builder it takes the
``world`` namespace and returns lines ``(label, total, created, updated)``; a page is only
revised and published when its content differs from what is wanted.
"""

from wagtail.models import Locale, Site

from renfort.models import HomePage

HOME_CONTENT = {
    "fr": {
        "title": "Renfort : renforcer les capacités de l'action sociale",
        "intro": (
            "Renfort accompagne les services publics d'action sociale et les associations qu'ils "
            "appuient dans tout le cycle du renforcement des capacités : diagnostiquer, "
            "planifier, former, certifier, rendre compte."
        ),
        "body": (
            "<h2>Un cycle complet, du diagnostic au rapport</h2>"
            "<ol>"
            "<li><b>Diagnostiquer</b> : chaque association ou service évalue sa gouvernance, sa "
            "gestion financière, ses projets et son travail en réseau ; le coordonnateur valide "
            "le diagnostic.</li>"
            "<li><b>Planifier</b> : les dimensions les plus faibles désignent les modules utiles ; "
            "le plan de renforcement des capacités de l'année et du territoire en découle.</li>"
            "<li><b>Former</b> : modules, séances, feuilles de présence, tests avant et après la "
            "formation, en ligne ou sur papier puis saisis par tableur.</li>"
            "<li><b>Certifier</b> : les participants assidus qui ont réussi le test reçoivent une "
            "attestation vérifiable par code ou QR.</li>"
            "<li><b>Rendre compte</b> : personnes formées, associations renforcées, taux "
            "d'exécution du plan, par sexe, âge, territoire et partenaire.</li>"
            "</ol>"
            "<p>Puis le cycle recommence : un nouveau diagnostic mesure les progrès.</p>"
            "<h2>Pour qui ?</h2>"
            "<ul>"
            "<li><b>Formateurs</b> : publient programmes et modules, animent les cohortes, "
            "tiennent les présences.</li>"
            "<li><b>Coordonnateurs</b> : planifient, inscrivent, valident les diagnostics, "
            "délivrent les attestations et suivent leur territoire.</li>"
            "<li><b>Points focaux des associations</b> : suivent les inscriptions, les progrès et "
            "les attestations de leur association.</li>"
            "<li><b>Participants</b> : suivent les leçons, passent les tests, téléchargent leur "
            "attestation.</li>"
            "</ul>"
            "<h2>Sur le terrain</h2>"
            "<p>Dans le département du Mono (Bénin), 25 agents des guichets uniques de protection "
            "sociale, des services sociaux sectoriels et de la direction départementale se "
            "forment à la mobilisation sociale et au suivi des projets et programmes. Dans la "
            "province de Moulay Yacoub (Maroc), une cinquantaine d'associations suivent un cycle "
            "de 16 modules de développement organisationnel.</p>"
        ),
    },
    "ar": {
        "title": "رنفور: تعزيز قدرات العمل الاجتماعي",
        "intro": (
            "يواكب رنفور مصالح العمل الاجتماعي العمومية والجمعيات التي تدعمها في كامل دورة "
            "تعزيز القدرات: التشخيص، التخطيط، التكوين، الإشهاد، وإعداد التقارير."
        ),
        "body": (
            "<h2>دورة كاملة، من التشخيص إلى التقرير</h2>"
            "<ol>"
            "<li><b>التشخيص</b>: تقيّم كل جمعية أو مصلحة حكامتها وتدبيرها المالي ومشاريعها "
            "وعملها الشبكي، ويصادق المنسق على التشخيص.</li>"
            "<li><b>التخطيط</b>: تحدد المحاور الأضعف الوحدات التكوينية المناسبة، ومنها يُبنى "
            "مخطط تعزيز القدرات للسنة وللمجال الترابي.</li>"
            "<li><b>التكوين</b>: وحدات وحصص وأوراق حضور واختبارات قبلية وبعدية، عبر الإنترنت أو "
            "على الورق ثم تُدخل عبر جدول بيانات.</li>"
            "<li><b>الإشهاد</b>: يحصل المشاركون المواظبون الناجحون في الاختبار على شهادة يمكن "
            "التحقق منها برمز أو برمز QR.</li>"
            "<li><b>التقارير</b>: الأشخاص المكوَّنون، والجمعيات المستفيدة، ونسبة تنفيذ المخطط، "
            "حسب الجنس والسن والمجال الترابي والشريك.</li>"
            "</ol>"
            "<p>ثم تبدأ الدورة من جديد: تشخيص جديد يقيس التقدم المحرز.</p>"
            "<h2>لمن؟</h2>"
            "<ul>"
            "<li><b>المكوِّنون</b>: ينشرون البرامج والوحدات، ويؤطرون الأفواج، ويسجلون "
            "الحضور.</li>"
            "<li><b>المنسقون</b>: يخططون ويسجلون ويصادقون على التشخيصات ويسلمون الشهادات "
            "ويتتبعون مجالهم الترابي.</li>"
            "<li><b>نقاط الارتكاز في الجمعيات</b>: يتتبعون تسجيلات جمعيتهم وتقدمها "
            "وشهاداتها.</li>"
            "<li><b>المشاركون</b>: يتابعون الدروس ويجتازون الاختبارات ويحمّلون شهاداتهم.</li>"
            "</ul>"
            "<h2>في الميدان</h2>"
            "<p>في مقاطعة مونو (بنين)، يتكوّن 25 عونا من الشبابيك الموحدة للحماية الاجتماعية "
            "والمصالح الاجتماعية القطاعية والمديرية الجهوية في مجال التعبئة الاجتماعية وتتبع "
            "المشاريع والبرامج. وفي إقليم مولاي يعقوب (المغرب)، تتابع حوالي خمسين جمعية دورة من "
            "16 وحدة في التطوير التنظيمي.</p>"
        ),
    },
    "en": {
        "title": "Renfort: building the capacity of social action",
        "intro": (
            "Renfort supports public social-action services and the associations they work with "
            "through the whole capacity-building cycle: diagnose, plan, train, certify, report."
        ),
        "body": (
            "<h2>A complete cycle, from diagnosis to report</h2>"
            "<ol>"
            "<li><b>Diagnose</b>: each association or service assesses its governance, financial "
            "management, projects and networking; the coordinator validates the diagnostic.</li>"
            "<li><b>Plan</b>: the weakest dimensions point to the modules needed; the year's "
            "capacity-building plan for the territory follows from them.</li>"
            "<li><b>Train</b>: modules, sessions, sign-in sheets, tests before and after the "
            "training, online or on paper and typed in from a spreadsheet.</li>"
            "<li><b>Certify</b>: participants who attended and passed the test receive a "
            "certificate anyone can verify by code or QR.</li>"
            "<li><b>Report</b>: people trained, associations strengthened, the plan's execution "
            "rate, by sex, age, territory and partner.</li>"
            "</ol>"
            "<p>Then the cycle starts again: a new diagnostic measures the progress made.</p>"
            "<h2>Who is it for?</h2>"
            "<ul>"
            "<li><b>Trainers</b> publish programmes and modules, run cohorts and take "
            "attendance.</li>"
            "<li><b>Coordinators</b> plan, enrol, validate diagnostics, issue certificates and "
            "follow their territory.</li>"
            "<li><b>Association focal points</b> follow their association's enrolments, progress "
            "and certificates.</li>"
            "<li><b>Participants</b> follow lessons, take tests and download their "
            "certificate.</li>"
            "</ul>"
            "<h2>In the field</h2>"
            "<p>In the Mono department (Benin), 25 agents from the one-stop social-protection "
            "desks, the sectoral social services and the departmental directorate are trained in "
            "social mobilisation and in monitoring projects and programmes. In the province of "
            "Moulay Yacoub (Morocco), some fifty associations follow a cycle of 16 modules on "
            "organisational development.</p>"
        ),
    },
}
TRANSLATIONS = ("ar", "en")


def french_home_page():
    """The French home page: the default site's root page (made by the migration)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.get(slug="accueil", locale__language_code="fr")


def _publish_if_changed(page, content):
    """Set ``content`` on ``page`` and publish it, unless the live page already shows it."""
    differs = any(getattr(page, field) != value for field, value in content.items())
    if not differs and page.live and not page.has_unpublished_changes:
        return False
    for field, value in content.items():
        setattr(page, field, value)
    page.save_revision().publish()
    return True


def build_home_page(world):
    """The French home page's content, then its Arabic and English translations."""
    home = french_home_page()
    created = updated = 0
    updated += _publish_if_changed(home, HOME_CONTENT["fr"])
    for language_code in TRANSLATIONS:
        locale, _ = Locale.objects.get_or_create(language_code=language_code)
        translation = home.get_translation_or_none(locale)
        is_new = translation is None
        if is_new:
            translation = home.copy_for_translation(locale)
            created += 1
        changed = _publish_if_changed(translation.specific, HOME_CONTENT[language_code])
        updated += changed and not is_new
    world.home_page = home
    return [("Page d'accueil (fr, ar, en)", 1 + len(TRANSLATIONS), created, updated)]


def build_programmes(world):
    """The demo programmes (courses' data files) under the home page, live, with their
    translations; the Takwia cohort follows the 16-module programme, the Lokossa workshop the
    Mono programme."""
    from associations.demo import MONO_WORKSHOP_CODE, TAKWIA_CODE
    from associations.services import training_collection_ensure
    from courses.demo import demo_programmes_ensure

    programmes, lines = demo_programmes_ensure(
        world.home_page, collection=training_collection_ensure()
    )
    links = {TAKWIA_CODE: "secteur-associatif", MONO_WORKSHOP_CODE: "mono-mobilisation-sociale"}
    linked = 0
    for code, name in links.items():
        cohort = getattr(world, "cohorts", {}).get(code)
        if cohort is not None and cohort.programme_id != programmes[name].pk:
            cohort.programme = programmes[name]
            cohort.save(update_fields=["programme"])
            linked += 1
    world.programmes = programmes
    return [*lines, ("Cohortes liées à leur programme", len(links), 0, linked)]


BUILDERS = (build_home_page, build_programmes)

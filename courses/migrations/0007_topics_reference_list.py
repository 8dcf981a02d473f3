"""Course topics become a reference list with Kyrgyz, Russian and English names (they were free tags, in
English on every page). Ships the academy's topics, carries each course's tags over to topics with the same
slug (a tag not in the list becomes a topic named as the tag, to be translated in the admin), and lets
academy admins keep the list.
"""

import modelcluster.fields
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.utils.text import slugify

# code (the old tag slug, so ?topic= links keep working), Kyrgyz, Russian, English
TOPICS = [
    ("municipal-services", "Муниципалдык кызмат көрсөтүүлөр", "Муниципальные услуги", "Municipal services"),
    ("tariffs", "Тарифтер", "Тарифы", "Tariffs"),
    ("fee-collection", "Төлөмдөрдү чогултуу", "Сбор платежей", "Fee collection"),
    ("municipal-enterprises", "Муниципалдык ишканалар", "Муниципальные предприятия", "Municipal enterprises"),
    ("service-contracts", "Кызмат көрсөтүү келишимдери", "Договоры на оказание услуг", "Service contracts"),
    ("social-accountability", "Социалдык отчеттуулук", "Социальная подотчётность", "Social accountability"),
    ("access-to-information", "Маалыматка жеткиликтүүлүк", "Доступ к информации", "Access to information"),
    ("citizen-participation", "Жарандардын катышуусу", "Участие граждан", "Citizen participation"),
    ("local-initiatives", "Жергиликтүү демилгелер", "Местные инициативы", "Local initiatives"),
    ("joint-action-plan", "Биргелешкен аракеттердин планы (БАП)", "Совместный план действий (СПД)", "Joint action plan"),
    ("local-budgets", "Жергиликтүү бюджет", "Местный бюджет", "Local budgets"),
    ("public-hearings", "Коомдук угуулар", "Общественные слушания", "Public hearings"),
    ("citizens-budget", "Жарандык бюджет", "Гражданский бюджет", "Citizens' budget"),
    ("transparency", "Ачыктык", "Прозрачность", "Transparency"),
    ("public-procurement", "Мамлекеттик сатып алуулар", "Государственные закупки", "Public procurement"),
    ("municipal-property", "Муниципалдык менчик", "Муниципальная собственность", "Municipal property"),
    ("land-management", "Жерди башкаруу", "Управление земельными ресурсами", "Land management"),
    ("strategic-planning", "Стратегиялык пландоо", "Стратегическое планирование", "Strategic planning"),
    ("local-economic-development", "Жергиликтүү экономикалык өнүгүү", "Местное экономическое развитие", "Local economic development"),
    ("data-for-planning", "Пландоо үчүн маалыматтар", "Данные для планирования", "Data for planning"),
    ("monitoring-and-evaluation", "Мониторинг жана баалоо", "Мониторинг и оценка", "Monitoring and evaluation"),
    ("indicators", "Көрсөткүчтөр", "Индикаторы", "Indicators"),
    ("grant-projects", "Гранттык долбоорлор", "Грантовые проекты", "Grant projects"),
    ("digital-tools", "Санариптик куралдар", "Цифровые инструменты", "Digital tools"),
    ("e-government", "Электрондук башкаруу", "Электронное управление", "E-government"),
    ("inclusion", "Инклюзивдүүлүк", "Инклюзивность", "Inclusion"),
    ("gender", "Гендердик теңчилик", "Гендерное равенство", "Gender equality"),
    ("womens-leadership", "Аялдардын лидерлиги", "Женское лидерство", "Women's leadership"),
    ("local-councils", "Жергиликтүү кеңештер", "Местные кенеши", "Local councils"),
    ("oversight", "Көзөмөл", "Контроль", "Oversight"),
    ("ethics", "Кызматтык этика", "Служебная этика", "Ethics"),
    ("anti-corruption", "Коррупцияга каршы аракеттенүү", "Противодействие коррупции", "Anti-corruption"),
]  # fmt: skip


def load_topics(apps, schema_editor):
    Topic = apps.get_model("courses", "Topic")
    for code, ky, ru, en in TOPICS:
        Topic.objects.update_or_create(code=code, defaults={"name_ky": ky, "name_ru": ru, "name_en": en})

    CourseTag = apps.get_model("courses", "CourseTag")
    CoursePage = apps.get_model("courses", "CoursePage")
    through = CoursePage._meta.get_field("topics").remote_field.through
    for tagged in CourseTag.objects.select_related("tag"):
        tag = tagged.tag
        code = (tag.slug or slugify(tag.name) or f"topic-{tag.pk}")[:100]
        topic = Topic.objects.filter(code=code).first()
        if topic is None:
            topic = Topic.objects.create(code=code, name_ky=tag.name, name_ru=tag.name, name_en=tag.name)
        through.objects.get_or_create(coursepage_id=tagged.content_object_id, topic_id=topic.pk)

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admins, _created = Group.objects.get_or_create(name="Academy admins")
    admins.permissions.add(*Permission.objects.filter(content_type__app_label="courses", codename__endswith="_topic"))


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0006_material_long_links'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='Topic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_ky', models.CharField(max_length=200, verbose_name='name in Kyrgyz')),
                ('name_ru', models.CharField(max_length=200, verbose_name='name in Russian')),
                ('name_en', models.CharField(max_length=200, verbose_name='name in English')),
                ('code', models.SlugField(help_text='In catalogue links: ?topic=code', max_length=100, unique=True, verbose_name='code')),
            ],
            options={
                'verbose_name': 'topic',
                'verbose_name_plural': 'topics',
                'ordering': ['name_ky'],
            },
        ),
        migrations.AddField(
            model_name='coursepage',
            name='topics',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, to='courses.topic', verbose_name='topics'),
        ),
        migrations.RunPython(load_topics, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='coursepage',
            name='tags',
        ),
        migrations.DeleteModel(
            name='CourseTag',
        ),
        migrations.AlterField(
            model_name='audience',
            name='name_en',
            field=models.CharField(max_length=200, verbose_name='name in English'),
        ),
        migrations.AlterField(
            model_name='audience',
            name='name_ky',
            field=models.CharField(max_length=200, verbose_name='name in Kyrgyz'),
        ),
        migrations.AlterField(
            model_name='audience',
            name='name_ru',
            field=models.CharField(max_length=200, verbose_name='name in Russian'),
        ),
        migrations.AlterField(
            model_name='deliverylanguage',
            name='name_en',
            field=models.CharField(max_length=200, verbose_name='name in English'),
        ),
        migrations.AlterField(
            model_name='deliverylanguage',
            name='name_ky',
            field=models.CharField(max_length=200, verbose_name='name in Kyrgyz'),
        ),
        migrations.AlterField(
            model_name='deliverylanguage',
            name='name_ru',
            field=models.CharField(max_length=200, verbose_name='name in Russian'),
        ),
    ]

from django.db import migrations

AUDIENCES = [
    ("municipal_servants", "Муниципалдык кызматкерлер", "Муниципальные служащие", "Municipal servants"),
    ("lsg_heads", "ЖӨБ органдарынын башчылары", "Главы органов МСУ", "Heads of local self-government bodies"),
    ("council_deputies", "Жергиликтүү кеңештердин депутаттары", "Депутаты местных кенешей", "Local council deputies"),
    ("village_heads", "Айыл башчылары", "Айыл башчы (старосты сёл)", "Village heads"),
    ("activists_youth", "Активисттер жана жаштар", "Активисты и молодёжь", "Activists and youth"),
    ("ngos", "Коомдук уюмдар", "Некоммерческие организации", "NGOs"),
]

LANGUAGES = [
    ("ky", "Кыргызча", "Кыргызский", "Kyrgyz"),
    ("ru", "Орусча", "Русский", "Russian"),
    ("en", "Англисче", "Английский", "English"),
]


def load(apps, schema_editor):
    Audience = apps.get_model("courses", "Audience")
    DeliveryLanguage = apps.get_model("courses", "DeliveryLanguage")
    for code, ky, ru, en in AUDIENCES:
        Audience.objects.update_or_create(code=code, defaults={"name_ky": ky, "name_ru": ru, "name_en": en})
    for code, ky, ru, en in LANGUAGES:
        DeliveryLanguage.objects.update_or_create(code=code, defaults={"name_ky": ky, "name_ru": ru, "name_en": en})


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

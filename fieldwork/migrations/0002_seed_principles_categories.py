"""Seed the essay's five principles and the concern categories (editable afterwards in the admin)."""

from django.db import migrations

PRINCIPLES = [
    # code, Chinese, English, essay section, what the essay asks
    ("positioning", "摆正位置，准确定位", "Right positioning", 1,
     "Drop cadre airs; be equal, fair and objective; power is granted by the people."),
    ("learning", "端正态度，终身学习", "Lifelong learning", 2,
     "Learn what people need; talk without a generation gap; respect their wisdom."),
    ("pragmatism", "务实敬业", "Pragmatic dedication", 3,
     "Start from people's interests; find and solve real problems; seek truth from facts."),
    ("integrity", "清廉正直，接受监督", "Integrity, accepting supervision", 4,
     "Set the example; offer channels of supervision; correct faults; speak plainly."),
    ("keeping_pace", "努力钻研，紧跟时代", "Keeping pace with the times", 5,
     "New knowledge and skills; see the whole picture."),
]

CATEGORIES = [
    ("working_conditions", "工作条件", "Working conditions"),
    ("pay_benefits", "薪酬福利", "Pay and benefits"),
    ("safety", "安全生产", "Safety"),
    ("daily_hardship", "生活困难", "Hardship in daily life"),
    ("skills_training", "技能培训", "Skills and training"),
    ("suggestion", "意见建议", "Suggestion"),
    ("cadre_conduct", "干部作风", "Conduct of cadres"),
    ("other", "其他", "Other"),
]


def seed(apps, schema_editor):
    Principle = apps.get_model("fieldwork", "Principle")
    Category = apps.get_model("fieldwork", "Category")
    for order, (code, zh, en, section, description) in enumerate(PRINCIPLES, start=1):
        Principle.objects.update_or_create(
            code=code,
            defaults={"name_zh": zh, "name_en": en, "essay_section": section, "description": description,
                      "ordering": order},
        )
    for order, (code, zh, en) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(code=code, defaults={"name_zh": zh, "name_en": en, "ordering": order})


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.contrib import admin

from .models import Study


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["patient_name", "patient_id", "study_date", "modality", "description"]

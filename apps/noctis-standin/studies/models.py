from django.db import models


class Study(models.Model):
    """A study read from one DICOM file under MEDIA_ROOT (the stand-in keeps one file per study)."""

    study_instance_uid = models.CharField(max_length=64, unique=True)
    patient_name = models.CharField(max_length=200)
    patient_id = models.CharField(max_length=64)
    study_date = models.DateField(null=True)
    modality = models.CharField(max_length=16)
    description = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField()
    columns = models.PositiveIntegerField()
    # Relative to MEDIA_ROOT, so the media directory can move.
    file = models.CharField(max_length=255)

    class Meta:
        ordering = ["-study_date", "patient_name"]
        verbose_name_plural = "studies"

    def __str__(self):
        return f"{self.patient_name} {self.modality} {self.study_date}"

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from studies.dicom import DICOM_DIR, SAMPLES, write_sample


class Command(BaseCommand):
    help = "Writes the stand-in's sample DICOM files into MEDIA_ROOT/dicom, leaving those already there alone."

    def handle(self, *args, **options):
        folder = os.path.join(settings.MEDIA_ROOT, DICOM_DIR)
        os.makedirs(folder, exist_ok=True)
        written = 0
        for sample in SAMPLES:
            path = os.path.join(folder, sample["name"] + ".dcm")
            if not os.path.exists(path):
                write_sample(path, sample)
                written += 1
        # One stable line, for a playbook's changed_when.
        self.stdout.write(f"sample DICOM files: {written} written, {len(SAMPLES) - written} present")

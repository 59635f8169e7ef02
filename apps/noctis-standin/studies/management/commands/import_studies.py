from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from pydicom.errors import InvalidDicomError

from studies.dicom import dicom_files, read_study
from studies.models import Study


class Command(BaseCommand):
    help = "Reads the DICOM files under MEDIA_ROOT/dicom with pydicom and adds or updates their studies."

    def handle(self, *args, **options):
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        for path in dicom_files(settings.MEDIA_ROOT):
            try:
                fields = read_study(settings.MEDIA_ROOT, path)
            except (InvalidDicomError, AttributeError, ValueError) as error:
                raise CommandError(f"{path}: not a DICOM study this app can read: {error}") from error
            counts[self.store(fields)] += 1
        # One stable line, for a playbook's changed_when.
        self.stdout.write("studies: " + ", ".join(f"{count} {word}" for word, count in counts.items()))

    @staticmethod
    def store(fields):
        """Saves only what differs, so a second import writes nothing."""
        study = Study.objects.filter(study_instance_uid=fields["study_instance_uid"]).first()
        if study is None:
            Study.objects.create(**fields)
            return "added"
        changed = [name for name, value in fields.items() if getattr(study, name) != value]
        if not changed:
            return "unchanged"
        for name in changed:
            setattr(study, name, fields[name])
        study.save(update_fields=changed)
        return "updated"

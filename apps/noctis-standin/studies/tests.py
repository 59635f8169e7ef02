"""The views and commands, with SQLite and a local-memory cache: manage.py test --settings=noctis.settings_test"""
import io
import os
import tempfile
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings

from studies.dicom import DICOM_DIR, SAMPLES
from studies.models import Study

STRONG_PASSWORD = "violet-harbour-quartz-17"


def run(*args, stdin=""):
    """A management command's output line, with stdin as its standard input."""
    out = io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(stdin)):
        call_command(*args, stdout=out)
    return out.getvalue().strip()


class MediaTestCase(TestCase):
    """Each test gets an empty MEDIA_ROOT of its own."""

    def setUp(self):
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        self.media_root = media.name
        settings_override = override_settings(MEDIA_ROOT=media.name)
        settings_override.enable()
        self.addCleanup(settings_override.disable)


class StudiesTest(MediaTestCase):
    def test_sample_files_are_written_once(self):
        self.assertEqual(run("sample_dicom"), "sample DICOM files: 3 written, 0 present")
        self.assertEqual(run("sample_dicom"), "sample DICOM files: 0 written, 3 present")
        self.assertEqual(len(os.listdir(os.path.join(self.media_root, DICOM_DIR))), len(SAMPLES))

    def test_import_reads_the_files_and_a_second_import_changes_nothing(self):
        run("sample_dicom")
        self.assertEqual(run("import_studies"), "studies: 3 added, 0 updated, 0 unchanged")
        self.assertEqual(run("import_studies"), "studies: 0 added, 0 updated, 3 unchanged")
        ct = Study.objects.get(modality="CT")
        self.assertEqual((ct.patient_name, ct.patient_id, str(ct.study_date)), ("DOE^JANE", "NOC-0001", "2026-01-15"))
        self.assertEqual((ct.rows, ct.columns, ct.file), (16, 16, "dicom/sample-ct.dcm"))

    def test_import_updates_a_study_whose_file_changed(self):
        run("sample_dicom")
        run("import_studies")
        Study.objects.filter(modality="MR").update(description="edited")
        self.assertEqual(run("import_studies"), "studies: 0 added, 1 updated, 2 unchanged")
        self.assertEqual(Study.objects.get(modality="MR").description, "MR knee (stand-in)")

    def test_import_refuses_a_file_that_is_not_dicom(self):
        os.makedirs(os.path.join(self.media_root, DICOM_DIR))
        with open(os.path.join(self.media_root, DICOM_DIR, "broken.dcm"), "w") as file:
            file.write("not DICOM")
        with self.assertRaisesRegex(CommandError, "dicom/broken.dcm: not a DICOM study"):
            run("import_studies")

    def test_the_study_list_shows_the_imported_studies(self):
        response = self.client.get("/")
        self.assertContains(response, "No studies yet")
        run("sample_dicom")
        run("import_studies")
        response = self.client.get("/")
        for name in ("DOE^JANE", "ROE^RICHARD", "MUSTERMANN^ERIKA"):
            self.assertContains(response, name)
        self.assertContains(response, "16×16")


class HealthAndMetricsTest(TestCase):
    def test_health_is_ok_when_database_and_cache_answer(self):
        response = self.client.get("/health")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok", "redis": "ok"})
        self.assertIn("no-cache", response["Cache-Control"])

    # The dummy cache forgets what it is given, as a Redis that is gone would.
    @override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
    def test_health_is_503_and_names_the_cache_when_it_fails(self):
        response = self.client.get("/health")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["status"], "error")
        self.assertEqual(response.json()["database"], "ok")
        self.assertEqual(response.json()["redis"], "RuntimeError: the value written was not read back")

    def test_health_is_503_and_names_the_database_when_it_fails(self):
        with mock.patch("studies.views.Study.objects.exists", side_effect=RuntimeError("connection refused")):
            response = self.client.get("/health")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "RuntimeError: connection refused")
        self.assertEqual(response.json()["redis"], "ok")

    def test_metrics_counts_the_requests_in_prometheus_format(self):
        self.client.get("/health")
        response = self.client.get("/metrics")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        counted = r'django_http_responses_total_by_status_total\{status="200"\} [1-9]'
        self.assertRegex(response.content.decode(), counted)

    def test_the_deployment_checks_pass(self):
        # Fails on any warning that settings.py does not silence with its reason (nginx sends those headers).
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=io.StringIO())


class EnsureSuperuserTest(TestCase):
    def test_creates_then_reports_unchanged(self):
        for expected in ("superuser admin: created", "superuser admin: unchanged"):
            self.assertEqual(run("ensure_superuser", "--password-stdin", stdin=STRONG_PASSWORD + "\n"), expected)
        user = get_user_model().objects.get(username="admin")
        self.assertTrue(user.is_superuser and user.is_staff and user.check_password(STRONG_PASSWORD))

    def test_reads_the_password_and_names_from_the_environment(self):
        env = {"DJANGO_SUPERUSER_USERNAME": "radiology", "DJANGO_SUPERUSER_EMAIL": "r@example.org",
               "DJANGO_SUPERUSER_PASSWORD": STRONG_PASSWORD}
        with mock.patch.dict(os.environ, env):
            self.assertEqual(run("ensure_superuser"), "superuser radiology: created")
        self.assertEqual(get_user_model().objects.get(username="radiology").email, "r@example.org")

    def test_updates_a_changed_password_and_lost_rights(self):
        run("ensure_superuser", "--password-stdin", stdin=STRONG_PASSWORD)
        get_user_model().objects.filter(username="admin").update(is_superuser=False)
        self.assertEqual(
            run("ensure_superuser", "--password-stdin", stdin="another-" + STRONG_PASSWORD),
            "superuser admin: updated (rights, password)",
        )
        self.assertTrue(get_user_model().objects.get(username="admin").check_password("another-" + STRONG_PASSWORD))

    def test_refuses_a_weak_or_missing_password(self):
        with self.assertRaisesRegex(CommandError, "the password is refused"):
            run("ensure_superuser", "--password-stdin", stdin="password\n")
        with mock.patch.dict(os.environ, {"DJANGO_SUPERUSER_PASSWORD": ""}):
            with self.assertRaisesRegex(CommandError, "no password"):
                run("ensure_superuser")
        self.assertFalse(get_user_model().objects.exists())

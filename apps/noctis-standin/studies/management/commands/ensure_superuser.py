import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

PASSWORD_VARIABLE = "DJANGO_SUPERUSER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Creates the superuser, or brings an existing one's password, email and rights in line; changes nothing when"
        f" they already are. The password comes from standard input (--password-stdin) or {PASSWORD_VARIABLE},"
        " never from the command line, where any user on the host could read it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin"))
        parser.add_argument("--email", default=os.environ.get("DJANGO_SUPERUSER_EMAIL", ""))
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    def handle(self, *args, username, email, password_stdin, **options):
        password = sys.stdin.readline().rstrip("\n") if password_stdin else os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            raise CommandError(f"no password: give it on standard input (--password-stdin) or in {PASSWORD_VARIABLE}")

        User = get_user_model()
        user = User.objects.filter(username=username).first()
        try:
            validate_password(password, user or User(username=username, email=email))
        except ValidationError as error:
            raise CommandError("the password is refused: " + " ".join(error.messages)) from error

        if user is None:
            User.objects.create_superuser(username=username, email=email, password=password)
            outcome = "created"
        else:
            changed = self.align(user, email, password)
            outcome = f"updated ({', '.join(changed)})" if changed else "unchanged"
        # One stable line, for a playbook's changed_when; never the password.
        self.stdout.write(f"superuser {username}: {outcome}")

    @staticmethod
    def align(user, email, password):
        changed = []
        if not (user.is_superuser and user.is_staff and user.is_active):
            user.is_superuser = user.is_staff = user.is_active = True
            changed.append("rights")
        if email and user.email != email:
            user.email = email
            changed.append("email")
        if not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        if changed:
            user.save()
        return changed

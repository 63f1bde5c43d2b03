"""Empty the comment Trash and Spam of what has lain there for more than N days (default 30)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from comments import services
from comments.models import Comment


class Command(BaseCommand):
    help = "Delete for good comments that have been in the Trash or Spam for more than --days days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=options["days"])
        old = Comment.objects.removed().filter(updated_at__lt=cutoff).order_by("-depth")
        count = 0
        for comment in old.iterator():
            # Deepest first, through the service, so surviving replies keep their threads.
            services.comment_delete(comment=Comment.objects.get(pk=comment.pk))
            count += 1
        self.stdout.write(f"Deleted {count} comments older than {options['days']} days from the Trash and Spam.")

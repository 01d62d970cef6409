"""Re-encrypt every confidential note under the newest key of FIELDWORK_NOTE_KEYS.

Rotation: put the new key first (old ones after it), restart, run this, then drop the old keys.
Safe to run again: notes already under the newest key are left as they are.
"""

from django.core.management.base import BaseCommand

from ...services.talks import REENCRYPT_BATCH, notes_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt every confidential note under the newest key of FIELDWORK_NOTE_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=REENCRYPT_BATCH)

    def handle(self, *args, batch_size: int, **options):
        counts = notes_reencrypt(batch_size=max(1, batch_size))
        self.stdout.write(f"{counts['reencrypted']} of {counts['checked']} notes re-encrypted under the newest key.")

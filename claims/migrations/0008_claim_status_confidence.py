"""The review queue doubtful first (issue 12): drafts by confidence, lowest first, read off an
index instead of sorting every draft."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0007_public_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['status', 'confidence'], name='claim_status_confidence'),
        ),
    ]

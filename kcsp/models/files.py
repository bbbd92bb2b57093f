"""An abstract base for records holding a file a member of staff uploaded."""

from django.db import models

from kcsp.models.base import acting_user
from kcsp.uploads import KINDS


class UploadedFileModel(models.Model):
    """A file checked by `kcsp.uploads.check_upload`, which gives its
    `file_kind` (a key of `KINDS`), and the user who uploaded it.

    The concrete model declares `file_kind` with the other details of the
    file, as each one's own blanks allow."""

    file_kind: str

    uploaded_by = acting_user(editable=False)

    class Meta:
        abstract = True

    @property
    def is_pdf(self) -> bool:
        return self.file_kind == "pdf"

    @property
    def kind_label(self) -> str:
        kind = KINDS.get(self.file_kind)
        return kind.label if kind else "File"

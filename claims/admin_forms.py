"""Forms of the admin's own pages: article upload, bulk upload, rejecting claims with a reason."""

from django import forms
from django.conf import settings

from ingest.manifest import ManifestEntry, ManifestError, manifest_parse

# Dates are typed as the hint says, YYYY-MM-DD. A type="date" input shows the browser's
# locale instead (mm/dd/yyyy in en-US), which contradicted the hint.
ISO_DATE = "%Y-%m-%d"


def iso_date_input() -> forms.DateInput:
    return forms.DateInput(
        format=ISO_DATE,
        attrs={"placeholder": "YYYY-MM-DD", "pattern": r"\d{4}-\d{2}-\d{2}", "size": 10},
    )


class ArticleUploadForm(forms.Form):
    """One article: a .txt/.html file or pasted text, with what the uploader knows about it."""

    file = forms.FileField(
        required=False,
        # The ingest service refuses an empty file with its name, as for every other refusal.
        allow_empty_file=True,
        help_text="A .txt or .html file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}),
    )
    text = forms.CharField(
        required=False,
        label="or paste the text",
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
    )
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https")
    title = forms.CharField(required=False, max_length=500)
    outlet = forms.CharField(
        required=False,
        max_length=200,
        help_text="The publication, e.g. Reuters. A known outlet is matched by name or alias.",
    )
    author = forms.CharField(required=False, max_length=300)
    published = forms.DateField(
        required=False,
        label="Published date",
        input_formats=[ISO_DATE],
        help_text="YYYY-MM-DD. Relative dates in the text are read from it.",
        widget=iso_date_input(),
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean() returns (its stub says maybe None)
        has_file, has_text = bool(cleaned.get("file")), bool((cleaned.get("text") or "").strip())
        if has_file == has_text:
            raise forms.ValidationError("Choose a file or paste the text (one of the two).")
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as in Django's "Uploading multiple files" how-to."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm"}))
        # An empty file is reported per file by the ingest service, not as an error that
        # refuses the whole batch.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if not data:
            return single(None, initial)  # "This field is required."
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ArticleBulkUploadForm(forms.Form):
    """Several files at once; the metadata given applies to all of them."""

    # Each file is read in memory in turn; a cap keeps one request bounded.
    MAX_FILES = 100

    # Django's metaclass takes declared fields out of the class, so this does not replace the
    # form's `files` attribute (the uploaded files), as the stubs believe.
    files = MultipleFileField(  # type: ignore[assignment]
        help_text=f"Up to {MAX_FILES} .txt or .html files."
    )
    outlet = forms.CharField(required=False, max_length=200)
    published = forms.DateField(
        required=False,
        label="Published date",
        input_formats=[ISO_DATE],
        help_text="YYYY-MM-DD",
        widget=iso_date_input(),
    )
    manifest = forms.FileField(
        required=False,
        help_text="Optional CSV or JSON with a row per file: file, published (YYYY-MM-DD), "
        "outlet, url, title. Its values win over the outlet and date above.",
    )

    def clean_manifest(self) -> dict[str, ManifestEntry]:
        manifest = self.cleaned_data.get("manifest")
        if not manifest:
            return {}
        if (manifest.size or 0) > 1_000_000:
            raise forms.ValidationError("The manifest is larger than 1 MB.")
        try:
            text = manifest.read().decode("utf-8-sig")
            return manifest_parse(text, name=manifest.name or "manifest.csv")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The manifest is not UTF-8 text.") from exc
        except ManifestError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > self.MAX_FILES:
            raise forms.ValidationError(
                f"{len(files)} files: upload at most {self.MAX_FILES} at a time."
            )
        total = sum(file.size or 0 for file in files)
        if total > settings.UPLOAD_MAX_BYTES * 10:
            raise forms.ValidationError("These files are too large together; upload fewer.")
        return files


class ClaimRejectForm(forms.Form):
    """The reason asked for when rejecting claims from the list."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Kept with each claim and shown in its history.",
    )

"""Pages of the dataset releases (/data/) and the codebook (/about/codebook/), issue 15."""

from django.core.exceptions import FieldDoesNotExist
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.api.serializers import ClaimSerializer
from claims.dataset import DATA_ATTRIBUTION, DATA_LICENCE
from claims.models import Claim, DatasetRelease, Source
from claims.releases import PANDAS_DTYPES, TABLES, release_file, release_file_names, release_list


@require_safe
def data_index(request: HttpRequest) -> HttpResponse:
    context = {"releases": release_list(), "licence": DATA_LICENCE}
    return render(request, "claims/data.html", context)


@require_safe
def release_detail(request: HttpRequest, number: int) -> HttpResponse:
    release = get_object_or_404(DatasetRelease, number=number)
    files = [(name, release.files.get(name)) for name in release_file_names(release)]
    context = {
        "release": release,
        "files": files,
        "licence": DATA_LICENCE,
        "attribution": DATA_ATTRIBUTION,
    }
    return render(request, "claims/release_detail.html", context)


@require_safe
def release_download(request: HttpRequest, number: int, name: str) -> FileResponse:
    release = get_object_or_404(DatasetRelease, number=number)
    path = release_file(release=release, name=name)
    if path is None or not path.is_file():
        raise Http404("No such file in this release.")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    # A published release never changes: caches may keep it for a year.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# How each API field is filled: by the extractor (then checked by an editor), by editors, or
# computed by the site. The codebook shows it beside the field's description.
API_FIELD_ORIGINS = {
    "id": "site",
    "api_url": "site",
    "page_url": "site",
    "figure_display": "site, from qualifier and figures",
    "parent": "editors",
    "reports": "editors, when they merge another report of the claim into it",
    "corroborations": "site, from reports",
    "contested": "site, from the other approved claims",
    "updated_at": "site",
    "article": "uploader, and the article's metadata",
}


@require_safe
def codebook(request: HttpRequest) -> HttpResponse:
    """Every public field, generated from the release Table Schemas and the API serializer,
    with its allowed values: nothing to keep in step by hand."""
    declared = ClaimSerializer().fields
    api_fields = [
        {
            "name": name,
            "description": str(declared[name].help_text or _model_help(name)),
            "origin": API_FIELD_ORIGINS.get(name, "extractor, checked and corrected by editors"),
        }
        for name in ClaimSerializer.Meta.fields
    ]
    tables = [
        {"name": table, "columns": columns, "file": f"{table}.csv"}
        for table, columns in TABLES.items()
    ]
    context = {
        "api_fields": api_fields,
        "tables": tables,
        "pandas_dtypes": PANDAS_DTYPES,
        "choices": [
            ("category", Claim.Category.choices),
            ("qualifier", Claim.Qualifier.choices),
            ("basis", Claim.Basis.choices),
            ("claimant_kind / kind", Source.Kind.choices),
        ],
        "licence": DATA_LICENCE,
    }
    return render(request, "claims/codebook.html", context)


def _model_help(name: str) -> str:
    try:
        field = Claim._meta.get_field(name)
    except FieldDoesNotExist:  # a field of the API only
        return ""
    return str(getattr(field, "help_text", "") or getattr(field, "verbose_name", ""))

"""What the published data is, as a whole (issue 15): its licence and how to cite it. The
claims, battles, sources and article metadata claimsite publishes are under CC BY 4.0; the
code is under the AGPL (LICENSE). Excerpts and article texts are quotations of their
publishers' work and stay theirs (LICENSE-DATA.md)."""

# In the form of a Frictionless Data Package `licenses` entry, used as such by releases.
DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
DATA_ATTRIBUTION = "claimsite, casualty claims in war reporting"

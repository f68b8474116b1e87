from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from translation_exchange import exchange
from translation_exchange.selectors import language_name, target_languages

DEFAULT_DAYS = 28
MAX_DAYS = 366
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FORMAT_CHOICES = [("xliff", _("XLIFF 1.2 (.xlf)")), ("po", _("PO (.po)"))]
EXTENSIONS = {".xlf": "xliff", ".xliff": "xliff", ".xml": "xliff", ".po": "po"}


class WindowForm(forms.Form):
    """How far ahead the page looks (?tage=28)."""

    tage = forms.IntegerField(
        label=_("days ahead"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        required=False,
    )

    def days(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data["tage"]:
            return self.cleaned_data["tage"]
        return DEFAULT_DAYS


class ExportForm(forms.Form):
    language = forms.ChoiceField(label=_("target language"), choices=target_languages)
    file_format = forms.ChoiceField(
        label=_("file format"), choices=FORMAT_CHOICES, initial="xliff"
    )


class ImportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("language of the file"), choices=target_languages
    )
    file = forms.FileField(
        label=_("translated file"),
        help_text=_("XLIFF (.xlf) or PO (.po), UTF-8, at most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        file_format = EXTENSIONS.get(PurePath(upload.name).suffix.lower())
        if file_format is None:
            raise ValidationError(_("Choose an XLIFF (.xlf) or PO (.po) file."))
        try:
            language, units = exchange.read(upload.read(), file_format=file_format)
        except exchange.ExchangeFileError as error:
            raise ValidationError(str(error)) from None
        if not units:
            raise ValidationError(_("The file holds no texts."))
        self.file_language, self.units = language, units
        return upload

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("language")
        found = getattr(self, "file_language", None)
        if chosen and found is not None and found != chosen:
            raise ValidationError(
                _("The file is for “%(found)s”, not for %(chosen)s.")
                % {
                    "found": language_name(found) if found else "?",
                    "chosen": language_name(chosen),
                }
            )
        return cleaned

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from translations import services
from translations.backends import get_backend
from translations.models import MachineTranslationUsage

MACHINE_ACTIONS = ("draft_machine_translations", "approve_machine_translations")


def language_label(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def budget_text(budget: services.Budget) -> str:
    return _(
        "Machine translation this month: %(used)s of %(limit)s characters used, "
        "%(remaining)s left."
    ) % {"used": budget.used, "limit": budget.limit, "remaining": budget.remaining}


class MachineTranslationMixin:
    """Adds "Draft missing translations by machine" and "Approve…" to an admin.

    For django-parler admins of models written in German and translated into
    the configured languages (docs/machine-translation.md).
    """

    def get_fieldsets(self, request, obj=None):
        # The draft flag on every language tab a machine may fill: unticking
        # it is how a person approves the text they have just read.
        fieldsets = super().get_fieldsets(request, obj)
        if self.get_form_language(request, obj) in services.NOT_MACHINE_TRANSLATED:
            return fieldsets
        return [
            *fieldsets,
            (_("Machine translation"), {"fields": ["machine_translated"]}),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if IS_POPUP_VAR not in request.GET and self.has_change_permission(request):
            for name in MACHINE_ACTIONS:
                actions[name] = self.get_action(name)
        return actions

    @admin.action(description=gettext_lazy("Draft missing translations by machine"))
    def draft_machine_translations(self, request, queryset):
        backend = get_backend()
        if backend is None:
            self.message_user(
                request,
                _(
                    "Machine translation is off. To use it, set QUARTIER_MT_BACKEND "
                    "to libretranslate (with LIBRETRANSLATE_URL) or deepl (with "
                    "DEEPL_AUTH_KEY); see docs/machine-translation.md."
                ),
                messages.ERROR,
            )
            return
        if services.EASY_READ in dict(settings.LANGUAGES):
            self.message_user(
                request,
                _(
                    "Easy-to-read German is never machine translated: a person "
                    "writes it."
                ),
                messages.INFO,
            )
        try:
            report = services.draft_missing_translations(
                list(services.prefetch(queryset)), backend=backend, user=request.user
            )
        except services.BudgetExceeded as exceeded:
            self.message_user(
                request,
                _(
                    "Nothing was sent: these texts have %(needed)s characters, but "
                    "only %(remaining)s of this month's %(limit)s are left "
                    "(QUARTIER_MT_MONTHLY_CHARACTERS). Select fewer entries or wait "
                    "for next month."
                )
                % {
                    "needed": exceeded.needed,
                    "remaining": exceeded.budget.remaining,
                    "limit": exceeded.budget.limit,
                },
                messages.ERROR,
            )
            return
        for code in report.unsupported:
            self.message_user(
                request,
                _(
                    "%(service)s cannot translate into %(language)s: these texts "
                    "stay in German until a person translates them."
                )
                % {"service": backend.label, "language": language_label(code)},
                messages.WARNING,
            )
        for code, rows in report.drafted.items():
            self.message_user(
                request,
                ngettext(
                    "%(language)s: %(n)d translation drafted by machine; please "
                    "check it.",
                    "%(language)s: %(n)d translations drafted by machine; please "
                    "check them.",
                    rows,
                )
                % {"language": language_label(code), "n": rows},
                messages.SUCCESS,
            )
        if report.too_long:
            self.message_user(
                request,
                _("Too long once translated, left for a person: %(entries)s")
                % {"entries": ", ".join(sorted(set(report.too_long)))},
                messages.WARNING,
            )
        if report.error:
            if report.drafted:
                failed = _(
                    "Machine translation failed; only the languages named above "
                    "were saved, the others still show the German texts. %(reason)s"
                )
            else:
                failed = _(
                    "Machine translation failed; nothing was saved and the German "
                    "texts are shown instead. %(reason)s"
                )
            self.message_user(
                request, failed % {"reason": report.error}, messages.ERROR
            )
        elif not report.drafted and not report.too_long:
            self.message_user(
                request,
                _("No translation is missing in the selected entries."),
                messages.INFO,
            )
        self.message_user(request, budget_text(report.budget), messages.INFO)

    @admin.action(
        description=gettext_lazy("Approve machine translations (after checking them)")
    )
    def approve_machine_translations(self, request, queryset):
        approved = services.approve_machine_translations(
            list(services.prefetch(queryset)), user=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(n)d machine translation approved.",
                "%(n)d machine translations approved.",
                approved,
            )
            % {"n": approved},
            messages.SUCCESS if approved else messages.INFO,
        )


@admin.register(MachineTranslationUsage)
class MachineTranslationUsageAdmin(admin.ModelAdmin):
    """Read only: the counts are written by drafting translations."""

    list_display = ["month_label", "backend", "characters"]
    list_filter = ["backend"]

    @admin.display(description=gettext_lazy("month"), ordering="month")
    def month_label(self, usage):
        return f"{usage.month:%m/%Y}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "budget": services.budget_status(),
            "backend": settings.QUARTIER_MT_BACKEND,
        }
        return super().changelist_view(request, extra_context)

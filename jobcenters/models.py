"""The Jobcenter (the tenant that owns all data), its host names and its staff."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenters.scoping import owner_field
from jobcenters.uploads import validate_captions, validate_dgs_video, validate_logo
from quartier.brand import MIN_CONTRAST, WHITE, contrast_ratio

HEX_COLOR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Write the colour as #rrggbb, for example #0b5394.")
)


def validate_brand_color(value: str) -> None:
    """The colour must read against white (WCAG AA for text)."""
    HEX_COLOR(value)
    ratio = contrast_ratio(value.lower(), WHITE)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "This colour has a contrast of %(ratio).2f:1 with white; at least "
                "%(minimum).1f:1 is needed so text in it can be read."
            ),
            params={"ratio": ratio, "minimum": MIN_CONTRAST},
            code="low_contrast",
        )


class JobcenterQuerySet(models.QuerySet):
    def for_user(self, user):
        """The Jobcenters a user works for (all of them for the operator)."""
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user).distinct()


class Jobcenter(models.Model):
    class Kind(models.TextChoices):
        JOINT = "joint", _("joint institution (Agentur für Arbeit and municipality)")
        MUNICIPAL = (
            "municipal",
            _("municipal Jobcenter (zugelassener kommunaler Träger)"),
        )

    class State(models.TextChoices):
        BW = "BW", "Baden-Württemberg"
        BY = "BY", "Bayern"
        BE = "BE", "Berlin"
        BB = "BB", "Brandenburg"
        HB = "HB", "Bremen"
        HH = "HH", "Hamburg"
        HE = "HE", "Hessen"
        MV = "MV", "Mecklenburg-Vorpommern"
        NI = "NI", "Niedersachsen"
        NW = "NW", "Nordrhein-Westfalen"
        RP = "RP", "Rheinland-Pfalz"
        SL = "SL", "Saarland"
        SN = "SN", "Sachsen"
        ST = "ST", "Sachsen-Anhalt"
        SH = "SH", "Schleswig-Holstein"
        TH = "TH", "Thüringen"

    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example: Jobcenter Pforzheim.")
    )
    short_name = models.CharField(
        _("short name"),
        max_length=60,
        blank=True,
        help_text=_("Where space is short, for example: JC Pforzheim."),
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(
        _("kind of Jobcenter"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.JOINT,
        help_text=_(
            "Decides which enforcement body the accessibility statement names."
        ),
    )
    state = models.CharField(
        _("federal state"),
        max_length=2,
        choices=State.choices,
        blank=True,
        help_text=_("For public and school holidays."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to="jobcenters/logos/",
        blank=True,
        validators=[
            FileExtensionValidator(["svg", "png", "webp", "jpg", "jpeg"]),
            validate_logo,
        ],
        help_text=_(
            "SVG, PNG, WebP or JPEG, at most 2 MB; an SVG must not contain script. "
            "Empty: the installation's logo."
        ),
    )
    brand_color = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#0b5394",
        validators=[validate_brand_color],
        help_text=_("#rrggbb; must read against white."),
    )

    # Impressum (§ 5 DDG, § 18 MStV).
    legal_body = models.TextField(
        _("legal body"),
        blank=True,
        help_text=_(
            "Who publishes this site, for example: Jobcenter Pforzheim, a joint "
            "institution of the Agentur für Arbeit Nagold-Pforzheim and the City of "
            "Pforzheim."
        ),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    represented_by = models.CharField(
        _("represented by"),
        max_length=200,
        blank=True,
        help_text=_("For example: the managing director, Erika Mustermann."),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    supervisory_authority = models.TextField(_("supervisory authority"), blank=True)
    # Datenschutzerklärung (Art. 13 GDPR).
    data_protection_officer = models.TextField(
        _("data protection officer"),
        blank=True,
        help_text=_("Name or office, postal address and e-mail."),
    )
    # Erklärung zur Barrierefreiheit (BITV 2.0).
    accessibility_contact = models.TextField(
        _("contact for barriers"),
        blank=True,
        help_text=_("Who answers reports of barriers on this site: e-mail, phone."),
    )
    enforcement_body = models.TextField(
        _("enforcement body"),
        blank=True,
        help_text=_(
            "Empty: the body that applies to this kind of Jobcenter is named "
            "(federal arbitration board for joint institutions)."
        ),
    )
    accessibility_reviewed_on = models.DateField(
        _("accessibility statement reviewed on"),
        null=True,
        blank=True,
        help_text=_(
            "When the accessibility statement was made or last checked against this "
            "site (at least once a year)."
        ),
    )
    # BITV 2.0 § 4: the site explained in German Sign Language (self-hosted).
    dgs_video = models.FileField(
        _("video in German Sign Language"),
        upload_to="jobcenters/dgs/",
        blank=True,
        validators=[FileExtensionValidator(["mp4", "webm"]), validate_dgs_video],
        help_text=_(
            "MP4 or WebM: what this website holds, how to use it and what the "
            "accessibility statement says, in German Sign Language (§ 4 BITV 2.0)."
        ),
    )
    dgs_captions = models.FileField(
        _("captions for the sign-language video"),
        upload_to="jobcenters/dgs/",
        blank=True,
        validators=[FileExtensionValidator(["vtt"]), validate_captions],
        help_text=_('WebVTT file (.vtt, starts with "WEBVTT") with German captions.'),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = JobcenterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Jobcenter")
        verbose_name_plural = _("Jobcenters")

    def __str__(self) -> str:
        return self.name

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name

    @property
    def dgs_video_type(self) -> str:
        """The MIME type the page names for the sign-language video."""
        return "video/webm" if self.dgs_video.name.endswith(".webm") else "video/mp4"


class Host(models.Model):
    """A host name a Jobcenter's pages are served under."""

    jobcenter = models.ForeignKey(
        Jobcenter,
        on_delete=models.CASCADE,
        related_name="hosts",
        verbose_name=_("Jobcenter"),
    )
    name = models.CharField(
        _("host name"),
        max_length=253,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$|^\[[0-9a-f:]+\]$",
                _(
                    "A host name without scheme, port or path, for example quartier.jobcenter-pforzheim.de."
                ),
            )
        ],
        help_text=_(
            "Without https:// or a path, for example quartier.jobcenter-pforzheim.de. "
            "The installation's ALLOWED_HOSTS must include it."
        ),
    )
    is_primary = models.BooleanField(
        _("primary"),
        default=False,
        help_text=_("Used in printed addresses, calendars and feeds."),
    )

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("host name")
        verbose_name_plural = _("host names")
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter"],
                condition=models.Q(is_primary=True),
                name="host_one_primary_per_jobcenter",
                violation_error_message=_("A Jobcenter has one primary host name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        self.name = (self.name or "").strip().lower()


class Membership(models.Model):
    """A user works for a Jobcenter in a role (Mitarbeitende, Koordination)."""

    class Role(models.TextChoices):
        STAFF = "mitarbeitende", _("Staff (Mitarbeitende)")
        COORDINATION = "koordination", _("Coordination (Koordination)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    jobcenter = models.ForeignKey(
        Jobcenter,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("Jobcenter"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["jobcenter__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # Both roles at once are possible (the union of their permissions).
            models.UniqueConstraint(
                fields=["user", "jobcenter", "role"],
                name="membership_unique_role",
                violation_error_message=_(
                    "This user already has this role in this Jobcenter."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.jobcenter} · {self.get_role_display()}"

    @property
    def group_name(self) -> str:
        """The Django group that holds this role's permissions."""
        return ROLE_GROUPS[self.role]


# The Django groups setup_roles fills with each role's permissions.
ROLE_GROUPS = {
    Membership.Role.STAFF: "Mitarbeitende",
    Membership.Role.COORDINATION: "Koordination",
}


class JobcenterOwned(models.Model):
    """A row that belongs to one Jobcenter (set from the scope it is made in).

    The column is not on any form, so Django would skip every uniqueness rule
    that names it ("one slug per Jobcenter") when a form validates; here it is
    always part of the check. A reference to another row must stay within the
    Jobcenter, whatever a form posts or a service passes.
    """

    jobcenter = owner_field()

    class Meta:
        abstract = True

    def validate_unique(self, exclude=None):
        super().validate_unique(_without_owner(exclude))

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(_without_owner(exclude))
        except ValidationError as error:
            raise ValidationError(self._errors_on_fields(error)) from error

    def _errors_on_fields(self, error: ValidationError) -> dict:
        """ "One slug per Jobcenter" is said at the slug, not above the form."""
        errors = error.update_error_dict({})
        owned_fields = {
            str(constraint.get_violation_error_message()): constraint.fields[1]
            for constraint in self._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            and len(constraint.fields) == 2
            and constraint.fields[0] == "jobcenter"
        }
        general = []
        for item in errors.pop(NON_FIELD_ERRORS, []):
            field = owned_fields.get(str(item.message))
            if field:
                errors.setdefault(field, []).append(item)
            else:
                general.append(item)
        if general:
            errors[NON_FIELD_ERRORS] = general
        return errors

    def clean_fields(self, exclude=None):
        # Set from the scope, never typed: no query to check it exists.
        exclude = {*(exclude or ()), "jobcenter"}
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name in exclude:
                continue
            if not issubclass(field.related_model, JobcenterOwned):
                continue
            related_id = getattr(self, field.attname)
            if related_id is None or self.jobcenter_id is None:
                continue
            if field.is_cached(self):  # as a form sets it: no query
                owner = getattr(self, field.name).jobcenter_id
            else:
                owner = (
                    field.related_model._base_manager.filter(pk=related_id)
                    .values_list("jobcenter_id", flat=True)
                    .first()
                )
            if owner is not None and owner != self.jobcenter_id:
                errors.setdefault(field.name, []).append(
                    ValidationError(
                        _("This belongs to another Jobcenter."),
                        code="other_jobcenter",
                    )
                )
        if errors:
            raise ValidationError(errors)


def _without_owner(exclude):
    return None if exclude is None else set(exclude) - {"jobcenter"}

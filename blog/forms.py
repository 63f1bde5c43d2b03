from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from blog.antispam import AntiSpamForm
from blog.validators import TextDirectionControlsValidator, validate_no_text_direction_controls

NO_LINE_BREAKS = _("Line breaks are not allowed in this field.")
# A form refused by the CSRF check (config.views.csrf_failure) comes back with this above it.
SESSION_EXPIRED = _("Your session had expired, so nothing was sent. Your text is kept below: please send it again.")
# The same invisible controls refused in names, for the other typed fields (see blog.validators).
EMAIL_DIRECTION_CONTROLS = TextDirectionControlsValidator(
    message=_("This email address contains invisible text-direction characters. Please type it again.")
)


class SingleLineMixin:
    """Header fields (names, addresses) must be one line: refuse CR/LF before anything strips them."""

    def to_python(self, value):
        if isinstance(value, str) and ("\r" in value or "\n" in value):
            raise forms.ValidationError(NO_LINE_BREAKS, code="line_break")
        return super().to_python(value)


class SingleLineCharField(SingleLineMixin, forms.CharField):
    pass


class SingleLineEmailField(SingleLineMixin, forms.EmailField):
    pass


class AccessibleErrorsMixin:
    """Ties each field's error message (``id_<field>_error``) to the field for screen readers.

    Hidden inputs are skipped: they show no message and may not carry aria-* attributes.
    """

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                widget = self.fields[name].widget
                described = [widget.attrs.get("aria-describedby", ""), f"{self[name].auto_id}_error"]
                widget.attrs["aria-describedby"] = " ".join(filter(None, described))


class ShareByEmailForm(AccessibleErrorsMixin, AntiSpamForm):
    """Send a post to one friend. The site sends it; the sender's address is only the Reply-To."""

    # A quick send comes back with a message and the text kept (the view): a person who pastes fast is told.
    QUICK_SEND_IS_SPAM = False

    name = SingleLineCharField(
        label=_("Your name"),
        max_length=100,
        validators=[validate_no_text_direction_controls],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please tell your friend who you are.")},
    )
    email = SingleLineEmailField(
        label=_("Your email"),
        max_length=254,
        validators=[EMAIL_DIRECTION_CONTROLS],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Used as the reply address only; never shown or stored."),
        error_messages={
            "required": _("Please fill in your email address."),
            "invalid": _("Please enter a valid email address."),
        },
    )
    to = SingleLineEmailField(
        label=_("Your friend’s email"),
        max_length=254,
        validators=[EMAIL_DIRECTION_CONTROLS],
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Please fill in your friend’s email address."),
            "invalid": _("Please enter a valid email address for your friend."),
        },
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=1000,
        required=False,
        validators=[
            # The site sends this text to a stranger: it must read as it was written.
            TextDirectionControlsValidator(
                message=_(
                    "Your message contains invisible text-direction characters, which can make text read "
                    "backwards. Please type the message again (or the part you pasted)."
                )
            )
        ],
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        error_messages={"max_length": _("Please keep the message under %(limit_value)d characters.")},
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("name"),
            Field("email"),
            Field("to"),
            Field("message"),
            Field("homepage", wrapper_class="comment-form-hp"),
            "ts",
        )

    def antispam_post_id(self, cleaned):
        return self.post.pk

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

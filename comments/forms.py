from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from blog.antispam import AntiSpamForm
from blog.forms import EMAIL_DIRECTION_CONTROLS, AccessibleErrorsMixin
from blog.validators import TextDirectionControlsValidator, validate_no_text_direction_controls
from comments.sanitize import sanitize_plain

TAMPERED = _("The form was changed in a way we cannot use. Please post again.")


class CommentForm(AccessibleErrorsMixin, AntiSpamForm):
    """The "Leave a Reply" form: text, who you are, and the anti-spam fields.

    The form only checks the input; the rules about the post, the parent,
    duplicates, flooding and moderation live in comments.services.
    """

    # A person may paste a prepared text within seconds: held for a moderator, never dropped.
    QUICK_SEND_IS_SPAM = False

    body = forms.CharField(
        label=_("Comment"),
        max_length=65525,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45, "maxlength": 65525}),
        error_messages={"required": _("Please type your comment text.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=245,
        validators=[validate_no_text_direction_controls],
        widget=forms.TextInput(attrs={"autocomplete": "name", "size": 30}),
        error_messages={
            "required": _("Please fill in your name."),
            "max_length": _("Your name is too long (at most %(limit_value)d characters)."),
        },
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=100,
        validators=[EMAIL_DIRECTION_CONTROLS],
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30, "aria-describedby": "email-notes"}),
        error_messages={
            "required": _("Please fill in your email address."),
            "invalid": _("Please enter a valid email address."),
            "max_length": _("Your email address is too long (at most %(limit_value)d characters)."),
        },
    )
    url = forms.URLField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        # The link behind the name must lead where it reads.
        validators=[
            TextDirectionControlsValidator(
                message=_("This web address contains invisible text-direction characters. Please type it again.")
            )
        ],
        widget=forms.URLInput(attrs={"autocomplete": "url", "size": 30}),
        error_messages={
            "invalid": _("Please enter a valid web address, such as https://example.com."),
            "max_length": _("Your URL is too long (at most %(limit_value)d characters)."),
        },
    )
    remember = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."),
        required=False,
    )
    notify = forms.BooleanField(label=_("Notify me of follow-up comments by email."), required=False)
    post = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    parent = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**63 - 1, initial=0)

    def __init__(self, *args, user=None, discussion=None, **kwargs):
        """``discussion`` (DiscussionSettings) decides whether name and email are required and
        whether the "Save my name…" box is offered; without it, WordPress's defaults (both on)."""
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            # Logged-in people comment under their account.
            for name in ("name", "email", "url", "remember"):
                del self.fields[name]
        elif discussion is not None:
            self.fields["name"].required = discussion.require_name_email
            self.fields["email"].required = discussion.require_name_email
            if not discussion.show_comments_cookies_opt_in:
                del self.fields["remember"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *[Field(name) for name in ("body", "name", "email", "url", "remember", "notify") if name in self.fields],
            Field("homepage", wrapper_class="comment-form-hp"),
            "post",
            "parent",
            "ts",
        )

    def top_errors(self):
        """Errors for the block above the form: the form's own, and one message for bad hidden fields.

        The hidden fields (post, parent, time stamp) are never typed: an error there
        means the page was changed, so it is said plainly instead of beside nothing.
        """
        errors = list(self.non_field_errors())
        if any(field.errors for field in self.hidden_fields()):
            errors.append(str(TAMPERED))
        return errors

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Please type your comment text."))
        return body

    def antispam_post_id(self, cleaned):
        return cleaned.get("post")

    def clean_name(self):
        return sanitize_plain(self.cleaned_data["name"])


class ReplyForm(forms.Form):
    """The admin's Reply screen: only the text (the moderator replies under their account)."""

    # Kept as typed: comment_reply sanitises it.
    body = forms.CharField(
        max_length=65525,
        strip=False,
        error_messages={"required": _("Please type your reply."), "max_length": _("Your reply is too long.")},
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Please type your reply."))
        return body

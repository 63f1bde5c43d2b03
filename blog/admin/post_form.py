"""The post form's fields that are not model fields: tags typed as text, as in WordPress."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blog import tagging
from blog.models import Post


class PostAdminForm(forms.ModelForm):
    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=2000,
        help_text=_("Separate tags with commas. New tags are created when the post is saved."),
        widget=forms.TextInput(attrs={"class": "vLargeTextField", "autocomplete": "off"}),
    )

    class Meta:
        model = Post
        # PostAdmin's fieldsets choose the fields shown; tags are typed in tag_names instead.
        fields = ["title", "slug", "body", "excerpt", "categories"]
        # A checklist, as WordPress's Categories box: every category in view, one click each.
        widgets = {"categories": forms.CheckboxSelectMultiple}

    # Set by PostAdmin.get_form: whether this user may create tags that do not exist yet.
    may_create_tags = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "tag_names" not in self.initial:
            self.initial["tag_names"] = ", ".join(tag.name for tag in self.instance.tags.all())

    def clean_tag_names(self):
        names = tagging.split_tag_names(self.cleaned_data["tag_names"])
        try:
            tagging.check_tag_names(names, may_create=self.may_create_tags)
        except tagging.TagsRefused as refused:
            raise forms.ValidationError(refused.message) from refused
        return names

    def save_tags(self, post):
        """Give the saved post the typed tags, creating new ones (after save_m2m)."""
        post.tags.set(tagging.tags_from_names(self.cleaned_data["tag_names"], may_create=self.may_create_tags))

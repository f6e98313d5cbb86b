"""Profile page: view and edit the signed-in customer's own profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.accounts.actions import update_profile
from portal.accounts.forms import ProfileForm


@login_required
def profile(request):
    user = request.user
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                update_profile(
                    user,
                    display_name=form.cleaned_data["display_name"],
                    preferred_language=form.cleaned_data["preferred_language"],
                    avatar_upload=form.cleaned_data["avatar"],
                    remove_avatar=form.cleaned_data["remove_avatar"],
                )
            except ValidationError as exc:
                form.add_error("avatar", exc)
            else:
                messages.success(request, _("Your profile has been saved."))
                if user.display_name != form.cleaned_data["display_name"]:
                    messages.warning(
                        request, _("For your safety we hid the card, ID or phone numbers in your display name.")
                    )
                return redirect("profile")
        status = 400  # as the forum answers a refused picture: the form again, with the message, and 400
    else:
        form = ProfileForm(initial={"display_name": user.display_name, "preferred_language": user.preferred_language})
    return render(request, "accounts/profile.html", {"form": form}, status=status)

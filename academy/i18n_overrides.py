"""Django's and Wagtail's own messages that participants and trainers read, listed for the project catalogue.

Why this module exists: Django looks a message up in the project's catalogue (``LOCALE_PATHS``, i.e.
``locale/``) before the catalogues of installed apps, so a translation there fills in what Django and
Wagtail lack in Kyrgyz (Wagtail ships no Kyrgyz at all; the admin said "Choose тренинг") and replaces what
Django's own Kyrgyz says poorly ("Туура эдарек тер.", months written "19 Декабрь"). But
``makemessages --no-obsolete`` keeps only messages it finds in the project's source, so each such message
is listed here, word for word as Django or Wagtail writes it (curly apostrophes, placeholders and the
``msgctxt`` included), or the override silently stops working. Nothing here runs at request time.

The four functions are named after gettext keywords only so that ``xgettext`` extracts their arguments;
they record the message. tests/foundation/test_framework_messages.py checks that every message listed
exists in Django's or Wagtail's own catalogues and reads in Kyrgyz.
"""


def gettext_noop(message):
    return (None, message, None)


def pgettext(context, message):
    return (context, message, None)


def ngettext(singular, plural):
    return (None, singular, plural)


def npgettext(context, singular, plural):
    return (context, singular, plural)


# Month and weekday names: Kyrgyz writes months in dates in their possessive form ("19-декабры",
# academy/formats/ky) and names of months and days in lower case.
DATES = [
    pgettext("alt. month", "January"),
    pgettext("alt. month", "February"),
    pgettext("alt. month", "March"),
    pgettext("alt. month", "April"),
    pgettext("alt. month", "May"),
    pgettext("alt. month", "June"),
    pgettext("alt. month", "July"),
    pgettext("alt. month", "August"),
    pgettext("alt. month", "September"),
    pgettext("alt. month", "October"),
    pgettext("alt. month", "November"),
    pgettext("alt. month", "December"),
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
]

# Form errors and validators (django.forms, django.core.validators, django.db.models).
FORMS = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    ngettext(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    ),
    ngettext(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
]

# Passwords and sign-in (django.contrib.auth): the rules shown on sign-up, their errors, the auth forms.
AUTH = [
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    gettext_noop("This account is inactive."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Password"),
    gettext_noop("Password confirmation"),
    gettext_noop("Old password"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Email address"),
    gettext_noop("Email"),
]

# The Wagtail admin as a trainer sees it: menu, account, choosers, listings, uploads, messages.
WAGTAIL_ADMIN = [
    gettext_noop("Dashboard"),
    gettext_noop("Images"),
    gettext_noop("Documents"),
    gettext_noop("Snippets"),
    gettext_noop("Settings"),
    gettext_noop("Help"),
    gettext_noop("Editor Guide"),
    gettext_noop("Shortcuts"),
    gettext_noop("Keyboard shortcuts"),
    gettext_noop("Show keyboard shortcuts"),
    gettext_noop("All keyboard shortcuts"),
    gettext_noop("Profile"),
    gettext_noop("Name and Email"),
    gettext_noop("First Name"),
    gettext_noop("Last Name"),
    gettext_noop("Profile picture"),
    gettext_noop("Upload a profile picture:"),
    gettext_noop("Edit account avatar"),
    gettext_noop("Preferred language"),
    gettext_noop("Current time zone"),
    gettext_noop("Use server time zone"),
    gettext_noop("Theme preferences"),
    gettext_noop("Light"),
    gettext_noop("Dark"),
    gettext_noop("System default"),
    gettext_noop("Sign in"),
    gettext_noop("Sign in to Wagtail"),
    gettext_noop("Forgotten password?"),
    gettext_noop("Remember me"),
    gettext_noop("Enter password"),
    gettext_noop("Reset your password"),
    gettext_noop("Reset password"),
    gettext_noop("Enter your email address to reset your password"),
    gettext_noop("Check your email"),
    gettext_noop("Choose"),
    gettext_noop("Choose a page"),
    gettext_noop("Choose another page"),
    gettext_noop("Choose a document"),
    gettext_noop("Choose another document"),
    gettext_noop("Choose an image"),
    gettext_noop("Choose another image"),
    gettext_noop("Choose an item"),
    gettext_noop("Choose another item"),
    gettext_noop("Choose %(object)s"),
    gettext_noop("Choose another %(object)s"),
    gettext_noop("Clear choice"),
    gettext_noop("Add %(model_name)s"),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("Create a new %(model_name)s"),
    gettext_noop("Edit this %(object)s"),
    gettext_noop("There are no %(model_name)s to display."),
    gettext_noop("No %(model_name)s match your query."),
    gettext_noop("Are you sure you want to delete this %(model_name)s?"),
    gettext_noop("%(model_name)s '%(object)s' created."),
    gettext_noop("%(model_name)s '%(object)s' updated."),
    gettext_noop("%(model_name)s '%(object)s' deleted."),
    gettext_noop("More options for '%(title)s'"),
    gettext_noop("Page %(page_num)s of %(total_pages)s"),
    gettext_noop("Edit"),
    gettext_noop("Upload"),
    gettext_noop("Add an image"),
    gettext_noop("Add images"),
    gettext_noop("Add a document"),
    gettext_noop("Or choose from your computer"),
    gettext_noop("Drag and drop images into this area to upload immediately."),
    gettext_noop("Sorry, upload failed."),
    gettext_noop("Image updated."),
    gettext_noop("You haven't uploaded any documents."),
    gettext_noop("Title"),
    gettext_noop("Tags"),
    gettext_noop("Tag"),
    gettext_noop("Collection"),
    gettext_noop("Add to collection"),
    gettext_noop("File"),
    gettext_noop("Live"),
    gettext_noop("live"),
    gettext_noop("Updated"),
    gettext_noop("Type"),
    gettext_noop("Actions"),
    gettext_noop("More"),
    gettext_noop("Back"),
    gettext_noop("Close"),
    gettext_noop("Close dialog"),
    gettext_noop("Search…"),
    gettext_noop("Search term"),
    gettext_noop("Filter by"),
    gettext_noop("Show filters"),
    gettext_noop("Sort by"),
    gettext_noop("Newest"),
    gettext_noop("Oldest"),
    gettext_noop("Select all"),
    gettext_noop("Bulk actions"),
    gettext_noop("Delete selected snippets"),
    gettext_noop("Delete selected images"),
    gettext_noop("Usage"),
    gettext_noop("Usage count"),
    gettext_noop("Pagination"),
    gettext_noop("Skip to main content"),
    gettext_noop("Toggle sidebar"),
    gettext_noop("Sidebar"),
    gettext_noop("Breadcrumb"),
    gettext_noop("Toggle breadcrumbs"),
    gettext_noop("Save your changes before leaving"),
    gettext_noop("Go to the first error"),
    gettext_noop("Sorry, you do not have permission to access this area."),
    gettext_noop("Server Error"),
    gettext_noop("Site summary"),
    gettext_noop("Your most recent edits"),
    gettext_noop("Visit the live page"),
    gettext_noop("Move up"),
    gettext_noop("Move down"),
    gettext_noop("Drag"),
    gettext_noop("Bold"),
    gettext_noop("Italic"),
    gettext_noop("Insert or edit a link"),
    gettext_noop("Undo"),
    gettext_noop("Redo"),
]

MESSAGES = DATES + FORMS + AUTH + WAGTAIL_ADMIN

from django.conf import settings
from django.db import models


class PersonRollup(models.Model):
    """One row per person with at least one participant registration: their sums over all of them.

    Written only by database triggers on registrations and sessions (``reports/rollups/people.py``, created
    by a migration), so every write path keeps it current: services, ``QuerySet.update()``,
    ``bulk_create``, the admin, imports. A participant is what ``reports.services.base`` says, with
    no filter: a confirmed registration of a session that is neither a draft nor cancelled. The
    profile (gender, age, place, ...) is not copied here: reports join it, so profile edits need
    nothing.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the triggers delete the row when the person's last registration goes
        primary_key=True,
        related_name="+",
    )
    registrations = models.PositiveIntegerField()
    completed = models.PositiveIntegerField()
    first_start = models.DateTimeField()

    class Meta:
        db_table = "reports_personrollup"

    def __str__(self):
        return f"{self.user_id}: {self.registrations} ({self.completed} completed)"


class SessionRollup(models.Model):
    """One row per session with participants: the sums of its participant registrations and answers.

    Written only by database triggers (``reports/rollups/sessions.py``). ``new_in_course`` and
    ``new_in_month`` count the participants for whom this is their first reportable session of the
    course (any language version), or of the month the session starts in: summed over sessions they
    count people once. The score counts and ``written`` make the feedback report's distribution and
    its number of comments. Whether the session is held, its course's hours and the filters are read from
    the session when a report runs, so they need no upkeep here.
    """

    session = models.OneToOneField(
        "courses.Session", on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="+"
    )
    participants = models.PositiveIntegerField()
    completed = models.PositiveIntegerField()
    attendance_recorded = models.PositiveIntegerField()
    attendance_sum = models.PositiveIntegerField()
    answers = models.PositiveIntegerField()
    content_total = models.PositiveIntegerField()
    trainer_total = models.PositiveIntegerField()
    organisation_total = models.PositiveIntegerField()
    new_in_course = models.PositiveIntegerField()
    new_in_month = models.PositiveIntegerField()
    # How many answers gave each score to each standard question (the feedback report's distribution).
    content_score_1 = models.PositiveIntegerField(default=0)
    content_score_2 = models.PositiveIntegerField(default=0)
    content_score_3 = models.PositiveIntegerField(default=0)
    content_score_4 = models.PositiveIntegerField(default=0)
    content_score_5 = models.PositiveIntegerField(default=0)
    trainer_score_1 = models.PositiveIntegerField(default=0)
    trainer_score_2 = models.PositiveIntegerField(default=0)
    trainer_score_3 = models.PositiveIntegerField(default=0)
    trainer_score_4 = models.PositiveIntegerField(default=0)
    trainer_score_5 = models.PositiveIntegerField(default=0)
    organisation_score_1 = models.PositiveIntegerField(default=0)
    organisation_score_2 = models.PositiveIntegerField(default=0)
    organisation_score_3 = models.PositiveIntegerField(default=0)
    organisation_score_4 = models.PositiveIntegerField(default=0)
    organisation_score_5 = models.PositiveIntegerField(default=0)
    #: Answers with something written ("most useful" or comments): the comments the report lists.
    written = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "reports_sessionrollup"

    def __str__(self):
        return f"{self.session_id}: {self.participants}"


class SurveyRollup(models.Model):
    """Per session, the tally of the answers its participants gave to a question of the academy's own.

    Written only by database triggers (``reports/rollups/surveys.py``). The row with ``option`` = -1 is
    the question's: ``answers`` answers, ``total`` the sum of their ratings, ``written`` how many wrote a
    text; every other row counts the answers that chose that option (or gave that score). Nothing here
    is a foreign key: the rows follow the answers, not the other way round.
    """

    session = models.ForeignKey(
        "courses.Session", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )  # the unique constraint's index leads with the session
    question = models.ForeignKey(
        "reports.SurveyQuestion", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    option = models.SmallIntegerField()
    answers = models.PositiveIntegerField()
    total = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "reports_surveyrollup"
        constraints = [
            models.UniqueConstraint(fields=["session", "question", "option"], name="surveyrollup_one_row_per_option")
        ]

    def __str__(self):
        return f"{self.session_id}/{self.question_id}/{self.option}: {self.answers}"


class PeopleGroupRollup(models.Model):
    """The people of the per-person rollup counted per kind of person (gender, disability, youth, organisation
    kind, position: the profile fields the participants report groups by), as changes to add up.

    Written only by database triggers (``reports/rollups/groups.py``) on ``PersonRollup`` and on the profiles:
    each write that moves a person from one group to another, or changes their counts, *appends* rows (a
    group and what it gains or loses, negative for a loss) — never updates a shared row, so concurrent writers
    never wait for each other's counters (nor deadlock on them). A group's figures are the sums of its rows;
    ``groups.fold()`` (a beat task) replaces the rows by one per group. ``youth``: 1 under the age limit in the
    local year of their first session, 0 over it, -1 when the year of birth is not given.
    """

    gender = models.CharField(max_length=10)
    has_disability = models.BooleanField()
    youth = models.SmallIntegerField()
    organization_kind = models.CharField(max_length=30)
    position = models.CharField(max_length=200)
    people = models.IntegerField()
    registrations = models.IntegerField()
    completed = models.IntegerField()

    class Meta:
        db_table = "reports_peoplegrouprollup"

    def __str__(self):
        return f"{self.gender}/{self.youth}/{self.organization_kind}/{self.position}: {self.people}"


class TrainerPersonRollup(models.Model):
    """One row per person and trainer they took part with: in how many of the trainer's sessions.

    Recomputed with the person's ``PersonRollup`` row, by the same triggers (``reports/rollups/people.py``),
    and when a session's trainers change. Its rows are what ``TrainerRollup`` counts.
    """

    pk = models.CompositePrimaryKey("user_id", "trainer_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )  # the primary key's index leads with the person
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    sessions = models.PositiveIntegerField()

    class Meta:
        db_table = "reports_trainerpersonrollup"

    def __str__(self):
        return f"{self.trainer_id}/{self.user_id}: {self.sessions}"


class TrainerRollup(models.Model):
    """Per trainer, the people who took part in at least one of their sessions, each counted once, as changes to
    add up.

    Written only by the triggers on ``TrainerPersonRollup`` (``reports/rollups/trainers.py``), which append +1
    when a person's first row with the trainer appears and -1 when their last goes (appended, as for
    ``PeopleGroupRollup``, so that writers never wait on a shared row). A trainer's people are the sum of their
    rows; ``trainers.fold()`` replaces them by one.
    """

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    people = models.IntegerField()

    class Meta:
        db_table = "reports_trainerrollup"

    def __str__(self):
        return f"{self.trainer_id}: {self.people}"

"""The outcome of a check or an import, counted for the screen and written as CSV for the command line."""

import io
from dataclasses import dataclass

from academy import spreadsheets


@dataclass
class ImportReport:
    rows: list
    dry_run: bool

    def count(self, **conditions):
        return sum(1 for row in self.rows if all(getattr(row, key) == value for key, value in conditions.items()))

    @property
    def errors(self):
        return sum(1 for row in self.rows if row.errors)

    @property
    def created(self):
        return self.count(action="create")

    @property
    def phone_only_rows(self):
        """Rows of new accounts with a phone and no e-mail: they sign in first with a printed slip or a message."""
        return [row for row in self.rows if row.action == "create" and not row.values.get("email")]

    @property
    def created_phone_only(self):
        return len(self.phone_only_rows)

    @property
    def phone_only_user_ids(self):
        """After the import, the accounts made for those rows (for their first sign-in slips)."""
        return [row.user.pk for row in self.phone_only_rows if row.user is not None]

    @property
    def matched(self):
        return self.count(action="match")

    @property
    def already(self):
        return self.count(action="already")

    @property
    def conflicts(self):
        return self.count(action="conflict")

    @property
    def confirmed(self):
        return sum(1 for row in self.rows if row.action in ("create", "match") and row.status == "confirmed")

    @property
    def waitlisted(self):
        return sum(1 for row in self.rows if row.action in ("create", "match") and row.status == "waitlisted")

    def summary(self):
        return {
            "rows": len(self.rows),
            "created": self.created,
            "created_phone_only": self.created_phone_only,
            "matched": self.matched,
            "already_registered": self.already,
            "confirmed": self.confirmed,
            "waitlisted": self.waitlisted,
            "conflicts": self.conflicts,
            "errors": self.errors,
        }


def write_csv_report(report):
    """The checked rows as CSV text (row, action, status, errors, warnings), for the command line."""
    output = io.StringIO()
    writer = spreadsheets.csv_writer(output)
    for row in report.rows:
        writer.writerow([row.number, row.action, row.status, " | ".join(row.errors), " | ".join(row.warnings)])
    return output.getvalue()

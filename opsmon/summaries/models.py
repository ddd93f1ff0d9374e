"""Summary rows of the dashboards: counts and sums of the sales records by figure, day, department and owner.

A row is the sum of the facts (facts.py) of every record with its key; the services keep the rows exact in the
same transaction as the change (maintain.py), `opsmon summaries --verify` recomputes them from the records.
`Monthly` holds the same sums without the owner and by month, so a department's year is a few thousand rows, and
once more for all departments together (department COMPANY), so the company's year is a few hundred; a rep's
own figures come from `Daily` by owner. Keys hold 0 / "" instead of NULL so that an
upsert's ON CONFLICT finds them.
"""

from django.db import models

MEASURES = ("n1", "n2", "n3", "a1", "a2")  # counts, and amounts in cents (a2 of the pipeline: cents × per cent)
COMPANY = -1  # Monthly's department of the rows that sum every department


class Sums(models.Model):
    figure = models.CharField(max_length=16)
    department_id = models.IntegerField(default=0)
    currency = models.CharField(max_length=3)
    k1 = models.CharField(max_length=200, default="")
    k2 = models.CharField(max_length=64, default="")
    k3 = models.CharField(max_length=64, default="")
    n1 = models.BigIntegerField(default=0)
    n2 = models.BigIntegerField(default=0)
    n3 = models.BigIntegerField(default=0)
    a1 = models.BigIntegerField(default=0)
    a2 = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.figure} {self.department_id} {self.currency} {self.k1} {self.k2} {self.k3}"


class Daily(Sums):
    day = models.DateField()
    owner_id = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["figure", "day", "department_id", "owner_id", "currency", "k1", "k2", "k3"],
            name="summaries_daily_key")]
        indexes = [models.Index(fields=["figure", "owner_id", "day"], name="summaries_daily_owner"),
                   models.Index(fields=["figure", "department_id", "day"], name="summaries_daily_dept"),
                   # a viewer who sees every department reads by period alone
                   models.Index(fields=["figure", "day"], name="summaries_daily_period")]


class Monthly(Sums):
    month = models.DateField()  # the first day of the month

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["figure", "month", "department_id", "currency", "k1", "k2", "k3"], name="summaries_monthly_key")]
        indexes = [models.Index(fields=["figure", "department_id", "month"], name="summaries_monthly_dept"),
                   models.Index(fields=["figure", "month"], name="summaries_monthly_period")]

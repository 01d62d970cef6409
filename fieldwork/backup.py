"""Export one unit's subtree, and import such a file into another installation. Whole-database backups
are pg_dump's job (README); this moves or archives one part of the organisation.

The file (format 3): UTF-8 text, one JSON object per line.
- Line 1, the header: {"format": "fieldwork-unit-export", "version": 3, "unit": <code>, "exported_at": <ISO time>}.
- Then one record per line: {"model": "<app>.<model>", "id": <int>, "fields": {<name>: <value>}}, in this
  order: categories, principles, people (auth.user), units (parents first), memberships, visits, the
  confidential notes of heart-to-heart talks, then each batch of concerns followed by their events,
  actions, callbacks (feedback) and extension requests, then the photos (fieldwork.photo). A record comes
  after every record it refers to.
- A photo record carries its files themselves: "file_content" and "thumbnail_content" hold the JPEG bytes
  (already stripped of EXIF when they were uploaded) in base64; import stores them in the photo storage
  under new names. Withdrawn photos travel too, with their reason (nothing is dropped).
- "id" is the record's id in the exporting database: it only ties records of the file together (a
  visit's "unit" is the id of a unit record above it); the importing database gives new ids.
- Every column of the row except its id, by field name. A reference to a person is the username; to a
  category or a principle its code; to a unit, visit or concern the id of its record in the file; a
  many-to-many field a list of those. Times are ISO 8601 with their offset, to the microsecond; dates ISO.
- People carry username, names, email, password hash, active flag, date joined and last login; never
  staff or superuser rights, groups or permissions (those are the receiving installation's to give).
- Not carried: unit paths and depths (recomputed), the edit history (django-simple-history), pending
  due-date shifts, reminder logs, public-channel attempts, rollups (recounted on import).
- Confidential notes travel only as their ciphertext (a Fernet token), with their author and readers; the
  receiving installation reads them only if FIELDWORK_NOTE_KEYS there holds the key they were written
  under (services.talks; reencrypt_notes once it does).
Format 2 is format 3 without photos (and without confidential notes), and is still read. Format 1 (until
2026-12) was Django's JSON fixture, one array read whole; it is no longer read.

Export runs in chunks, in one read-only snapshot: memory stays flat and the first lines are written
long before the last rows are read. Import streams the file and adds the records beside whatever
the installation holds; it refuses a file whose units or concern references exist there already.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.utils import timezone

from . import rollups
from .models import (
    Category,
    Concern,
    ConcernEvent,
    ConfidentialNote,
    ExtensionRequest,
    Feedback,
    FollowUpAction,
    Membership,
    Photo,
    Principle,
    ReferenceCounter,
    Unit,
    Visit,
)
from .services import people
from .services.photos import photo_storage

FORMAT = "fieldwork-unit-export"
VERSION = 3
READS = (2, 3)  # format 2: the same without photos
CHUNK_SIZE = 2_000
USER_FIELDS = ("username", "first_name", "last_name", "email", "password", "is_active", "date_joined", "last_login")
NOT_CARRIED = {"id", "path", "depth"}  # a unit's path and depth are recomputed where it lands
CONCERN_PARTS = (ConcernEvent, FollowUpAction, Feedback, ExtensionRequest)


class ImportRefused(ValueError):
    """The file cannot be imported here; nothing was changed."""


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def carried_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if field.name not in NOT_CARRIED]


# ---------------------------------------------------------------------------------------------- export


def subtree_export(*, unit: Unit, stream: IO[str], chunk_size: int = CHUNK_SIZE) -> dict[str, int]:
    """Write `unit` and everything below it to `stream`; returns the records written per model."""
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:  # every chunk reads the same moment, as pg_dump does
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return _Exporter(unit, stream, chunk_size).run()


class _Exporter:
    def __init__(self, root: Unit, stream: IO[str], chunk_size: int):
        self.root, self.stream, self.chunk_size = root, stream, chunk_size
        self.counts: dict[str, int] = {}
        self.usernames: dict[int, str] = {}
        self.category_codes = dict(Category.objects.values_list("id", "code"))
        self.principle_codes = dict(Principle.objects.values_list("id", "code"))

    def run(self) -> dict[str, int]:
        self.write_line(
            {"format": FORMAT, "version": VERSION, "unit": self.root.code, "exported_at": _plain(timezone.now())}
        )
        self.stream.flush()
        units = Unit.objects.filter(path__startswith=self.root.path)
        unit_ids = list(units.order_by("depth", "id").values_list("id", flat=True))
        for model in (Category, Principle):
            self.write_model_rows(model, model.objects.order_by("id"))
        self.export_people(units.values("id"))
        for batch in chunks(unit_ids, self.chunk_size):
            self.write_model_rows(Unit, Unit.objects.filter(id__in=batch).order_by("depth", "id"))
        for batch in chunks(unit_ids, self.chunk_size):
            self.write_model_rows(Membership, Membership.objects.filter(unit_id__in=batch).order_by("id"))
        for batch in chunks(unit_ids, self.chunk_size):
            self.write_model_rows(Visit, Visit.objects.filter(unit_id__in=batch).order_by("id"))
        for batch in chunks(unit_ids, self.chunk_size):  # ciphertext as stored: never decrypted here
            self.write_model_rows(
                ConfidentialNote, ConfidentialNote.objects.filter(visit__unit_id__in=batch).order_by("id")
            )
        for batch in chunks(unit_ids, self.chunk_size):
            self.write_model_rows(Concern, Concern.objects.filter(unit_id__in=batch).order_by("id"), with_parts=True)
        for batch in chunks(unit_ids, self.chunk_size):
            self.write_model_rows(Photo, Photo.objects.filter(unit_id__in=batch).order_by("id"))
        self.stream.flush()
        return self.counts

    def export_people(self, unit_ids: models.QuerySet) -> None:
        """Everyone a record of the subtree names: one small query per relation, gathered in a set
        (people are a few thousand at most, rows a great many)."""
        people: set[int] = set()
        sources = [
            (Unit.objects.filter(id__in=unit_ids), ["receiver"]),
            (Membership.objects.filter(unit_id__in=unit_ids), ["user"]),
            (Visit.objects.filter(unit_id__in=unit_ids), ["author"]),
            (Visit.cadres.through.objects.filter(visit__unit_id__in=unit_ids), ["user"]),
            (ConfidentialNote.objects.filter(visit__unit_id__in=unit_ids), ["author"]),
            (ConfidentialNote.readers.through.objects.filter(confidentialnote__visit__unit_id__in=unit_ids), ["user"]),
            (Concern.objects.filter(unit_id__in=unit_ids), ["owner", "created_by"]),
            (ConcernEvent.objects.filter(concern__unit_id__in=unit_ids), ["actor"]),
            (FollowUpAction.objects.filter(concern__unit_id__in=unit_ids), ["owner", "created_by"]),
            (Feedback.objects.filter(concern__unit_id__in=unit_ids), ["recorded_by"]),
            (ExtensionRequest.objects.filter(concern__unit_id__in=unit_ids), ["requested_by", "decided_by"]),
            (Photo.objects.filter(unit_id__in=unit_ids), ["added_by", "withdrawn_by"]),
        ]
        for queryset, fields in sources:
            for field in fields:
                column = f"{field}_id"
                people.update(
                    queryset.exclude(**{f"{column}__isnull": True}).order_by().values_list(column, flat=True).distinct()
                )
        User = get_user_model()
        for batch in chunks(sorted(people), self.chunk_size):
            rows = User.objects.filter(id__in=batch).order_by("id").values("id", *USER_FIELDS)
            self.usernames.update((row["id"], row["username"]) for row in rows)
            self.write_rows(User, rows, USER_FIELDS)

    def write_rows(self, model, rows: Iterable[dict], names: Iterable[str]) -> None:
        label = model._meta.label_lower
        for row in rows:
            self.write_line({"model": label, "id": row["id"], "fields": {name: _plain(row[name]) for name in names}})
            self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + 1

    def write_model_rows(
        self, model, queryset: models.QuerySet, *, with_parts: bool = False, stream: bool = True
    ) -> None:
        """Rows of `queryset`, a chunk at a time, with their many-to-many lists and (for concerns)
        the records hanging from each chunk of them. `stream`: read through a server-side cursor on
        PostgreSQL; the records of one chunk of concerns are few enough to be read at once."""
        fields = carried_fields(model)
        columns = [(field.name, field.attname, self.converter(field)) for field in fields]
        rows = queryset.values("id", *(field.attname for field in fields))
        if stream:
            rows = rows.iterator(chunk_size=self.chunk_size)
        for batch in chunks(rows, self.chunk_size):
            ids = [row["id"] for row in batch]
            many = {field.name: self.many_to_many(model, field, ids) for field in model._meta.many_to_many}
            label = model._meta.label_lower
            for row in batch:
                values = {
                    name: _plain(row[attname]) if convert is None or row[attname] is None else convert[row[attname]]
                    for name, attname, convert in columns
                }
                for name, lists in many.items():
                    values[name] = sorted(lists.get(row["id"], []))
                if model is Photo:
                    values["file_content"] = _file_base64(values["file"])
                    values["thumbnail_content"] = _file_base64(values["thumbnail"])
                self.write_line({"model": label, "id": row["id"], "fields": values})
            self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(batch)
            if with_parts:
                for part in CONCERN_PARTS:
                    parts = part.objects.filter(concern_id__in=ids).order_by("concern_id", "id")
                    self.write_model_rows(part, parts, stream=False)

    def many_to_many(self, model, field: models.ManyToManyField, ids: list[int]) -> dict[int, list]:
        through = field.remote_field.through
        own = field.m2m_column_name()
        other = field.m2m_reverse_name()
        convert = self.converter(field)
        lists: dict[int, list] = {}
        for owner_id, other_id in through.objects.filter(**{f"{own}__in": ids}).values_list(own, other):
            lists.setdefault(owner_id, []).append(convert[other_id])
        return lists

    def converter(self, field: models.Field) -> dict | None:
        """How a column's value reads in the file: people by username, labels by code (these maps);
        None for everything else, a unit, visit or concern being the id of its record in this file."""
        target = field.related_model if field.is_relation else None
        if target is get_user_model():
            return self.usernames
        if target is Category:
            return self.category_codes
        if target is Principle:
            return self.principle_codes
        return None

    def write_line(self, record: dict) -> None:
        self.stream.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def _file_base64(name: str) -> str:
    with photo_storage().open(name, "rb") as handle:
        return base64.b64encode(handle.read()).decode("ascii")


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# ---------------------------------------------------------------------------------------------- import


@transaction.atomic
def subtree_import(*, stream: IO[str], chunk_size: int = CHUNK_SIZE) -> dict[str, int]:
    """Add the records of an export to this installation, beside what it holds; returns counts per model.

    Refused (ImportRefused, nothing changed) when the file is not a format-2 export, when one of its
    units' codes or concerns' references is already used here. People are matched by username: one
    who exists here already is kept as they are here.
    """
    header = _header(stream.readline())
    importer = _Importer()
    with rollups.suspended():  # rows come in raw; the subtree's rollups are recounted once at the end
        records = (json.loads(line) for line in stream if line.strip())
        batch: list[dict] = []
        for record in records:
            if batch and (record["model"] != batch[0]["model"] or len(batch) >= chunk_size):
                importer.load(batch)
                batch = []
            batch.append(record)
        if batch:
            importer.load(batch)
    if importer.root is None:
        raise ImportRefused(f"The file holds no unit (its header names {header.get('unit')!r}).")
    importer.finish()
    return importer.counts


def _header(line: str) -> dict:
    if line.lstrip().startswith("["):
        raise ImportRefused(
            "This file is in the first export format (one JSON list); this version reads formats 2 and 3. "
            "Export the unit again with this version."
        )
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ImportRefused("This is not a file written by export_unit.")
    if header.get("version") not in READS:
        raise ImportRefused(
            f"This file is in export format {header.get('version')}; this version reads formats 2 and 3."
        )
    return header


class _Importer:
    def __init__(self):
        User = get_user_model()
        self.models = {
            model._meta.label_lower: model
            for model in (
                User,
                Category,
                Principle,
                Unit,
                Membership,
                Visit,
                ConfidentialNote,
                Concern,
                *CONCERN_PARTS,
                Photo,
            )
        }
        self.ids: dict[type, dict] = {model: {} for model in self.models.values()}  # file id or code → id here
        self.counts: dict[str, int] = {}
        self.root: Unit | None = None
        self.highest_reference: dict[int, int] = {}

    def load(self, records: list[dict]) -> None:
        model = self.models.get(records[0]["model"])
        if model is None:
            raise ImportRefused(f"Unknown kind of record: {records[0]['model']!r}.")
        if model in (Category, Principle):
            self.load_labels(model, records)
        elif model is get_user_model():
            self.load_people(model, records)
        elif model is Unit:
            self.load_units(records)
        else:
            if model is Concern:
                self.check_references(records)
            if model is Photo:
                self.store_photos(records)
            self.insert(model, records)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(records)

    def load_labels(self, model, records: list[dict]) -> None:
        """Categories and principles are the installation's own: matched by code, added only if missing."""
        codes = {record["fields"]["code"] for record in records}
        here = dict(model.objects.filter(code__in=codes).values_list("code", "id"))
        for record in records:
            code = record["fields"]["code"]
            if code not in here:
                here[code] = model.objects.create(**record["fields"]).pk
        self.ids[model].update(here)

    def load_people(self, model, records: list[dict]) -> None:
        names = [record["fields"]["username"] for record in records]
        here = dict(model.objects.filter(username__in=names).values_list("username", "id"))
        new = [self.build(model, record) for record in records if record["fields"]["username"] not in here]
        model.objects.bulk_create(new)
        here.update(model.objects.filter(username__in=names).values_list("username", "id"))
        # bulk_create sends no signal: the people picker's keys of the people added
        people.person_keys_rebuild(user_ids=[here[person.username] for person in new])
        self.ids[model].update(here)

    def load_units(self, records: list[dict]) -> None:
        codes = [record["fields"]["code"] for record in records]
        taken = sorted(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
        if taken:
            raise ImportRefused(
                f"Units of this file exist here already ({', '.join(taken[:10])}); "
                "import a unit only into an installation that holds none of its units."
            )
        for record in records:
            unit = self.build(Unit, record)
            unit.save()  # parents come first: save() computes the materialised path from the parent's
            self.ids[Unit][record["id"]] = unit.pk
            if self.root is None:
                self.root = unit

    def check_references(self, records: list[dict]) -> None:
        references = [record["fields"]["reference"] for record in records]
        taken = sorted(Concern.objects.filter(reference__in=references).values_list("reference", flat=True))
        if taken:
            raise ImportRefused(
                f"Concern references of this file are used here already ({', '.join(taken[:10])}); "
                "nothing was imported."
            )
        for reference in references:
            _prefix, year, number = reference.split("-")
            self.highest_reference[int(year)] = max(self.highest_reference.get(int(year), 0), int(number))

    def insert(self, model, records: list[dict]) -> None:
        """Rows as they were (created_at and updated_at too: a raw insert, no auto_now), with new ids."""
        objects = [self.build(model, record) for record in records]
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        new_ids: list[int] = []
        for part in chunks(objects, connection.ops.bulk_batch_size(fields, objects) or len(objects)):
            rows = model._base_manager._insert(part, fields=fields, returning_fields=[model._meta.pk], raw=True)
            new_ids.extend(row[0] for row in rows)
        if model in (Visit, Concern, FollowUpAction):  # what later records (photos) refer to
            self.ids[model].update(zip((record["id"] for record in records), new_ids, strict=True))
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            target_ids = self.ids[field.related_model]
            through.objects.bulk_create(
                through(**{field.m2m_column_name(): new_id, field.m2m_reverse_name(): target_ids[value]})
                for record, new_id in zip(records, new_ids, strict=True)
                for value in record["fields"][field.name]
            )

    def store_photos(self, records: list[dict]) -> None:
        """Each photo's files into this installation's photo storage, under new names (the rows follow).
        The transaction does not cover the storage: an import refused later leaves these files unreferenced."""
        storage = photo_storage()
        for record in records:
            fields = record["fields"]
            for name in ("file", "thumbnail"):
                content = fields.pop(f"{name}_content", None)
                if content is None:
                    raise ImportRefused("A photo record of this file carries no image.")
                suffix = "-thumb" if name == "thumbnail" else ""
                stem = fields[name].rsplit("/", 1)[-1].removesuffix(".jpg").removesuffix("-thumb")
                new_name = f"imported/{self.root.code if self.root else 'unit'}/{stem}{suffix}.jpg"
                fields[name] = storage.save(new_name, ContentFile(base64.b64decode(content)))

    def build(self, model, record: dict) -> models.Model:
        fields = record["fields"]
        if model is get_user_model():
            return model(**{name: model._meta.get_field(name).to_python(fields[name]) for name in USER_FIELDS})
        values = {}
        for field in carried_fields(model):
            value = fields[field.name]
            if field.is_relation:
                if value is not None:
                    value = self.ids[field.related_model].get(value)
                    if value is None and not (model is Unit and field.name == "parent"):
                        raise ImportRefused(f"A {record['model']} record names a {field.name} the file does not hold.")
                values[field.attname] = value  # the exported root's parent is not in the file: it becomes a root
            else:
                values[field.attname] = field.to_python(value)
        return model(**values)

    def finish(self) -> None:
        for year, number in self.highest_reference.items():  # new concerns must not reuse an imported reference
            counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
            if counter.last < number:
                ReferenceCounter.objects.filter(year=year).update(last=number)
        rollups.rebuild(unit=self.root)

"""The staging area: files move into place on commit, and nothing stays behind otherwise."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from simkerma.core.staging import STAGING_DIR, StagedFiles, staging_sweep
from simkerma.core.tests.files import files_under


def age(path: Path, *, minutes: int) -> None:
    stamp = (timezone.now() - dt.timedelta(minutes=minutes)).timestamp()
    os.utime(path, (stamp, stamp))


@pytest.mark.django_db(transaction=True)
def test_it_moves_a_published_file_into_place_when_the_transaction_commits(media):
    with StagedFiles() as files:
        staged = files.write(ContentFile(b"isi berkas"))
        staged.final_name = "laporan/2026/a.pdf"
        assert staged.staged_name.startswith(f"{STAGING_DIR}/")
        with transaction.atomic():
            files.publish()
            assert files_under(media) == {staged.staged_name}  # nothing final before the commit

    assert files_under(media) == {"laporan/2026/a.pdf"}
    assert (media / "laporan/2026/a.pdf").read_bytes() == b"isi berkas"


@pytest.mark.django_db(transaction=True)
def test_it_deletes_staged_files_when_the_block_fails(media):
    with pytest.raises(RuntimeError), StagedFiles() as files:
        files.write(ContentFile(b"a")).final_name = "a.pdf"
        with transaction.atomic():
            files.publish()
            raise RuntimeError("crash before the commit")

    assert files_under(media) == set()


@pytest.mark.django_db(transaction=True)
def test_it_deletes_a_staged_file_whose_transaction_rolled_back_quietly(media):
    with StagedFiles() as files:
        files.write(ContentFile(b"a")).final_name = "a.pdf"
        with transaction.atomic():
            files.publish()
            transaction.set_rollback(True)

    assert files_under(media) == set()


def test_the_sweep_removes_old_staged_files_and_keeps_fresh_ones(media):
    old = default_storage.save(f"{STAGING_DIR}/old", ContentFile(b"left by a killed request"))
    fresh = default_storage.save(f"{STAGING_DIR}/fresh", ContentFile(b"an upload in progress"))
    final = default_storage.save("archive/evidence/2026/kept.pdf", ContentFile(b"a saved file"))
    age(media / old, minutes=61)
    age(media / fresh, minutes=59)
    age(media / final, minutes=600)

    assert staging_sweep() == 1
    assert files_under(media) == {fresh, final}


def test_the_sweep_is_quiet_without_a_staging_area(media):
    assert staging_sweep() == 0


@pytest.mark.django_db
def test_the_worker_sweeps_the_staging_area(media):
    old = default_storage.save(f"{STAGING_DIR}/old", ContentFile(b"x"))
    age(media / old, minutes=120)

    call_command("simkerma_worker", stdout=io.StringIO())

    assert files_under(media) == set()

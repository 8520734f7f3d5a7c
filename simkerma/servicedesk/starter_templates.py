"""The project's own starter templates for MoU, MoA/PKS and IA drafts, built with python-docx.

This module is the source of the templates: the .docx files are built on first use into a
directory under var/ (never committed) and rebuilt when BUILDER_VERSION changes. Administrators
download them, adapt them in Word and upload their own on the template page; the placeholders
they may use are listed in simkerma.servicedesk.drafting.PLACEHOLDERS.

The layout follows the usual shape of the office's drafts: a bilingual title block with the
number, the parties and their signatories, numbered articles with the scope list and the duration,
the contacts for correspondence, and a signature block for both parties.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

BUILDER_VERSION = 2
FOR_SCOPE = "{%p for item in scope %}"
END_FOR = "{%p endfor %}"
SCOPE_ITEM = "{{ loop.index }}. {{ item }}"

TITLE_BLOCK_ID = [
    "{{ document.title_id }}",
    "ANTARA",
    "{{ institution.name|upper }}",
    "DAN",
    "{{ partner.name|upper }}",
    "TENTANG",
    "{{ title|upper }}",
]
TITLE_BLOCK_EN = [
    "{{ document.title_en }}",
    "BETWEEN",
    "{{ institution.name|upper }}",
    "AND",
    "{{ partner.name|upper }}",
    "ON",
    "{{ title|upper }}",
]
NUMBERS_ID = ["Nomor PIHAK PERTAMA: {{ number }}", "Nomor PIHAK KEDUA: {{ partner_number or '…………' }}"]
NUMBERS_EN = ["FIRST PARTY's number: {{ number }}", "SECOND PARTY's number: {{ partner_number or '…………' }}"]

PARTIES_ID = [
    "Pada hari ini, {{ date_id or '…………' }}, di {{ place or '…………' }}, kami yang bertanda tangan di bawah ini:",
    "1. {{ institution.signatory_name or '…………' }}, {{ institution.signatory_position }} {{ institution.name }}, "
    "bertindak untuk dan atas nama {{ institution.name }}, beralamat di {{ institution.address or '…………' }}, "
    "selanjutnya disebut PIHAK PERTAMA;",
    "2. {{ partner.signatory_name or '…………' }}, {{ partner.signatory_position or '…………' }} {{ partner.name }}, "
    "bertindak untuk dan atas nama {{ partner.name }}, beralamat di {{ partner.address or '…………' }}, "
    "selanjutnya disebut PIHAK KEDUA.",
]
PARTIES_EN = [
    "On this day, {{ date_en or '…………' }}, in {{ place or '…………' }}, we the undersigned:",
    "1. {{ institution.signatory_name or '…………' }}, {{ institution.signatory_position_en }} of "
    "{{ institution.name }}, acting for and on behalf of {{ institution.name }}, located at "
    "{{ institution.address or '…………' }}, hereinafter the FIRST PARTY;",
    "2. {{ partner.signatory_name or '…………' }}, {{ partner.signatory_position or '…………' }} of {{ partner.name }}, "
    "acting for and on behalf of {{ partner.name }}, located at {{ partner.address or '…………' }}, "
    "hereinafter the SECOND PARTY.",
]

# Each article: (number, Indonesian heading, English heading, Indonesian paragraphs, English paragraphs).
# A paragraph equal to FOR_SCOPE stands for the whole scope list.
Article = tuple[int, str, str, list[str], list[str]]
MOU_ARTICLES: list[Article] = [
    (
        1,
        "MAKSUD DAN TUJUAN",
        "PURPOSE",
        [
            "Nota Kesepahaman ini menjadi landasan bagi PARA PIHAK untuk bekerja sama secara saling "
            "menguntungkan sesuai dengan tugas, fungsi dan peraturan yang berlaku bagi masing-masing."
        ],
        [
            "This Memorandum of Understanding is the basis on which THE PARTIES cooperate to their mutual "
            "benefit, within the tasks, functions and regulations that apply to each of them."
        ],
    ),
    (
        2,
        "RUANG LINGKUP",
        "SCOPE",
        ["Kerja sama PARA PIHAK meliputi:", FOR_SCOPE],
        ["The cooperation of THE PARTIES covers:", FOR_SCOPE],
    ),
    (
        3,
        "PELAKSANAAN",
        "IMPLEMENTATION",
        [
            "Setiap kegiatan dalam ruang lingkup di atas diatur lebih lanjut dalam Perjanjian Kerja Sama atau "
            "Implementation Arrangement tersendiri yang disepakati PARA PIHAK.",
            "Nota Kesepahaman ini tidak menimbulkan kewajiban hukum sebelum dituangkan dalam perjanjian tersebut.",
        ],
        [
            "Each activity within the scope above is set out in a separate Cooperation Agreement or "
            "Implementation Arrangement agreed by THE PARTIES.",
            "This Memorandum of Understanding creates no legal obligation until it is set out in such an agreement.",
        ],
    ),
    (
        4,
        "PEMBIAYAAN",
        "FUNDING",
        ["Biaya pelaksanaan kegiatan ditanggung menurut kesepakatan PARA PIHAK dalam perjanjian pelaksanaannya."],
        ["The cost of each activity is borne as THE PARTIES agree in the agreement that implements it."],
    ),
    (
        5,
        "JANGKA WAKTU",
        "TERM",
        [
            "Nota Kesepahaman ini berlaku selama {{ duration_years }} ({{ duration_words_id }}) tahun terhitung "
            "sejak {{ start_date_id or 'tanggal penandatanganan' }} dan dapat diperpanjang atau diubah atas "
            "kesepakatan tertulis PARA PIHAK."
        ],
        [
            "This Memorandum of Understanding is valid for {{ duration_years }} ({{ duration_words_en }}) years "
            "from {{ start_date_en or 'the date of signing' }} and may be extended or amended by written "
            "agreement of THE PARTIES."
        ],
    ),
    (
        6,
        "KORESPONDENSI",
        "CORRESPONDENCE",
        [
            "Pemberitahuan dan komunikasi tentang Nota Kesepahaman ini disampaikan kepada:",
            "PIHAK PERTAMA: {{ institution.contact_name }}, {{ institution.contact_email }}, "
            "{{ institution.contact_phone }}",
            "PIHAK KEDUA: {{ partner.pic or '…………' }}, {{ partner.email or '…………' }}, {{ partner.phone or '…………' }}",
        ],
        [
            "Notices and communication about this Memorandum of Understanding are addressed to:",
            "FIRST PARTY: {{ institution.contact_name }}, {{ institution.contact_email }}, "
            "{{ institution.contact_phone }}",
            "SECOND PARTY: {{ partner.pic or '…………' }}, {{ partner.email or '…………' }}, {{ partner.phone or '…………' }}",
        ],
    ),
    (
        7,
        "PENUTUP",
        "CLOSING",
        [
            "Nota Kesepahaman ini dibuat dalam rangkap 2 (dua), masing-masing bermeterai cukup dan mempunyai "
            "kekuatan hukum yang sama."
        ],
        [
            "This Memorandum of Understanding is made in 2 (two) originals, each bearing sufficient duty stamp "
            "and having equal legal force."
        ],
    ),
]

MOA_RECITALS_ID = [
    "PARA PIHAK terlebih dahulu menerangkan hal-hal berikut:",
    "{% if parent_number %}Bahwa PARA PIHAK telah menandatangani Nota Kesepahaman Nomor {{ parent_number }}."
    "{% else %}Bahwa PARA PIHAK berkehendak bekerja sama dalam {{ title }}.{% endif %}",
    "Berdasarkan hal tersebut, PARA PIHAK sepakat mengikatkan diri dalam Perjanjian Kerja Sama ini "
    "(selanjutnya “Perjanjian”) dengan ketentuan sebagai berikut:",
]
MOA_RECITALS_EN = [
    "THE PARTIES first state the following:",
    "{% if parent_number %}That THE PARTIES have signed the Memorandum of Understanding Number "
    "{{ parent_number }}.{% else %}That THE PARTIES wish to cooperate on {{ title }}.{% endif %}",
    "On that basis, THE PARTIES agree to be bound by this Cooperation Agreement (the “Agreement”) on the "
    "following terms:",
]
MOA_ARTICLES: list[Article] = [
    (
        1,
        "RUANG LINGKUP",
        "SCOPE",
        ["Ruang lingkup Perjanjian ini adalah:", FOR_SCOPE],
        ["The scope of this Agreement is:", FOR_SCOPE],
    ),
    (
        2,
        "JANGKA WAKTU",
        "TERM",
        [
            "Perjanjian ini berlaku selama {{ duration_years }} ({{ duration_words_id }}) tahun, dari "
            "{{ start_date_id or '…………' }} sampai dengan {{ end_date_id or '…………' }}.",
            "Perpanjangan disepakati PARA PIHAK secara tertulis sebelum Perjanjian ini berakhir.",
        ],
        [
            "This Agreement is valid for {{ duration_years }} ({{ duration_words_en }}) years, from "
            "{{ start_date_en or '…………' }} until {{ end_date_en or '…………' }}.",
            "Any extension is agreed by THE PARTIES in writing before this Agreement ends.",
        ],
    ),
    (
        3,
        "HAK DAN KEWAJIBAN",
        "RIGHTS AND OBLIGATIONS",
        [
            "PARA PIHAK melaksanakan kegiatan dalam ruang lingkup Perjanjian ini dengan itikad baik, menunjuk "
            "penanggung jawab masing-masing, dan saling memberikan informasi yang diperlukan."
        ],
        [
            "THE PARTIES carry out the activities within the scope of this Agreement in good faith, each "
            "appoint a person in charge, and give each other the information needed."
        ],
    ),
    (
        4,
        "PEMBIAYAAN",
        "FUNDING",
        ["Biaya yang timbul dari Perjanjian ini ditanggung menurut kesepakatan PARA PIHAK."],
        ["Costs arising from this Agreement are borne as THE PARTIES agree."],
    ),
    (
        5,
        "KORESPONDENSI",
        "CORRESPONDENCE",
        [
            "PIHAK PERTAMA: {{ institution.contact_name }}, {{ institution.contact_email }}, "
            "{{ institution.contact_phone }}",
            "PIHAK KEDUA: {{ partner.pic or '…………' }}, {{ partner.email or '…………' }}, {{ partner.phone or '…………' }}",
        ],
        [
            "FIRST PARTY: {{ institution.contact_name }}, {{ institution.contact_email }}, "
            "{{ institution.contact_phone }}",
            "SECOND PARTY: {{ partner.pic or '…………' }}, {{ partner.email or '…………' }}, {{ partner.phone or '…………' }}",
        ],
    ),
    (
        6,
        "PENYELESAIAN PERSELISIHAN",
        "SETTLEMENT OF DISPUTES",
        [
            "Perselisihan diselesaikan secara musyawarah untuk mufakat; bila tidak tercapai, PARA PIHAK memilih "
            "penyelesaian menurut hukum yang berlaku di Indonesia."
        ],
        [
            "Disputes are settled by deliberation and consensus; failing that, THE PARTIES choose settlement "
            "under the laws in force in Indonesia."
        ],
    ),
    (
        7,
        "PENUTUP",
        "CLOSING",
        [
            "Perjanjian ini dibuat dalam rangkap 2 (dua) dalam bahasa Indonesia dan bahasa Inggris, bermeterai "
            "cukup dan mempunyai kekuatan hukum yang sama. Bila terdapat perbedaan tafsir, teks bahasa "
            "Indonesia yang berlaku."
        ],
        [
            "This Agreement is made in 2 (two) originals in Indonesian and English, bearing sufficient duty "
            "stamp and having equal legal force. Should the texts differ, the Indonesian text prevails."
        ],
    ),
]

IA_ROWS = [
    ("Judul kegiatan", "Activity title", ["{{ title }}"]),
    ("Dasar pelaksanaan (MoU/MoA)", "Legal basis (MoU/MoA)", ["{{ parent_number or '…………' }}"]),
    ("Mitra", "Partner", ["{{ partner.name }}"]),
    ("Ruang lingkup", "Scope of activities", [FOR_SCOPE]),
    (
        "Waktu pelaksanaan",
        "Period of implementation",
        [
            "{{ start_date_id or '…………' }} – {{ end_date_id or '…………' }} / {{ start_date_en or '…………' }} – "
            "{{ end_date_en or '…………' }}"
        ],
    ),
    ("Penanggung jawab mitra", "Partner's person in charge", ["{{ partner.pic or '…………' }}"]),
    (
        "Kontak PIHAK PERTAMA",
        "FIRST PARTY's contact",
        ["{{ institution.contact_name }}, {{ institution.contact_email }}"],
    ),
    ("Skema pembiayaan", "Financing scheme", ["…………"]),
    ("Keluaran / capaian", "Output / outcome", ["…………"]),
]


def _base_document() -> DocxDocument:
    document: DocxDocument = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2)
    return document


def _centered(container: Any, lines: list[str], *, bold: bool = True) -> None:
    for line in lines:
        paragraph = container.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = bold


def _paragraphs(container: Any, texts: list[str]) -> None:
    for text in texts:
        if text == FOR_SCOPE:
            container.add_paragraph(FOR_SCOPE)
            item = container.add_paragraph(SCOPE_ITEM)
            item.paragraph_format.left_indent = Cm(0.75)
            container.add_paragraph(END_FOR)
        else:
            paragraph = container.add_paragraph(text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _article_heading(container: Any, number: int, word: str, heading: str) -> None:
    _centered(container, [f"{word} {number}", heading])


def _signatures(document: Any, *, left_title: str, right_title: str) -> None:
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    sides = [
        (
            left_title,
            "{{ institution.name|upper }}",
            "{{ institution.signatory_name or '…………' }}",
            "{{ institution.signatory_position }}",
        ),
        (
            right_title,
            "{{ partner.name|upper }}",
            "{{ partner.signatory_name or '…………' }}",
            "{{ partner.signatory_position or '…………' }}",
        ),
    ]
    for cell, (title, organisation, name, position) in zip(table.rows[0].cells, sides, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
        cell.add_paragraph(organisation)
        for _blank in range(3):
            cell.add_paragraph()
        cell.add_paragraph("____________________________")
        cell.add_paragraph().add_run(name).bold = True
        cell.add_paragraph(position)
        cell.add_paragraph("Tanggal / Date: …………")


def build_mou() -> DocxDocument:
    """Indonesian text first, then the English text, each with its own signatures."""
    document = _base_document()
    for title_block, numbers, parties, word, closing in (
        (TITLE_BLOCK_ID, NUMBERS_ID, PARTIES_ID, "Pasal", "PIHAK PERTAMA"),
        (TITLE_BLOCK_EN, NUMBERS_EN, PARTIES_EN, "Article", "FIRST PARTY"),
    ):
        _centered(document, title_block)
        _centered(document, numbers, bold=False)
        _paragraphs(document, parties)
        lead = (
            "PIHAK PERTAMA dan PIHAK KEDUA, bersama-sama disebut PARA PIHAK, sepakat membuat Nota "
            "Kesepahaman tentang {{ title }} dengan ketentuan sebagai berikut:"
            if word == "Pasal"
            else "The FIRST PARTY and the SECOND PARTY, together THE PARTIES, agree on a Memorandum of "
            "Understanding on {{ title }} on the following terms:"
        )
        _paragraphs(document, [lead])
        for number, heading_id, heading_en, texts_id, texts_en in MOU_ARTICLES:
            indonesian = word == "Pasal"
            _article_heading(document, number, word, heading_id if indonesian else heading_en)
            _paragraphs(document, texts_id if indonesian else texts_en)
        second = "PIHAK KEDUA" if word == "Pasal" else "SECOND PARTY"
        _signatures(document, left_title=closing, right_title=second)
        if word == "Pasal":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return document


def _row(table: Any) -> tuple[Any, Any]:
    cells = table.add_row().cells
    for cell in cells:
        cell.paragraphs[0].text = ""
    return cells[0], cells[1]


def build_moa() -> DocxDocument:
    """Indonesian and English side by side, one table row per part."""
    document = _base_document()
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    title_id = [line.replace("{{ document.title_id }}", "PERJANJIAN KERJA SAMA") for line in TITLE_BLOCK_ID]
    title_en = [line.replace("{{ document.title_en }}", "COOPERATION AGREEMENT") for line in TITLE_BLOCK_EN]
    left, right = _row(table)
    _centered(left, title_id + NUMBERS_ID)
    _centered(right, title_en + NUMBERS_EN)
    left, right = _row(table)
    _paragraphs(left, PARTIES_ID + MOA_RECITALS_ID)
    _paragraphs(right, PARTIES_EN + MOA_RECITALS_EN)
    for number, heading_id, heading_en, texts_id, texts_en in MOA_ARTICLES:
        left, right = _row(table)
        _article_heading(left, number, "Pasal", heading_id)
        _paragraphs(left, texts_id)
        _article_heading(right, number, "Article", heading_en)
        _paragraphs(right, texts_en)
    _signatures(document, left_title="PIHAK PERTAMA / FIRST PARTY", right_title="PIHAK KEDUA / SECOND PARTY")
    return document


def build_ia() -> DocxDocument:
    document = _base_document()
    _centered(
        document,
        [
            "IMPLEMENTATION ARRANGEMENT",
            "ANTARA / BETWEEN",
            "{{ institution.name|upper }}",
            "DAN / AND",
            "{{ partner.name|upper }}",
        ],
    )
    _centered(document, ["Nomor / Number: {{ number }}"], bold=False)
    _paragraphs(
        document,
        [
            "Dokumen ini melaksanakan kerja sama yang telah disepakati PARA PIHAK{% if parent_number %} dalam "
            "{{ parent_number }}{% endif %}. / This document implements the cooperation THE PARTIES agreed"
            "{% if parent_number %} in {{ parent_number }}{% endif %}."
        ],
    )
    table = document.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    for label_id, label_en, texts in IA_ROWS:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label_id).bold = True
        cells[0].add_paragraph(label_en).runs[0].italic = True
        cells[1].paragraphs[0].text = ":"
        cells[2].paragraphs[0].text = ""
        _paragraphs(cells[2], texts)
    _signatures(document, left_title="PIHAK PERTAMA / FIRST PARTY", right_title="PIHAK KEDUA / SECOND PARTY")
    return document


BUILDERS: dict[str, Callable[[], DocxDocument]] = {"mou": build_mou, "moa": build_moa, "ia": build_ia}


def template_dir() -> Path:
    return Path(settings.SIMKERMA_DRAFT_TEMPLATE_DIR)


def starter_template_path(kind: str) -> Path:
    """The starter template for a kind, built on first use (atomically, so concurrent builds are safe)."""
    if kind not in BUILDERS:
        raise ValueError(f"no starter template for {kind!r}")
    directory = template_dir()
    path = directory / f"starter-{kind}-v{BUILDER_VERSION}.docx"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".docx.part")
    os.close(handle)
    try:
        BUILDERS[kind]().save(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path

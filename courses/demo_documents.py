"""Small, real templates the demo lessons offer for download: a budget and a cash book
(spreadsheets with their formulas), statutes and general-assembly minutes (text documents to
fill in). Written when the demo world is built, as Wagtail documents of the collection given
(the « Formations » collection); a document already there under the same title is kept.
"""

import io
import re
from pathlib import Path

from django.core.files.base import ContentFile
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TextProperties
from odf.text import H, P
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from wagtail.documents import get_document_model

TEXTS_DIR = Path(__file__).resolve().parent / "demo_content" / "modeles"


def _sheet_header(sheet, headers, widths):
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for column, width in zip("ABCDEFGH", widths, strict=False):
        sheet.column_dimensions[column].width = width


def budget_xlsx():
    """A project budget: lines with their calculation (quantity × unit cost), the share of each
    funder, totals by formula; a second sheet follows spending against the budget."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Budget prévisionnel"
    sheet.append(["Budget prévisionnel du projet : [titre du projet]"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["Association : [nom]", "", "Période : [début] – [fin]", "", "Monnaie : MAD"])
    sheet.append([])
    _sheet_header(
        sheet,
        [
            "Ligne budgétaire",
            "Mode de calcul",
            "Quantité",
            "Coût unitaire",
            "Total",
            "Part association",
            "Part bailleur",
        ],
        (34, 38, 10, 13, 13, 16, 14),
    )
    lines = [
        ("1. Location de salle", "4 formations × 1 jour", 4, 800),
        ("2. Repas des participants", "4 formations × 25 personnes × 2 repas", 200, 30),
        ("3. Transport des participants", "4 formations × 25 personnes", 100, 20),
        ("4. Fournitures et impressions", "forfait par formation", 4, 350),
        ("5. Honoraires du formateur", "4 jours", 4, 1500),
        ("6. Coordination (bénévolat valorisé)", "20 jours × 1 personne", 20, 150),
    ]
    first = sheet.max_row + 1
    for label, how, quantity, unit_cost in lines:
        row = sheet.max_row + 1
        sheet.append([label, how, quantity, unit_cost, f"=C{row}*D{row}", 0, f"=E{row}-F{row}"])
    last = sheet.max_row
    sheet.append(
        [
            "Total",
            "",
            "",
            "",
            f"=SUM(E{first}:E{last})",
            f"=SUM(F{first}:F{last})",
            f"=SUM(G{first}:G{last})",
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append(["Remplacez les exemples par vos lignes ; gardez le mode de calcul de chacune."])

    follow = book.create_sheet("Suivi budgétaire")
    _sheet_header(
        follow,
        ["Ligne budgétaire", "Prévu", "Réalisé", "Écart", "Taux d'exécution", "Explication"],
        (34, 12, 12, 12, 16, 40),
    )
    for index, (label, *_rest) in enumerate(lines):
        row = follow.max_row + 1
        source = first + index
        follow.append(
            [
                label,
                f"='Budget prévisionnel'!E{source}",
                0,
                f"=C{row}-B{row}",
                f'=IF(B{row}=0,"",C{row}/B{row})',
                "",
            ]
        )
        follow[f"E{row}"].number_format = "0%"
    return _xlsx_bytes(book)


def cash_book_xlsx():
    """A cash and bank book: each movement with its voucher number, the running balance by
    formula, and the month-end check against the cash counted."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Journal de caisse"
    sheet.append(["Journal de caisse – mois de : [mois]", "", "", "Solde d'ouverture :", 0])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    _sheet_header(
        sheet,
        ["Date", "N° de pièce", "Libellé", "Recette", "Dépense", "Solde"],
        (12, 12, 40, 12, 12, 12),
    )
    examples = [
        ("[jj/mm]", "R-001", "Cotisations de 12 membres", 1200, 0),
        ("[jj/mm]", "D-001", "Achat de fournitures (facture n° …)", 0, 240),
        ("[jj/mm]", "D-002", "Transport réunion du bureau", 0, 90),
    ]
    for day, voucher, label, income, spending in examples:
        row = sheet.max_row + 1
        previous = "E1" if row == 4 else f"F{row - 1}"
        sheet.append([day, voucher, label, income, spending, f"={previous}+D{row}-E{row}"])
    for _blank in range(20):
        row = sheet.max_row + 1
        sheet.append(["", "", "", None, None, f"=F{row - 1}+D{row}-E{row}"])
    last = sheet.max_row
    sheet.append([])
    sheet.append(["", "", "Solde théorique en fin de mois", "", "", f"=F{last}"])
    sheet.append(["", "", "Solde compté dans la caisse", "", "", 0])
    sheet.append(["", "", "Écart à expliquer", "", "", f"=F{last + 3}-F{last + 2}"])
    sheet.append([])
    sheet.append(["Chaque ligne a sa pièce justificative, numérotée et classée dans l'ordre."])
    return _xlsx_bytes(book)


def _xlsx_bytes(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _odt_from_text(path):
    """A text document from a small text file: ``# title``, ``## heading`` lines, and
    paragraphs separated by blank lines."""
    title, blocks = "", []
    for chunk in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        text = " ".join(line.strip() for line in chunk.splitlines())
        if text.startswith("## "):
            blocks.append(("h", text[3:]))
        elif text.startswith("# "):
            title = text[2:]
        else:
            blocks.append(("p", text))
    return _odt(title, blocks)


def _odt(title, blocks):
    """A text document: ``blocks`` are ``("h", text)`` headings and ``("p", text)`` paragraphs."""
    document = OpenDocumentText()
    heading = Style(name="Titre", family="paragraph")
    heading.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    heading.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
    section = Style(name="Article", family="paragraph")
    section.addElement(TextProperties(fontsize="12pt", fontweight="bold"))
    section.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.1cm"))
    body = Style(name="Corps", family="paragraph")
    body.addElement(ParagraphProperties(marginbottom="0.15cm"))
    for style in (heading, section, body):
        document.styles.addElement(style)
    document.text.addElement(H(outlinelevel=1, stylename=heading, text=title))
    for kind, text in blocks:
        if kind == "h":
            document.text.addElement(H(outlinelevel=2, stylename=section, text=text))
        else:
            document.text.addElement(P(stylename=body, text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def statutes_odt():
    return _odt_from_text(TEXTS_DIR / "statuts-association.md")


def minutes_odt():
    return _odt_from_text(TEXTS_DIR / "pv-assemblee-generale.md")


DEMO_DOCUMENTS = {
    # key: (title, file name, builder)
    "budget-previsionnel": (
        "Modèle de budget prévisionnel de projet (tableur)",
        "modele-budget-previsionnel.xlsx",
        budget_xlsx,
    ),
    "journal-caisse": (
        "Modèle de journal de caisse et de banque (tableur)",
        "modele-journal-de-caisse.xlsx",
        cash_book_xlsx,
    ),
    "statuts": (
        "Modèle commenté de statuts d'association",
        "modele-statuts-association.odt",
        statutes_odt,
    ),
    "pv-assemblee-generale": (
        "Modèle de procès-verbal d'assemblée générale",
        "modele-pv-assemblee-generale.odt",
        minutes_odt,
    ),
}


def demo_documents_ensure(collection, counts):
    """The demo templates as documents of ``collection``, by key; made once (a document of
    the same title in the collection is kept as it is)."""
    Document = get_document_model()
    documents = {}
    for key, (title, file_name, build) in DEMO_DOCUMENTS.items():
        document = Document.objects.filter(collection=collection, title=title).first()
        if document is None:
            document = Document(title=title, collection=collection)
            document.file.save(file_name, ContentFile(build()), save=False)
            document._set_document_file_metadata()
            document.save()
            counts["created"] += 1
        documents[key] = document
    return documents

"""Tiny but well-formed AWB label documents (PDF and ZPL)."""

from __future__ import annotations

PAGE_SIZES = {"A4": (595, 842), "A5": (420, 595), "A6": (298, 420)}


def awb_pdf(awb_number: str, barcode: str, paper: str = "A4") -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table."""
    width, height = PAGE_SIZES.get(paper, PAGE_SIZES["A4"])
    text = (
        f"BT /F1 16 Tf 30 {height - 60} Td (eMAG sandbox AWB {awb_number}) Tj ET\n"
        f"BT /F1 12 Tf 30 {height - 90} Td (Barcode {barcode} - {paper}) Tj ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
            "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def awb_zpl(awb_number: str, barcode: str) -> str:
    return (
        "^XA\n"
        f"^FO40,40^A0N,40,40^FDeMAG sandbox AWB {awb_number}^FS\n"
        f"^FO40,110^BY2^BCN,120,Y,N,N^FD{barcode}^FS\n"
        "^XZ\n"
    )

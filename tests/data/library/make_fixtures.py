#!/usr/bin/env python3
"""Writes the document-library fixtures in this folder: small, real-format
files (a two-page PDF, an encrypted PDF, a truncated PDF, a docx, an odt,
HTML, CSV, Latin-1 and UTF-16 text, a binary named .txt, an empty file).
Run it to regenerate them; the outputs are committed. Standard library only:
the PDF objects and the RC4 encryption (standard security handler, R2) are
written by hand, the Office files are zip packages of XML."""
import hashlib, io, os, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

def out(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)

# ---- PDF ---------------------------------------------------------------
def pdf(pages, encrypt=None, doc_id=b"0123456789abcdef"):
    """pages: list of lists of text lines. encrypt: user password (RC4-40)."""
    objs = {}
    n_pages = len(pages)
    font = 3
    first_page = 4
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n_pages))
    objs[2] = f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode()
    objs[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    streams = {}
    for i, lines in enumerate(pages):
        page, content = first_page + 2 * i, first_page + 2 * i + 1
        objs[page] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                      f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>").encode()
        ops = ["BT", "/F1 12 Tf", "72 720 Td", "16 TL"]
        for line in lines:
            esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({esc}) Tj T*")
        ops.append("ET")
        streams[content] = "\n".join(ops).encode("latin-1")
    key = None
    trailer_extra = b""
    padding = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    if encrypt is not None:
        def pad(pw):
            return (pw.encode("latin-1") + padding)[:32]
        def rc4(k, data):
            s = list(range(256)); j = 0
            for i in range(256):
                j = (j + s[i] + k[i % len(k)]) % 256; s[i], s[j] = s[j], s[i]
            i = j = 0; res = bytearray()
            for b in data:
                i = (i + 1) % 256; j = (j + s[i]) % 256; s[i], s[j] = s[j], s[i]
                res.append(b ^ s[(s[i] + s[j]) % 256])
            return bytes(res)
        owner_key = hashlib.md5(pad("owner-" + encrypt)).digest()[:5]
        o = rc4(owner_key, pad(encrypt))
        p = -44
        key = hashlib.md5(pad(encrypt) + o + p.to_bytes(4, "little", signed=True) + doc_id).digest()[:5]
        u = rc4(key, padding)
        enc = 99
        objs[enc] = (b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <" + u.hex().encode()
                     + b"> /P " + str(p).encode() + b" >>")
        trailer_extra = f" /Encrypt {enc} 0 R".encode()
        def obj_key(num):
            return hashlib.md5(key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
        for num in list(streams):
            streams[num] = rc4(obj_key(num), streams[num])
    body = io.BytesIO()
    body.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(set(objs) | set(streams)):
        offsets[num] = body.tell()
        if num in streams:
            data = streams[num]
            body.write(f"{num} 0 obj\n<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream\nendobj\n")
        else:
            body.write(f"{num} 0 obj\n".encode() + objs[num] + b"\nendobj\n")
    size = max(offsets) + 1
    xref = body.tell()
    body.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    for num in range(1, size):
        if num in offsets:
            body.write(f"{offsets[num]:010d} 00000 n \n".encode())
        else:
            body.write(b"0000000000 65535 f \n")
    body.write(f"trailer\n<< /Size {size} /Root 1 0 R /ID [<{doc_id.hex()}> <{doc_id.hex()}>]".encode()
               + trailer_extra + f" >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return body.getvalue()

report = [
    ["Quarterly report", "Revenue from the Karoo farm stall grew by twelve percent.",
     "The rooibos harvest was early this year."]
    + [f"Line {i} of the sales table lists jars of apricot jam, biltong and rusks sold." for i in range(1, 9)],
    ["Wildlife notes", "A herd of kudu crossed the northern fence in March.",
     "The borehole pump needs a new impeller before winter."],
]
out("report.pdf", pdf(report))
out("encrypted.pdf", pdf([["Secret minutes about the springbok count."]], encrypt="secret"))
out("corrupt.pdf", pdf(report)[:400])

# ---- docx and odt ------------------------------------------------------
def docx():
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        f.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '</Types>')
        f.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '</Relationships>')
        f.writestr("docProps/core.xml", '<?xml version="1.0" encoding="UTF-8"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Letter to the municipality</dc:title></cp:coreProperties>')
        f.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Water supply</w:t></w:r></w:p>'
            '<w:p><w:r><w:t xml:space="preserve">The water pressure in Ward 7 drops </w:t></w:r>'
            '<w:r><w:t>every evening &amp; weekend.</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Requested action</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>Please inspect the reservoir valve.</w:t></w:r><w:r><w:tab/><w:t>Thank you.</w:t></w:r></w:p>'
            '</w:body></w:document>')
    return z.getvalue()

def odt():
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as f:
        f.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        f.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>', zipfile.ZIP_DEFLATED)
        f.writestr("meta.xml", '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta>'
            '<dc:title>Netball club minutes</dc:title></office:meta></office:document-meta>', zipfile.ZIP_DEFLATED)
        f.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>'
            '<text:h text:outline-level="1">Netball club</text:h>'
            '<text:p>The <text:span>committee</text:span> agreed to buy<text:s text:c="2"/>new bibs.</text:p>'
            '<text:h text:outline-level="2">Fixtures</text:h>'
            '<text:p>Saturday matches start at nine<text:line-break/>at the community hall.</text:p>'
            '</office:text></office:body></office:document-content>', zipfile.ZIP_DEFLATED)
    return z.getvalue()

out("letter.docx", docx())
out("minutes.odt", odt())

# ---- text formats ------------------------------------------------------
out("page.html", b"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Load shedding guide</title>
<style>body { font-family: sans-serif }</style><script>var tracking = "ignore me";</script></head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<h1>Load shedding guide</h1>
<p>Charge the inverter batteries before stage 4 starts &mdash; check the schedule daily.</p>
<h2>Cooking</h2><p>A gas cooker keeps supper on track when the lights go out.</p>
</body></html>
""")
out("table.csv", b"province,capital,population\nGauteng,Johannesburg,15 million\n"
    b"Western Cape,\"Cape Town\",7 million\n\"KwaZulu-Natal\",Pietermaritzburg,\"11,5 million\"\n")
out("latin1.txt", "Die kafee bedien crème brûlée en koeksisters, en die naïewe bestuurder betaal.\n".encode("latin-1"))
out("utf16.txt", "\ufeffThe UTF-16 note mentions the Drakensberg hiking trail.\r\n".encode("utf-16-le"))
out("notes.md", b"# Braai checklist\n\n## Fire\n\nLight the charcoal an hour early.\n\n## Food\n\nBoerewors, mielies and salads.\n")
out("binary.txt", bytes(range(256)) * 8)
out("empty.txt", b"")

#!/usr/bin/env python3
"""Builds the two binary documents of the retrieval set from the text below:

    docs/shipping-and-returns.pdf   (fpdf2, core Helvetica font, real text layer)
    docs/warranty-and-care.docx     (python-docx, Title, Heading 1 / Heading 2 styles, one table)

The other documents in docs/ (HTML, Markdown, plain text) are written by hand.

Run it from anywhere, with a Python that has fpdf2 and python-docx:

    python3 -m venv /tmp/rsvenv
    /tmp/rsvenv/bin/pip install fpdf2 python-docx pypdf
    /tmp/rsvenv/bin/python bench/retrieval/make_docs.py

Then run check.py, since questions.json quotes these texts verbatim.
Output is deterministic apart from the PDF/DOCX metadata dates, which are pinned.
"""

import datetime
import pathlib

DOCS = pathlib.Path(__file__).resolve().parent / "docs"
PINNED = datetime.datetime(2025, 3, 1, 9, 0, 0, tzinfo=datetime.timezone.utc)

# ---------------------------------------------------------------------------
# Shipping and returns (PDF). Blocks: ("h1", text), ("h2", text), ("h3", text),
# ("p", text), ("li", text), ("small", text).
# ---------------------------------------------------------------------------
SHIPPING = [
    ("h1", "Shipping and Returns Policy"),
    ("small", "Casa Aurora Comércio de Móveis e Decoração Ltda. - Policy version 3.2 - effective 1 March 2025. "
              "This policy applies to orders placed on casaaurora.com.br and through our WhatsApp sales channel."),
    ("h2", "1. Where we deliver"),
    ("p", "Casa Aurora ships from two warehouses: our main distribution centre in Cajamar (São Paulo state), "
          "which serves Brazil and the United States, and our European warehouse in Maia, near Porto, which "
          "serves Portugal. We deliver to the following destinations:"),
    ("li", "Brazil: all 26 states and the Federal District."),
    ("li", "Portugal: mainland Portugal, Madeira and the Azores. Deliveries to Madeira and the Azores take "
           "5 extra business days."),
    ("li", "United States: the 48 contiguous states and Washington, D.C."),
    ("p", "We do not currently ship to Alaska, Hawaii, Puerto Rico or to P.O. boxes. We cannot deliver to "
          "freight forwarders, parcel lockers or to any country not listed above."),
    ("h2", "2. Order processing"),
    ("p", "Small items in stock (decor, textiles, lighting and tableware) are dispatched on the same business "
          "day when the order is paid before 2 p.m. Brasília time (BRT). Orders paid after that time are "
          "dispatched on the next business day."),
    ("p", "Furniture in stock leaves the warehouse within 3 business days of payment. Items marked \"Feito por "
          "encomenda\" (made to order) are produced by our partner workshops in Minas Gerais and Santa Catarina "
          "and are dispatched within 15 to 20 business days. The estimated dispatch date is shown on the product "
          "page and in your order confirmation."),
    ("p", "Orders paid by boleto are only processed after the bank confirms the payment, which can take up to "
          "2 business days. If an order contains items with different dispatch times, we ship everything "
          "together unless you ask us to split the shipment."),
    ("h2", "3. Delivery times and shipping fees"),
    ("p", "All delivery times are counted in business days from dispatch, not from the order date. Weekends "
          "and public holidays in the destination are not counted."),
    ("h3", "3.1 Brazil"),
    ("p", "Estimated delivery times by region: Southeast, 2 to 5 business days; South, 4 to 7 business days; "
          "Centre-West and Northeast, 6 to 10 business days; North, 9 to 15 business days."),
    ("p", "Shipping is free on small-item orders over R$ 399. Below that amount the fee is calculated at checkout "
          "from your CEP (postcode) and the weight of the parcel. Furniture delivery is free within the city of "
          "São Paulo on orders over R$ 2,500; elsewhere the furniture freight is calculated at checkout from the "
          "CEP and the volume of the items."),
    ("h3", "3.2 Portugal"),
    ("p", "Orders for Portugal are shipped from Maia by DPD and arrive in 6 to 10 business days on the mainland. "
          "Small items ship for a flat fee of €19, free on orders over €250. Furniture delivery to the mainland "
          "costs €59 per order; furniture for Madeira and the Azores is quoted by our team before dispatch."),
    ("p", "Prices for Portugal include IVA at 23%. Because your order ships from inside the European Union, "
          "there are no customs charges on delivery."),
    ("h3", "3.3 United States"),
    ("p", "Parcels for the United States are shipped by UPS from Cajamar and arrive in 8 to 14 business days, for "
          "a flat fee of $35, free on orders over $400. Furniture travels by LTL freight, takes 18 to 25 business "
          "days and is delivered curbside (to the kerb outside your building, not inside your home)."),
    ("p", "All US orders are shipped Delivered Duty Paid (DDP): import duties and fees are included in the price "
          "you pay at checkout, so you will never be asked to pay anything to the carrier at the door. State "
          "sales tax is added at checkout where it applies."),
    ("h2", "4. White-glove delivery (Brazil only)"),
    ("p", "White-glove delivery is available within the city limits of São Paulo, Rio de Janeiro, Belo Horizonte "
          "and Curitiba. It costs R$ 189 per order, whatever the number of items. A two-person team carries the "
          "items to the room of your choice, assembles them and takes all packaging away for recycling."),
    ("p", "You choose a morning window (8 a.m. to 12 p.m.) or an afternoon window (1 p.m. to 6 p.m.), Monday to "
          "Saturday. Rescheduling is free up to 24 hours before the appointment. If nobody is home at the booked "
          "time, a missed-appointment fee of R$ 90 is charged for the second visit."),
    ("h2", "5. Tracking your order"),
    ("p", "When your order leaves the warehouse we send the tracking link by WhatsApp and e-mail within 24 hours "
          "of dispatch. You can also follow every order on the \"Minhas compras / My orders\" page of your "
          "account. If the tracking shows no movement for 5 business days, write to us and we will open an "
          "investigation with the carrier."),
    ("h2", "6. Receiving your delivery"),
    ("p", "Please check the packages before you sign. If a box is visibly damaged, you may accept it but write "
          "\"recebido com avaria\" (received damaged) on the proof of delivery, or refuse that box."),
    ("p", "Report damaged, missing or wrong items within 48 hours of delivery, with photos of the item, the box "
          "and the shipping label. We will send a replacement or the damaged part at no cost to you. Reports "
          "made after 48 hours are handled under the warranty instead (see our Warranty and Care Guide)."),
    ("h2", "7. Returns"),
    ("h3", "7.1 Return window"),
    ("p", "You can return most items within 30 days from the delivery date, for any reason. Items must be unused, "
          "in their original packaging and returned with all hardware, manuals and accessories. Furniture must "
          "be returned unassembled or in the condition in which it was delivered."),
    ("p", "Customers in Brazil also have the legal 7-day right of withdrawal for online purchases. The "
          "Brazil-specific procedure, including exchanges and store credit, is described in our Portuguese "
          "document \"Trocas e Devoluções\"."),
    ("h3", "7.2 Items that cannot be returned"),
    ("li", "Mattresses, pillows and bedding once removed from their hygienic seal."),
    ("li", "Made-to-order items (\"Feito por encomenda\"), unless they are defective."),
    ("li", "Outlet items sold as \"Última Peça\", which are final sale."),
    ("li", "Furniture damaged while being assembled by the customer."),
    ("h3", "7.3 Return shipping costs"),
    ("p", "Returns within Brazil are free of charge. For Portugal and the United States, the return shipping "
          "cost is deducted from your refund: €15 per parcel in Portugal and $25 per parcel in the United States. "
          "Collection of returned furniture costs €49 in Portugal and $95 in the United States. Returns are "
          "always free when the item is defective or we sent the wrong item."),
    ("h3", "7.4 How to start a return"),
    ("p", "Send us a message on WhatsApp or open the order on the \"Minhas compras / My orders\" page and choose "
          "\"Return an item\". We reply with a return authorisation number that starts with \"RA-\" and, for "
          "parcels, a prepaid label. Please write the RA number on the outside of the box."),
    ("h2", "8. Refunds"),
    ("p", "Returned items are inspected within 5 business days of arriving at our warehouse. Once the return is "
          "approved, we refund the original payment method:"),
    ("li", "Credit card: we request the reversal on the day of approval; it appears on your next 1 or 2 card "
           "statements, depending on the card issuer."),
    ("li", "Pix: refunded within 1 business day to the key used for the payment."),
    ("li", "Boleto: bank transfer to an account in the buyer's name (same CPF) within 3 business days."),
    ("li", "MB WAY, Multibanco or PayPal (Portugal and the United States): refunded within 5 business days."),
    ("p", "The original shipping fee is refunded only when the whole order is returned within the 7-day right of "
          "withdrawal, or when the item is defective or wrong."),
    ("small", "Questions about this policy: WhatsApp +55 11 97310-2040 or atendimento@casaaurora.com.br."),
]

# ---------------------------------------------------------------------------
# Warranty and care (DOCX).
# ---------------------------------------------------------------------------
WARRANTY_TABLE = [
    ("Product category", "Casa Aurora warranty", "What it covers"),
    ("Sofa and armchair frames", "10 years", "Breakage of the wooden frame and springs"),
    ("Upholstery fabric and foam", "1 year", "Seam failure, pilling beyond normal use, foam losing shape"),
    ("Recliner and sofa-bed mechanisms", "2 years", "Mechanical failure of the metal mechanism"),
    ("Solid wood furniture", "3 years", "Cracks, joints coming apart, warping"),
    ("Mattresses", "10 years", "Sagging deeper than 3 cm, broken springs"),
    ("Lighting", "1 year", "Electrical components (bulbs excluded)"),
    ("Textiles, tableware and decor", "90 days (legal warranty only)", "Manufacturing defects"),
]

WARRANTY = [
    ("title", "Warranty and Care Guide"),
    ("p", "Every Casa Aurora product is designed to last for many years. This guide explains what our warranty "
          "covers, how to make a claim and how to look after each material. Keep your order number: you will "
          "need it for any warranty request."),
    ("h1", "1. Our warranty"),
    ("h2", "1.1 Warranty periods"),
    ("p", "The Casa Aurora warranty is added to the legal warranty of your country (90 days for durable goods in "
          "Brazil under the Consumer Defence Code, 3 years in Portugal). It starts on the delivery date shown in "
          "your order. The table below summarises the periods by product category."),
    ("table", WARRANTY_TABLE),
    ("h2", "1.2 Upholstered furniture"),
    ("p", "Sofa and armchair frames are guaranteed for 10 years against structural failure, including the "
          "hardwood frame, the joints and the zig-zag springs. Upholstery fabric and seat foam are covered for "
          "1 year. Recliner and sofa-bed mechanisms are covered for 2 years from delivery."),
    ("h2", "1.3 What the warranty does not cover"),
    ("p", "The warranty covers manufacturing defects only. It does not cover normal wear and tear, fading caused "
          "by direct sunlight, damage caused by pets (scratches, bites or stains), liquid stains, burns, use of "
          "indoor furniture outdoors, furniture used in hotels, restaurants or other commercial settings, or "
          "damage caused by incorrect assembly or by moving the furniture. Small differences in the grain and "
          "colour of natural wood, marble and rattan are a feature of the material, not a defect."),
    ("h2", "1.4 How to make a warranty claim"),
    ("p", "Send us your order number, a description of the problem, photos and a short video showing the defect, "
          "by WhatsApp to +55 11 97310-2040 or by e-mail to garantia@casaaurora.com.br. Our product care team "
          "replies within 3 business days."),
    ("p", "If a visit is needed, a technician visits within 10 business days in the São Paulo metropolitan area "
          "and within 20 business days elsewhere in Brazil. In Portugal and the United States, we send the "
          "replacement part or product, or refund the item if a repair is not possible. Repaired or replaced "
          "products keep the remaining time of the original warranty."),
    ("h1", "2. Caring for your furniture"),
    ("h2", "2.1 Solid wood"),
    ("p", "Dust solid wood with a dry microfibre cloth. Do not use silicone-based polishes or multi-purpose "
          "sprays, which leave a film that attracts dust. Every 6 months, apply a thin coat of Aurora Wood Balm "
          "(beeswax and carnauba) with a soft cloth, following the grain."),
    ("p", "Wood is a living material. Keep wooden furniture at least 50 cm away from radiators, heaters and "
          "air-conditioning outlets, and out of direct sunlight. Ideal indoor humidity is between 40% and 60%. "
          "Always use coasters and placemats under hot dishes and glasses."),
    ("h2", "2.2 Fabric upholstery"),
    ("p", "Vacuum your sofa once a week with the upholstery brush and turn and plump the cushions to keep the "
          "wear even. If you spill something, blot it immediately with a clean white cloth; never rub, because "
          "rubbing pushes the liquid into the foam."),
    ("p", "Check the cleaning code on the label under the seat cushions before using any product. W means "
          "water-based cleaner; S means solvent-based cleaner only; WS means either; X means vacuum only, no "
          "liquids at all. We recommend a professional cleaning every 12 to 18 months."),
    ("p", "Sofas upholstered in AuroraTec performance fabric resist stains better and most spills can be removed "
          "with water and neutral soap."),
    ("h2", "2.3 Leather"),
    ("p", "Wipe leather with a slightly damp cloth and apply a leather conditioner every 3 months to stop it "
          "drying out and cracking. Keep leather at least 1 metre away from windows that get strong sun."),
    ("h2", "2.4 Marble and stone tops"),
    ("p", "Marble is porous. We seal every marble top before it leaves the workshop; reseal it once a year with "
          "a stone sealer. Clean with a damp cloth and neutral pH soap, and avoid lemon juice, vinegar, wine and "
          "other acidic liquids, which etch the surface even after it has been sealed."),
    ("h2", "2.5 Rattan and natural fibres"),
    ("p", "Vacuum rattan with a soft brush attachment. Once a month, wipe it with a cloth dampened in water to "
          "keep the fibres supple, then let it dry in the shade."),
    ("h2", "2.6 Outdoor teak"),
    ("p", "Untreated teak turns a silver-grey colour within a few months outdoors; this patina is natural and "
          "does not affect the strength of the wood. To keep the original honey colour, apply teak oil twice a "
          "year. Use breathable covers during the rainy season."),
    ("h2", "2.7 Mattresses"),
    ("p", "Our mattresses are single-sided and must not be flipped. To spread the wear evenly, rotate it 180 "
          "degrees every 3 months during the first year and every 6 months after that. Always use a mattress "
          "protector: stains on the mattress void the warranty."),
]


def make_pdf(path):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # so €, accents and curly quotes render with Helvetica
    pdf.set_creation_date(PINNED)
    pdf.set_title("Casa Aurora - Shipping and Returns Policy")
    pdf.set_author("Casa Aurora")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)

    def footer():
        pdf.set_y(-15)
        pdf.set_font("Helvetica", "", 8)
        pdf.set_text_color(120, 120, 120)
        pdf.cell(0, 10, f"Casa Aurora - Shipping and Returns Policy - page {pdf.page_no()}", align="C")
        pdf.set_text_color(0, 0, 0)

    pdf.footer = footer
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for kind, text in SHIPPING:
        if kind == "h1":
            pdf.set_font("Helvetica", "B", 18)
            pdf.multi_cell(width, 9, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "h2":
            if pdf.get_y() > pdf.h - 50:
                pdf.add_page()
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(width, 7, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "h3":
            if pdf.get_y() > pdf.h - 45:
                pdf.add_page()
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")
        elif kind == "p":
            pdf.set_font("Helvetica", "", 10.5)
            pdf.multi_cell(width, 5.5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "li":
            pdf.set_font("Helvetica", "", 10.5)
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(width - 4, 5.5, "- " + text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "small":
            pdf.set_font("Helvetica", "I", 9)
            pdf.multi_cell(width, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(path))


def make_docx(path):
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.author = "Casa Aurora"
    doc.core_properties.title = "Warranty and Care Guide"
    doc.core_properties.created = PINNED.replace(tzinfo=None)
    doc.core_properties.modified = PINNED.replace(tzinfo=None)
    doc.core_properties.last_modified_by = "Casa Aurora"
    doc.core_properties.revision = 1
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    for kind, content in WARRANTY:
        if kind == "title":
            doc.add_heading(content, level=0)
        elif kind == "h1":
            doc.add_heading(content, level=1)
        elif kind == "h2":
            doc.add_heading(content, level=2)
        elif kind == "p":
            doc.add_paragraph(content)
        elif kind == "table":
            table = doc.add_table(rows=0, cols=len(content[0]))
            table.style = "Table Grid"
            for i, row in enumerate(content):
                cells = table.add_row().cells
                for cell, value in zip(cells, row):
                    cell.text = value
                    if i == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
    doc.add_paragraph(
        "Casa Aurora Comércio de Móveis e Decoração Ltda. - Warranty and Care Guide, edition 2025."
    )
    doc.save(str(path))


if __name__ == "__main__":
    DOCS.mkdir(parents=True, exist_ok=True)
    make_pdf(DOCS / "shipping-and-returns.pdf")
    make_docx(DOCS / "warranty-and-care.docx")
    for name in ("shipping-and-returns.pdf", "warranty-and-care.docx"):
        print(f"{name}: {(DOCS / name).stat().st_size} bytes")

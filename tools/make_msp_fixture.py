"""Write fixtures/msp-export.xlsx: an export shaped like a managed service provider's (its own headers and words,
Excel dates and amounts, a title above the header), for the README's HR walk-through. Deterministic.

    python tools/make_msp_fixture.py
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import xlsxwriter

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "msp-export.xlsx"
HEADER = [
    "Assignment Ref", "Worker Reg No", "Client", "Job Title", "Assignment Start", "Assignment End", "Supplier", "Engagement Type",
    "Qualified", "PQE (yrs)", "ASYE", "Notice (wks)", "Notice Mutual", "Reference Received", "No. of References",
    "Std Template Ref", "Employment", "Pay Rate (£/hr)", "Agency Margin (£/hr)", "MSP Fee (£/hr)",
    "Prev Employer", "Prev Employment End", "Reason for Leaving",
]
D = datetime
ROWS = [
    ["MSP-1001", "SW210001", "Kent County Council", "Social Worker - Children in Care", D(2025, 5, 1), D(2025, 10, 31), "Northdown Social Care Ltd", "Individual",
     D(2015, 7, 1), 9, "Yes", 6, "Yes", "Yes", 2, "Yes", "Umbrella Company", 34.5, 4.0, 0.5, "", None, ""],
    ["MSP-1002", "SW210002", "Kent County Council", "Senior Practitioner", D(2025, 8, 15), None, "Northdown Social Care Ltd", "Individual",
     D(2012, 9, 1), 12, "Yes", 6, "Yes", "Yes", 2, "Yes", "Limited Company", 38.0, 4.2, 0.6, "Medway Council", D(2025, 5, 31), "Resigned"],
    ["MSP-1003", "SW210003", "Medway Council", "IRO", D(2025, 6, 2), D(2026, 6, 1), "Oakfield Locums", "Individual",
     D(2009, 1, 5), 16, "Yes", 4, "Yes", "Yes", 2, "Yes", "PAYE", 40.0, 3.9, 0.5, "", None, ""],
    ["MSP-1004", "SW210004", "Surrey County Council", "Social Worker - Children in Care", D(2025, 5, 1), D(2025, 12, 31), "Oakfield Locums", "Individual",
     D(2024, 7, 1), 1, "No", 6, "Yes", "Yes", 2, "Yes", "Umbrella Company", 33.0, 4.0, 0.5, "", None, ""],
    ["MSP-1005", "SW210005", "Kent County Council", "Team Manager", D(2025, 4, 1), None, "Meridian Recruitment", "Individual",
     D(2005, 6, 30), 19, "Yes", 6, "No", "Yes", 0, "Yes", "Limited Company", 45.0, 4.4, 0.7, "", None, ""],
    ["MSP-1006", "SW210006", "Medway Council", "Advanced Practitioner", D(2025, 9, 1), D(2026, 2, 28), "Meridian Recruitment", "Individual",
     D(2011, 3, 1), 14, "Yes", 6, "Yes", "Yes", 2, "No", "Umbrella Company", 41.0, 4.1, 0.6, "Kent County Council", D(2025, 7, 31), "Redundancy"],
    ["MSP-1007", "SW210007", "Kent County Council", "Social Worker - Children in Care", D(2025, 10, 6), None, "Rapid Response Teams Ltd", "Project Team",
     D(2016, 7, 1), 8, "Yes", 6, "Yes", "Yes", 2, "Yes", "Umbrella Company", 35.0, 4.5, 0.6, "", None, ""],
    ["MSP-1008", "SW210008", "Surrey County Council", "Senior Practitioner", D(2025, 6, 30, 23, 30), D(2025, 12, 31), "Oakfield Locums", "Individual",
     D(2013, 7, 1), 11, "Yes", 6, "Yes", "Yes", 2, "Yes", "PAYE", 36.0, 4.0, 0.5, "", None, ""],
    ["MSP-1009", "SW210009", "Medway Council", "Social Work Assistant", D(2025, 6, 16), D(2025, 9, 30), "Northdown Social Care Ltd", "Individual",
     None, None, "", 6, "Yes", "Yes", 2, "Yes", "Umbrella Company", 24.0, 3.0, 0.4, "", None, ""],
    ["MSP-1010", "SW210010", "Kent County Council", "IRO", D(2025, 5, 19), None, "Meridian Recruitment", "Individual",
     D(2010, 7, 1), 15, "Yes", 6, "Yes", "Yes", 2, "Yes", "Limited Company", 42.0, 4.3, 0.6, "Surrey County Council", D(2025, 4, 30), "End of Fixed Term"],
]


def main() -> None:
    book = xlsxwriter.Workbook(OUT, {"strings_to_formulas": False})
    book.set_properties({"title": "Agency assignments", "author": "agency-rules fixture", "created": datetime(2025, 11, 3)})
    sheet = book.add_worksheet("Assignments")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    money = book.add_format({"num_format": "£#,##0.00"})
    sheet.write_string(0, 0, "Agency assignments, all clients, as at 3 November 2025")
    for c, name in enumerate(HEADER):
        sheet.write_string(2, c, name)
    for r, row in enumerate(ROWS, start=3):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, stamp if value.hour else day)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value, money if "£" in HEADER[c] else None)
            elif value:
                sheet.write_string(r, c, value)
    book.close()


if __name__ == "__main__":
    main()

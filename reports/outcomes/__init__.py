"""The donor outcome report's input form (forms.py) and its A4 PDF (pdf.py); the figures are in
reports/services/outcomes/."""

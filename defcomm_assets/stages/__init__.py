"""One folder per stage, named after its asset and table: its pure logic, its data files and its asset (asset.py)."""

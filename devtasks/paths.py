"""Where things live; every task takes paths from here."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DATA = ROOT / "data"
MODELS = BUILD / "models"
DEFAULT_MODEL = MODELS / "default"

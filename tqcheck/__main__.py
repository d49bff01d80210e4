"""``python -m tqcheck``."""
from .cli import main

raise SystemExit(main())

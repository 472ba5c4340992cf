"""`python -m app.graphql.export [FILE]`: write the SDL of the schema (what `make schema` runs).

Strawberry's own `export-schema` needs its optional CLI extras; this needs nothing more than the app.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.graphql.schema import schema


def main(argv: list[str]) -> None:
    sdl = schema.as_str() + "\n"
    if argv:
        Path(argv[0]).write_text(sdl)
    else:
        sys.stdout.write(sdl)


if __name__ == "__main__":
    main(sys.argv[1:])

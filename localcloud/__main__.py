"""``python -m localcloud [--port N]``: run the local cloud in the foreground."""
import argparse
import sys

from localcloud import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud", description=__doc__)
    parser.add_argument("--port", type=int, default=None, help="port to bind on 127.0.0.1 (default: LOCALCLOUD_PORT or 4566)")
    args = parser.parse_args(argv)
    try:
        port = args.port or settings.port()
    except ValueError as exc:
        print(f"localcloud: {exc}", file=sys.stderr)
        return 2
    from localcloud.server import serve

    try:
        serve(port)
    except OSError as exc:
        print(f"localcloud: cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}. "
              "Stop whatever uses that port or pick another with --port / LOCALCLOUD_PORT.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

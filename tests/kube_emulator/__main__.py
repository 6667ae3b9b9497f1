"""python -m tests.kube_emulator --port 6443 --kubeconfig PATH"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys

from .server import kubeconfig, make_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.kube_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6443, help="0 picks a free port")
    parser.add_argument("--kubeconfig", help="write a kubeconfig pointing at the emulator to this path")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    server = make_server(args.port, args.host, args.verbose)
    url = f"http://{args.host}:{server.server_address[1]}"
    if args.kubeconfig:
        # JSON is YAML: kubectl, helm and the kubernetes client all read it
        with open(args.kubeconfig, "w") as out:
            json.dump(kubeconfig(url), out, indent=2)
        os.chmod(args.kubeconfig, 0o600)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"kube-emulator serving on {url}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""An in-memory Kubernetes API emulator for offline tests: see README.md."""

from .server import kubeconfig, make_server

__all__ = ["kubeconfig", "make_server"]

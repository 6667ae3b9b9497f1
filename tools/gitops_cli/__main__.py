import sys

from gitops_cli.cli import main

sys.exit(main())

"""moto_server with fidelity fixes for behaviour the platform depends on.

Each fix makes the emulator answer the way AWS does; none changes what the project's code
sends. Keep the list short and drop a fix once the pinned moto has it.

- CreateLaunchTemplate: moto copies the template's own tags into LaunchTemplateData as a
  "launch-template" tag specification (AWS rejects that type there and never adds it). The
  provider then sees a perpetual tag_specifications diff and wants a new template version.
"""

from __future__ import annotations

import copy

from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.server import main

_create_launch_template = LaunchTemplates.create_launch_template


def create_launch_template(self):
    # a copy: moto extends the parsed request in place
    requested = copy.deepcopy(self._get_param("LaunchTemplateData", {}).get("TagSpecifications"))
    result = _create_launch_template(self)
    version = self.ec2_backend.get_launch_template_by_name(self._get_param("LaunchTemplateName")).versions[0]
    if requested:
        version.data["TagSpecifications"] = requested
    else:
        version.data.pop("TagSpecifications", None)
    return result


LaunchTemplates.create_launch_template = create_launch_template

if __name__ == "__main__":
    main()

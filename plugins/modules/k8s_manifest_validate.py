#!/usr/bin/python
"""Validate rendered Kubernetes manifests offline, for one Kubernetes version."""

from __future__ import annotations

DOCUMENTATION = r"""
module: k8s_manifest_validate
short_description: Validate Kubernetes manifests against the schemas of one Kubernetes version
description:
  - Core and built-in API kinds are checked with kubernetes-validate (strict: unknown fields fail).
  - Argo CD Application and AppProject are checked against the subset of their CRD schema this
    module carries (required fields, field names, types), so a typo fails before it reaches a cluster.
  - Any other custom kind is reported as unchecked (its schema lives in a CRD on the cluster).
  - Read-only; never reports changed.
options:
  src:
    description: Manifest files, or directories searched for C(*.yaml)/C(*.yml).
    type: list
    elements: path
    required: true
  kubernetes_version:
    description: Kubernetes minor to validate against, e.g. C(1.33).
    type: str
    required: true
requirements: [kubernetes-validate, PyYAML]
"""

RETURN = r"""
checked:
  description: Objects validated, as C(file:Kind/namespace/name).
  type: list
  returned: always
unchecked:
  description: Custom kinds with no schema here, as C(file:apiVersion/Kind/name).
  type: list
  returned: always
errors:
  description: One line per invalid object.
  type: list
  returned: always
"""

import os

from ansible.module_utils.basic import AnsibleModule

try:
    import kubernetes_validate
    import yaml

    HAS_DEPS = True
except ImportError:  # reported by fail_json below
    HAS_DEPS = False

_STRINGS = {"type": "array", "items": {"type": "string"}}
_DESTINATION = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"server": {"type": "string"}, "name": {"type": "string"}, "namespace": {"type": "string"}},
}
_SOURCE = {
    "type": "object",
    "required": ["repoURL"],
    "additionalProperties": False,
    "properties": {
        "repoURL": {"type": "string", "minLength": 1},
        "path": {"type": "string"},
        "targetRevision": {"type": "string"},
        "chart": {"type": "string"},
        "ref": {"type": "string"},
        "name": {"type": "string"},
        "helm": {"type": "object"},
        "kustomize": {"type": "object"},
        "directory": {"type": "object"},
        "plugin": {"type": "object"},
    },
}
_GROUP_KIND = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["group", "kind"],
        "additionalProperties": False,
        "properties": {"group": {"type": "string"}, "kind": {"type": "string"}},
    },
}
# Field names and types from the argoproj.io/v1alpha1 CRDs (Argo CD 2.x/3.x).
ARGO_SCHEMAS = {
    "Application": {
        "type": "object",
        "required": ["project", "destination"],
        "additionalProperties": False,
        "properties": {
            "project": {"type": "string", "minLength": 1},
            "source": _SOURCE,
            "sources": {"type": "array", "items": _SOURCE, "minItems": 1},
            "destination": _DESTINATION,
            "syncPolicy": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "automated": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "prune": {"type": "boolean"},
                            "selfHeal": {"type": "boolean"},
                            "allowEmpty": {"type": "boolean"},
                            "enabled": {"type": "boolean"},
                        },
                    },
                    "syncOptions": _STRINGS,
                    "retry": {"type": "object"},
                    "managedNamespaceMetadata": {"type": "object"},
                },
            },
            "ignoreDifferences": {"type": "array"},
            "info": {"type": "array"},
            "revisionHistoryLimit": {"type": "integer"},
        },
        "oneOf": [{"required": ["source"]}, {"required": ["sources"]}],
    },
    "AppProject": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "description": {"type": "string"},
            "sourceRepos": _STRINGS,
            "sourceNamespaces": _STRINGS,
            "destinations": {"type": "array", "items": _DESTINATION},
            "clusterResourceWhitelist": _GROUP_KIND,
            "clusterResourceBlacklist": _GROUP_KIND,
            "namespaceResourceWhitelist": _GROUP_KIND,
            "namespaceResourceBlacklist": _GROUP_KIND,
            "orphanedResources": {"type": "object"},
            "roles": {"type": "array"},
            "syncWindows": {"type": "array"},
            "signatureKeys": {"type": "array"},
            "permitOnlyProjectScopedClusters": {"type": "boolean"},
            "destinationServiceAccounts": {"type": "array"},
        },
    },
}


def manifest_files(sources):
    """(path, name to report): files inside a directory are named relative to it."""
    for src in sources:
        if os.path.isdir(src):
            for root, _dirs, files in sorted(os.walk(src)):
                for name in sorted(files):
                    if name.endswith((".yaml", ".yml")):
                        path = os.path.join(root, name)
                        yield path, os.path.relpath(path, src)
        else:
            yield src, src


def validate_argo(obj):
    import jsonschema  # a kubernetes-validate dependency

    schema = ARGO_SCHEMAS[obj["kind"]]
    if not isinstance(obj.get("metadata"), dict) or not obj["metadata"].get("name"):
        raise ValueError("metadata.name is required")
    jsonschema.validate(obj.get("spec", {}), schema)


def main():
    module = AnsibleModule(
        argument_spec={
            "src": {"type": "list", "elements": "path", "required": True},
            "kubernetes_version": {"type": "str", "required": True},
        },
        supports_check_mode=True,
    )
    if not HAS_DEPS:
        module.fail_json(msg="k8s_manifest_validate needs kubernetes-validate and PyYAML in the Ansible interpreter")
    version = module.params["kubernetes_version"]
    checked, unchecked, errors = [], [], []
    files = list(manifest_files(module.params["src"]))
    if not files:
        module.fail_json(msg="no manifest found in %s" % module.params["src"])
    for path, shown in files:
        try:
            with open(path, encoding="utf-8") as handle:
                docs = [d for d in yaml.safe_load_all(handle) if d is not None]
        except (OSError, yaml.YAMLError) as exc:
            errors.append("%s: does not parse: %s" % (shown, exc))
            continue
        for obj in docs:
            if not isinstance(obj, dict) or not obj.get("kind") or not obj.get("apiVersion"):
                errors.append("%s: not a Kubernetes object (apiVersion and kind required)" % shown)
                continue
            meta = obj.get("metadata") or {}
            ref = "%s:%s/%s/%s" % (shown, obj["kind"], meta.get("namespace", "-"), meta.get("name", "?"))
            try:
                if obj["apiVersion"].startswith("argoproj.io/") and obj["kind"] in ARGO_SCHEMAS:
                    validate_argo(obj)
                else:
                    kubernetes_validate.validate(obj, version, strict=True)
                checked.append(ref)
            except kubernetes_validate.SchemaNotFoundError:
                unchecked.append("%s:%s/%s/%s" % (shown, obj["apiVersion"], obj["kind"], meta.get("name", "?")))
            except Exception as exc:  # ValidationError from either validator, or bad metadata
                errors.append("%s: %s" % (ref, str(getattr(exc, "message", exc)).splitlines()[0]))
    result = {"changed": False, "checked": checked, "unchecked": unchecked, "errors": errors}
    if errors:
        module.fail_json(msg="%d invalid object(s) for Kubernetes %s:\n%s" % (len(errors), version, "\n".join(errors)), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()

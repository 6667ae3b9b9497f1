"""The API resources the emulator serves (its discovery documents are built from this table)."""

from __future__ import annotations

from dataclasses import dataclass, field

VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


@dataclass(frozen=True)
class Resource:
    group: str  # "" for the core group
    versions: tuple[str, ...]
    kind: str
    plural: str
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    status: bool = False  # has a /status subresource (main-resource writes keep the stored status)
    categories: tuple[str, ...] = field(default=())

    @property
    def singular(self) -> str:
        return self.kind.lower()


def _r(group, versions, kind, plural, namespaced=True, short=(), status=False):
    if isinstance(versions, str):
        versions = (versions,)
    return Resource(group, tuple(versions), kind, plural, namespaced, tuple(short), status)


BUILTIN: list[Resource] = [
    # core/v1
    _r("", "v1", "Namespace", "namespaces", False, ("ns",), True),
    _r("", "v1", "ConfigMap", "configmaps", short=("cm",)),
    _r("", "v1", "Secret", "secrets"),
    _r("", "v1", "ServiceAccount", "serviceaccounts", short=("sa",)),
    _r("", "v1", "Service", "services", short=("svc",), status=True),
    _r("", "v1", "Pod", "pods", short=("po",), status=True),
    _r("", "v1", "Endpoints", "endpoints", short=("ep",)),
    _r("", "v1", "Event", "events", short=("ev",)),
    _r("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", short=("pvc",), status=True),
    _r("", "v1", "PersistentVolume", "persistentvolumes", False, ("pv",), True),
    _r("", "v1", "Node", "nodes", False, ("no",), True),
    _r("", "v1", "LimitRange", "limitranges", short=("limits",)),
    _r("", "v1", "ResourceQuota", "resourcequotas", short=("quota",), status=True),
    _r("", "v1", "ReplicationController", "replicationcontrollers", short=("rc",), status=True),
    # apps/v1
    _r("apps", "v1", "Deployment", "deployments", short=("deploy",), status=True),
    _r("apps", "v1", "StatefulSet", "statefulsets", short=("sts",), status=True),
    _r("apps", "v1", "DaemonSet", "daemonsets", short=("ds",), status=True),
    _r("apps", "v1", "ReplicaSet", "replicasets", short=("rs",), status=True),
    _r("apps", "v1", "ControllerRevision", "controllerrevisions"),
    # batch/v1
    _r("batch", "v1", "Job", "jobs", status=True),
    _r("batch", "v1", "CronJob", "cronjobs", short=("cj",), status=True),
    # networking.k8s.io/v1
    _r("networking.k8s.io", "v1", "Ingress", "ingresses", short=("ing",), status=True),
    _r("networking.k8s.io", "v1", "IngressClass", "ingressclasses", False),
    _r("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", short=("netpol",)),
    # rbac.authorization.k8s.io/v1
    _r("rbac.authorization.k8s.io", "v1", "Role", "roles"),
    _r("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
    _r("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", False),
    _r("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", False),
    # policy/v1
    _r("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", short=("pdb",), status=True),
    # autoscaling
    _r("autoscaling", ("v2", "v1"), "HorizontalPodAutoscaler", "horizontalpodautoscalers", short=("hpa",),
       status=True),
    # storage / scheduling / coordination
    _r("storage.k8s.io", "v1", "StorageClass", "storageclasses", False, ("sc",)),
    _r("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", False, ("pc",)),
    _r("coordination.k8s.io", "v1", "Lease", "leases"),
    # admissionregistration (stored only: webhooks are never called)
    _r("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
       "validatingwebhookconfigurations", False),
    _r("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
       "mutatingwebhookconfigurations", False),
    # apiextensions.k8s.io/v1
    _r("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", False,
       ("crd", "crds"), True),
    # monitoring.coreos.com/v1 (Prometheus operator)
    _r("monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors", short=("smon",)),
    _r("monitoring.coreos.com", "v1", "PodMonitor", "podmonitors", short=("pmon",)),
    _r("monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules", short=("promrule",)),
    # argoproj.io/v1alpha1 (Argo CD)
    _r("argoproj.io", "v1alpha1", "Application", "applications", short=("app", "apps"), status=True),
    _r("argoproj.io", "v1alpha1", "AppProject", "appprojects", short=("appproj", "appprojs")),
    _r("argoproj.io", "v1alpha1", "ApplicationSet", "applicationsets", short=("appset", "appsets"), status=True),
]


def from_crd(crd: dict) -> Resource | None:
    """The resource a CustomResourceDefinition declares (served versions only)."""
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    versions = tuple(v["name"] for v in spec.get("versions") or [] if v.get("served", True) and v.get("name"))
    if not (spec.get("group") and names.get("kind") and names.get("plural") and versions):
        return None
    has_status = any(((v.get("subresources") or {}).get("status") is not None) for v in spec.get("versions") or [])
    return Resource(spec["group"], versions, names["kind"], names["plural"], spec.get("scope") != "Cluster",
                    tuple(names.get("shortNames") or ()), has_status, tuple(names.get("categories") or ()))

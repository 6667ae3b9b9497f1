{{/*
The service's name: the release name (frontend, product, cart, order), at most 63 characters.
*/}}
{{- define "service.name" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Name of every object of the release: the release name, so other services reach it as http://<release>:8080.
*/}}
{{- define "service.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The image tag; fails with a clear message when it is not set.
*/}}
{{- define "service.tag" -}}
{{- required "image.tag is required: set it in gitops/values/<env>/<service>.yaml (gitops bump / gitops promote)" .Values.image.tag -}}
{{- end -}}

{{/*
Labels of the selector: stable for the life of the release.
*/}}
{{- define "service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
Labels of every object.
*/}}
{{- define "service.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "service.selectorLabels" . }}
app.kubernetes.io/version: {{ include "service.tag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: shopfront
{{- end -}}

{{/*
Name of the ServiceAccount the pods use.
*/}}
{{- define "service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "service.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

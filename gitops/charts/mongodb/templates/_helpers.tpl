{{/*
Name of every object: the release name ("mongodb": the services connect to host mongodb).
*/}}
{{- define "mongodb.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The image tag; fails with a clear message when it is not set.
*/}}
{{- define "mongodb.tag" -}}
{{- required "image.tag is required: set it in gitops/values/<env>/mongodb.yaml" .Values.image.tag -}}
{{- end -}}

{{/*
Labels of the selector: stable for the life of the release.
*/}}
{{- define "mongodb.selectorLabels" -}}
app.kubernetes.io/name: mongodb
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
Labels of every object.
*/}}
{{- define "mongodb.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mongodb.selectorLabels" . }}
app.kubernetes.io/version: {{ include "mongodb.tag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/component: database
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: shopfront
{{- end -}}

{{/*
The probe command: a ping, which MongoDB answers without authentication.
*/}}
{{- define "mongodb.ping" -}}
exec:
  command:
    - mongosh
    - --quiet
    - --eval
    - db.adminCommand('ping')
{{- end -}}

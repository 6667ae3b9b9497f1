{{- define "kps.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}{{ .Release.Name | trunc 26 | trimSuffix "-" }}{{ else }}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 26 | trimSuffix "-" }}{{ end }}
{{- end -}}
{{- define "kps.grafana" -}}{{ printf "%s-grafana" .Release.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- /* Upstream rule: an empty selector means "this release only" unless *NilUsesHelmValues is false. */ -}}
{{- define "kps.selector" -}}
{{- if and .nil (not .sel) }}{{ dict "matchLabels" (dict "release" .release) | toJson }}{{ else }}{{ .sel | default dict | toJson }}{{ end }}
{{- end -}}

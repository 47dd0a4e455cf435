{{/* The app's name; every object is named after it. */}}
{{- define "service.name" -}}
{{- required "service chart: `name` is required (the app's name, as in the platform's gitopsApps)" .Values.name -}}
{{- end -}}

{{/* The image tag: image.tag, else the chart's appVersion (the git SHA the pipeline wrote). */}}
{{- define "service.tag" -}}
{{- .Values.image.tag | default .Chart.AppVersion -}}
{{- end -}}

{{/* Labels that pick this release's pods: Deployment selector, Service, PDB, spread constraints. */}}
{{- define "service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "service.labels" -}}
{{ include "service.selectorLabels" . }}
app.kubernetes.io/version: {{ include "service.tag" . | quote }}
app.kubernetes.io/part-of: {{ include "service.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
eks-platform/environment: {{ .Release.Namespace }}
{{- end -}}

{{/*
Checks across values that the schema cannot express; each failure names the value, what it got and
what is allowed.
*/}}
{{- define "service.validate" -}}
{{- $name := include "service.name" . -}}
{{- if not .Values.image.repository -}}
{{- fail "service chart: image.repository is empty; set the ECR repository URI <account>.dkr.ecr.<region>.amazonaws.com/<name>" -}}
{{- end -}}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) -}}
{{- fail (printf "service chart: autoscaling.minReplicas (%v) is above autoscaling.maxReplicas (%v)" .Values.autoscaling.minReplicas .Values.autoscaling.maxReplicas) -}}
{{- end -}}
{{- if ge (int .Values.shutdown.drainSeconds) (int .Values.shutdown.terminationGracePeriodSeconds) -}}
{{- fail (printf "service chart: shutdown.drainSeconds (%v) must be below shutdown.terminationGracePeriodSeconds (%v), or the kubelet kills the pod mid-drain" .Values.shutdown.drainSeconds .Values.shutdown.terminationGracePeriodSeconds) -}}
{{- end -}}
{{- if eq (int .Values.containerPort) (int .Values.metricsPort) -}}
{{- fail (printf "service chart: containerPort and metricsPort are both %v; metrics need their own port so the Ingress never exposes them" .Values.containerPort) -}}
{{- end -}}
{{- if .Values.ingress.enabled -}}
{{- if not .Values.ingress.host -}}
{{- fail "service chart: ingress.host is empty; set the DNS name, or ingress.enabled: false" -}}
{{- end -}}
{{- if not .Values.ingress.groupName -}}
{{- fail "service chart: ingress.groupName is empty; set the platform's IngressGroup <clusterName>-platform" -}}
{{- end -}}
{{- end -}}
{{- $prefix := printf "%s/%s/" .Release.Namespace $name -}}
{{- range .Values.externalSecret.remoteKeys -}}
{{- if not (hasPrefix $prefix .) -}}
{{- fail (printf "service chart: externalSecret.remoteKeys has %q; in namespace %s every key must start with %q" . $.Release.Namespace $prefix) -}}
{{- end -}}
{{- end -}}
{{- end -}}
